import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { UserForm } from '../../features/users';

export function UserCreatePage() {
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title="Create User" description="A staff user of this portal. The username must be in an approved domain." />
      <UserForm
        onSaved={(message) => void navigate('/admin/users', { state: { message } })}
        onCancel={() => void navigate('/admin/users')}
      />
    </>
  );
}
