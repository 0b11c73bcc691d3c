import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState } from 'react';
import type { UserSummaryResponse } from '../../../../../common/schemas/users.js';
import { getErrorMessage } from '../../../lib/api-client';
import { useSetUserEnabled } from '../users.api';

export interface UserStatusTarget {
  user: UserSummaryResponse;
  action: 'disable' | 'enable';
}

interface UserStatusModalProps {
  /** The user to disable or enable; null closes the window. */
  target: UserStatusTarget | null;
  onClose: () => void;
  /** After Continue: the page shows the success message. */
  onDone: (message: string) => void;
}

/** The Disable User / Enable User window: confirm, then Continue, then the page says it worked. */
export function UserStatusModal({ target, onClose, onDone }: UserStatusModalProps) {
  const setEnabled = useSetUserEnabled();
  // Keep showing the last target while the window fades out, and forget it only afterwards.
  const [shown, setShown] = useState(target);
  if (target && target !== shown) setShown(target);
  const user = shown?.user ?? null;
  const isDisable = shown?.action !== 'enable';
  const verb = isDisable ? 'Disable' : 'Enable';
  const close = () => onClose();
  const finish = () => {
    if (user) onDone(isDisable ? `User ${user.username} disabled successfully.` : `User ${user.username} enabled successfully.`);
    close();
  };
  return (
    <Modal
      opened={target !== null}
      onClose={setEnabled.isSuccess ? finish : close}
      onExitTransitionEnd={() => setEnabled.reset()}
      title={`${verb} User`}
      centered
    >
      {setEnabled.isSuccess ? (
        <Stack gap="md">
          <Text size="sm">
            {isDisable
              ? `${user?.username} is disabled: their sessions have ended and their API keys no longer work.`
              : `${user?.username} is enabled and can sign in again.`}
          </Text>
          <Group justify="flex-end">
            <Button onClick={finish} data-autofocus>
              Continue
            </Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="md">
          <Text size="sm">
            {isDisable ? (
              <>
                Are you sure you want to disable <strong>{user?.username}</strong>? They can no longer sign in, their open sessions end at
                their next request, and their API keys stop working.
              </>
            ) : (
              <>
                Are you sure you want to enable <strong>{user?.username}</strong>? They can sign in again.
              </>
            )}
          </Text>
          {setEnabled.isError && (
            <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
              {getErrorMessage(setEnabled.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              color={isDisable ? 'red' : 'teal'}
              loading={setEnabled.isPending}
              onClick={() => user && setEnabled.mutate({ id: user.id, isEnabled: !isDisable })}
            >
              {verb}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
