import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { IconAlertCircle, IconAlertTriangle } from '@tabler/icons-react';
import { DISABLE_TWO_FACTOR_WARNING } from '../../../../../common/schemas/two-factor.js';
import { getErrorMessage } from '../../../lib/api-client';
import { useDisableTwoFactor } from '../two-factor.api';

/** The seed's Disable Two-Factor window: the warning, then Continue. */
export function DisableTwoFactorModal({ opened, onClose, onDisabled }: { opened: boolean; onClose: () => void; onDisabled: () => void }) {
  const disable = useDisableTwoFactor();
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      onExitTransitionEnd={() => disable.reset()}
      title="Disable Two-Factor"
      centered
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      <Stack gap="md">
        <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Warning">
          {DISABLE_TWO_FACTOR_WARNING}
        </Alert>
        {disable.isError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />} role="alert">
            {getErrorMessage(disable.error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            loading={disable.isPending}
            onClick={() =>
              disable.mutate(undefined, {
                onSuccess: () => {
                  onDisabled();
                  onClose();
                },
              })
            }
          >
            Continue
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
