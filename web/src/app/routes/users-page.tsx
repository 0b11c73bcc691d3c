import { Alert, Box, Button, Paper, Skeleton, Stack } from '@mantine/core';
import { IconCheck, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { StartAssistModal, type AssistTarget } from '../../features/assist';
import { UserStatusModal, UsersTable, useStaffUsers, type UserStatusTarget } from '../../features/users';
import { PermissionGate } from '../permission-gate';
import { useSignedInSession } from '../session-context';

/** /admin/users and its pages (create, edit, delete): Administrators only. */
export function UsersSection() {
  return (
    <PermissionGate action="users:manage">
      <Outlet />
    </PermissionGate>
  );
}

/** The message a user page hands back when it returns here (created, saved, deleted). */
export function readFlashMessage(state: unknown): string | null {
  if (state && typeof state === 'object' && 'message' in state && typeof state.message === 'string') return state.message;
  return null;
}

export function UsersPage() {
  const { user: me } = useSignedInSession();
  const users = useStaffUsers();
  const location = useLocation();
  const navigate = useNavigate();
  const [message, setMessage] = useState<string | null>(() => readFlashMessage(location.state));
  const [target, setTarget] = useState<UserStatusTarget | null>(null);
  const [assistTarget, setAssistTarget] = useState<AssistTarget | null>(null);

  const dismissMessage = () => {
    setMessage(null);
    void navigate('.', { replace: true, state: null });
  };

  const renderBody = () => {
    if (users.isPending) return <Skeleton height={240} m="md" />;
    if (users.isError) {
      return (
        <Box p="md">
          <QueryErrorAlert error={users.error} onRetry={() => void users.refetch()} title="Could not load the users" />
        </Box>
      );
    }
    return (
      <UsersTable
        users={users.data.items}
        currentUserId={me.id}
        onDisable={(user) => setTarget({ user, action: 'disable' })}
        onEnable={(user) => setTarget({ user, action: 'enable' })}
        onAssist={setAssistTarget}
      />
    );
  };

  return (
    <>
      <PageHeader
        title="Users"
        description="The MSSP's staff who use this portal. Administrators see every account; other staff see the accounts assigned to them."
        aside={
          <Button component={Link} to="/admin/users/new" leftSection={<IconPlus size={16} aria-hidden />}>
            Create User
          </Button>
        }
      />
      <Stack gap="md">
        {message && (
          <Alert color="teal" variant="light" icon={<IconCheck aria-hidden />} withCloseButton onClose={dismissMessage}>
            {message}
          </Alert>
        )}
        <Paper withBorder shadow="xs">
          {renderBody()}
        </Paper>
      </Stack>
      <UserStatusModal target={target} onClose={() => setTarget(null)} onDone={setMessage} />
      <StartAssistModal target={assistTarget} onClose={() => setAssistTarget(null)} />
    </>
  );
}
