import { Alert, Button, Group, Modal, NumberInput, Stack, Text } from '@mantine/core';
import { IconClockHour4 } from '@tabler/icons-react';
import { useState } from 'react';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { useSignalSettings, useUpdateSignalSettings } from '../signals.api';

/** Administrators: how many days signals are kept (older ones are deleted). */
export function RetentionSetting() {
  const settings = useSignalSettings(true);
  const update = useUpdateSignalSettings();
  const [isOpen, setIsOpen] = useState(false);
  const [days, setDays] = useState<string | number>('');
  if (!settings.data) return null;

  const open = () => {
    setDays(settings.data.retentionDays);
    update.reset();
    setIsOpen(true);
  };
  const fieldError = update.isError ? (getFieldErrors(update.error).retentionDays ?? getErrorMessage(update.error)) : undefined;

  return (
    <>
      <Button variant="default" leftSection={<IconClockHour4 size={16} aria-hidden />} onClick={open}>
        Retention: {settings.data.retentionDays.toLocaleString()} days
      </Button>
      <Modal opened={isOpen} onClose={() => setIsOpen(false)} title="Signal retention" centered>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            update.mutate({ retentionDays: Number(days) }, { onSuccess: () => setIsOpen(false) });
          }}
        >
          <Stack gap="md">
            <Text size="sm">Signals observed longer ago than this are deleted.</Text>
            <NumberInput
              label="Keep signals for (days)"
              min={1}
              max={3650}
              allowDecimal={false}
              allowNegative={false}
              value={days}
              onChange={setDays}
              error={fieldError}
            />
            {update.isSuccess && <Alert color="green">Saved.</Alert>}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={() => setIsOpen(false)}>
                Cancel
              </Button>
              <Button type="submit" loading={update.isPending}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
