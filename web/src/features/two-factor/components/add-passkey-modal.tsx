import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconCircleCheck } from '@tabler/icons-react';
import { getErrorMessage } from '../../../lib/api-client';
import { useAddPasskey } from '../two-factor.api';

interface AddPasskeyModalProps {
  opened: boolean;
  onClose: () => void;
}

/** Name the passkey, then the browser asks for the device's screen lock or a security key. */
export function AddPasskeyModal({ opened, onClose }: AddPasskeyModalProps) {
  const add = useAddPasskey();
  const form = useForm({
    initialValues: { name: '' },
    validate: { name: (value) => (value.trim() ? (value.trim().length > 64 ? 'At most 64 characters.' : null) : 'Name the passkey.') },
  });
  const reset = () => {
    add.reset();
    form.reset();
  };
  const submit = form.onSubmit((values) => add.mutate(values.name.trim()));

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      onExitTransitionEnd={reset}
      title="Add a passkey"
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {add.data ? (
        <Stack gap="md">
          <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} role="status">
            Passkey “{add.data.name}” added. You can use it to sign in.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Text size="sm">A passkey signs you in with this device&apos;s screen lock or a security key. It cannot be phished.</Text>
            {add.isError && (
              <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />} role="alert">
                {getErrorMessage(add.error)}
              </Alert>
            )}
            <TextInput label="Passkey name" placeholder="Work laptop" required autoFocus {...form.getInputProps('name')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={add.isPending}>
                Add passkey
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
