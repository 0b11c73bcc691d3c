import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { LogoResponse } from '../../../../../common/schemas/logos.js';
import { getErrorMessage } from '../../../lib/api-client';
import { useDeleteLogo } from '../logos.api';

/** The seed's confirmation before a logo is deleted and removed from every account using it. */
export function DeleteLogoModal({
  logo,
  onClose,
  onDeleted,
}: {
  logo: LogoResponse | null;
  onClose: () => void;
  onDeleted: (message: string) => void;
}) {
  const deleteLogo = useDeleteLogo();
  const handleClose = () => {
    deleteLogo.reset();
    onClose();
  };
  return (
    <Modal opened={logo !== null} onClose={handleClose} title="Delete Logo" centered>
      {logo && (
        <Stack gap="md">
          <Text size="sm">
            Delete the logo <strong>{logo.name}</strong>?{' '}
            {logo.accountCount > 0
              ? `It is removed from the ${logo.accountCount === 1 ? 'account' : `${logo.accountCount} accounts`} using it, which show the default logo again.`
              : 'No account uses it.'}
          </Text>
          {deleteLogo.isError && (
            <Alert color="red" variant="light" role="alert">
              {getErrorMessage(deleteLogo.error)}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={handleClose}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={deleteLogo.isPending}
              onClick={() =>
                deleteLogo.mutate(logo.id, {
                  onSuccess: () => {
                    onDeleted(`Logo ${logo.name} deleted`);
                    handleClose();
                  },
                })
              }
            >
              Delete
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
