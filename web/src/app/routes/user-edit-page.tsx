import { Anchor, Badge, Skeleton } from '@mantine/core';
import { Link, useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { UserForm, useStaffUser } from '../../features/users';
import { NotFoundPage } from './not-found-page';

export function UserEditPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const user = useStaffUser(id);

  if (user.isPending) return <Skeleton height={420} />;
  if (user.isError) {
    if ('status' in user.error && user.error.status === 404) return <NotFoundPage />;
    return <QueryErrorAlert error={user.error} onRetry={() => void user.refetch()} title="Could not load this user" />;
  }
  return (
    <>
      <PageHeader
        title="Edit User"
        description={
          <>
            {user.data.username} ·{' '}
            <Anchor component={Link} to="/admin/users" size="sm">
              Back to Users
            </Anchor>
          </>
        }
        aside={
          user.data.isDisabled ? (
            <Badge color="red" variant="light">
              Disabled
            </Badge>
          ) : undefined
        }
      />
      <UserForm
        key={user.data.id}
        user={user.data}
        onSaved={(message) => void navigate('/admin/users', { state: { message } })}
        onCancel={() => void navigate('/admin/users')}
      />
    </>
  );
}
