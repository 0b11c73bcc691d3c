import { Alert, Button, Group, Modal, Paper, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconAlertCircle, IconAlertTriangle, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { DELETE_USER_CAUTION } from '../../../../common/schemas/users.js';
import { PageHeader } from '../../components/page-header';
import { QueryErrorAlert } from '../../components/query-error-alert';
import { UserDeletionObjectsTable, useDeleteUser, useStaffUser, useStaffUsers } from '../../features/users';
import { getErrorMessage } from '../../lib/api-client';
import { NotFoundPage } from './not-found-page';

/** Delete User: the caution, Transfer User Objects with Select New Object Owner, the seed's table, and a confirmation. */
export function UserDeletePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const user = useStaffUser(id);
  const users = useStaffUsers();
  const deleteUser = useDeleteUser();
  const [successorId, setSuccessorId] = useState<string | null>(null);
  const [isConfirmOpen, setIsConfirmOpen] = useState(false);

  if (user.isPending || users.isPending) return <Skeleton height={420} />;
  if (user.isError) {
    if ('status' in user.error && user.error.status === 404) return <NotFoundPage />;
    return <QueryErrorAlert error={user.error} onRetry={() => void user.refetch()} title="Could not load this user" />;
  }
  if (users.isError) return <QueryErrorAlert error={users.error} onRetry={() => void users.refetch()} title="Could not load the users" />;

  const target = user.data;
  const owners = users.data.items
    .filter((candidate) => candidate.id !== target.id && !candidate.isDisabled)
    .map((candidate) => ({ value: candidate.id, label: `${candidate.name || candidate.username} (${candidate.username})` }));
  const successorLabel = owners.find((owner) => owner.value === successorId)?.label;

  const confirmDelete = () => {
    if (!successorId) return;
    deleteUser.mutate(
      { id: target.id, successorUserId: successorId },
      {
        onSuccess: () =>
          void navigate('/admin/users', {
            state: { message: `User ${target.username} deleted successfully; their objects now belong to ${successorLabel}.` },
          }),
        onError: () => setIsConfirmOpen(false),
      },
    );
  };

  return (
    <>
      <PageHeader title="Delete User" description={target.username} />
      <Stack gap="md" maw={860}>
        <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Caution">
          {DELETE_USER_CAUTION}
        </Alert>
        {!target.isDisabled && (
          <Alert color="orange" variant="light" icon={<IconAlertCircle aria-hidden />}>
            Disable {target.username} before deleting them: only disabled users can be deleted.
          </Alert>
        )}
        {deleteUser.isError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
            {getErrorMessage(deleteUser.error)}
          </Alert>
        )}
        <Paper withBorder shadow="xs" p="lg">
          <Stack gap="md">
            <Title order={2} size="h4">
              Transfer User Objects
            </Title>
            <Text size="sm" c="dimmed">
              The user&apos;s objects are transferred to the new object owner, retained or deleted as the table below says.
            </Text>
            <Select
              label="Select New Object Owner"
              placeholder="Select an enabled user"
              data={owners}
              value={successorId}
              onChange={setSuccessorId}
              searchable
              maw={480}
              required
              nothingFoundMessage="No enabled user matches"
            />
            <UserDeletionObjectsTable />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => void navigate('/admin/users')}>
                Cancel
              </Button>
              <Button
                color="red"
                leftSection={<IconTrash size={16} aria-hidden />}
                disabled={!successorId || !target.isDisabled}
                onClick={() => setIsConfirmOpen(true)}
              >
                Delete
              </Button>
            </Group>
          </Stack>
        </Paper>
      </Stack>
      <Modal opened={isConfirmOpen} onClose={() => setIsConfirmOpen(false)} title="Delete User" centered>
        <Stack gap="md">
          <Text size="sm">
            Delete <strong>{target.username}</strong> and transfer their objects to <strong>{successorLabel}</strong>? {DELETE_USER_CAUTION}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setIsConfirmOpen(false)}>
              Cancel
            </Button>
            <Button color="red" onClick={confirmDelete} loading={deleteUser.isPending}>
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
