import { Alert, Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { getErrorMessage } from '../../../lib/api-client';
import { LogoImage, useLogos } from '../../logos';
import { useAssignLogo } from '../accounts.api';

const NO_LOGO = '';

interface AssignLogoModalProps {
  accountIds: string[] | null;
  onClose: () => void;
  onAssigned: (message: string) => void;
}

/** The seed's "Assign Logo to Accounts" plane: pick a logo, or (No Logo) to remove theirs, then Save. */
export function AssignLogoModal({ accountIds, onClose, onAssigned }: AssignLogoModalProps) {
  return (
    <Modal opened={accountIds !== null} onClose={onClose} title="Assign Logo to Accounts" centered>
      {accountIds && <AssignLogoForm accountIds={accountIds} onClose={onClose} onAssigned={onAssigned} />}
    </Modal>
  );
}

function AssignLogoForm({
  accountIds,
  onClose,
  onAssigned,
}: {
  accountIds: string[];
  onClose: () => void;
  onAssigned: (message: string) => void;
}) {
  const logos = useLogos();
  const assignLogo = useAssignLogo();
  const [logoId, setLogoId] = useState<string>(NO_LOGO);
  const chosen = logos.data?.items.find((logo) => logo.id === logoId) ?? null;
  const options = [
    { value: NO_LOGO, label: '(No Logo)' },
    ...(logos.data?.items ?? []).map((logo) => ({ value: logo.id, label: logo.name })),
  ];

  return (
    <Stack gap="md">
      <Text size="sm">
        {accountIds.length === 1 ? '1 account selected.' : `${accountIds.length} accounts selected.`} Choose (No Logo) to remove their logo.
      </Text>
      <Select
        label="Logo"
        data={options}
        value={logoId}
        onChange={(value) => setLogoId(value ?? NO_LOGO)}
        allowDeselect={false}
        disabled={logos.isPending}
        error={logos.isError ? getErrorMessage(logos.error) : undefined}
        comboboxProps={{ withinPortal: true }}
      />
      <LogoImage
        logoId={chosen?.id ?? null}
        version={chosen?.updatedAt}
        alt={chosen ? `${chosen.name} logo` : 'No logo'}
        width={246}
        height={52}
      />
      {assignLogo.isError && (
        <Alert color="red" variant="light" role="alert">
          {getErrorMessage(assignLogo.error)}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button
          loading={assignLogo.isPending}
          onClick={() =>
            assignLogo.mutate(
              { logoId: logoId === NO_LOGO ? null : logoId, accountIds },
              {
                onSuccess: (result) => {
                  onAssigned(result.message);
                  onClose();
                },
              },
            )
          }
        >
          Save
        </Button>
      </Group>
    </Stack>
  );
}
