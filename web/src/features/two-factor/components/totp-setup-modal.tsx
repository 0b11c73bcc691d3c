import { Alert, Button, Code, Group, Image, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconCircleCheck } from '@tabler/icons-react';
import { useEffect } from 'react';
import { getErrorMessage } from '../../../lib/api-client';
import { useConfirmTotpSetup, useStartTotpSetup } from '../two-factor.api';
import { RecoveryCodesList } from './recovery-codes-list';

interface TotpSetupModalProps {
  opened: boolean;
  onClose: () => void;
  onConfigured: () => void;
}

/** Authenticator app: scan the QR code (or type the secret), then confirm with one code. */
export function TotpSetupModal({ opened, onClose, onConfigured }: TotpSetupModalProps) {
  const start = useStartTotpSetup();
  const confirm = useConfirmTotpSetup();
  const form = useForm({
    initialValues: { code: '' },
    validate: { code: (value) => (/^\d{6}$/.test(value.replace(/[\s-]/g, '')) ? null : 'Enter the 6-digit code.') },
  });
  const { mutate: startSetup, isIdle } = start;

  useEffect(() => {
    if (opened && isIdle) startSetup();
  }, [opened, isIdle, startSetup]);

  const reset = () => {
    start.reset();
    confirm.reset();
    form.reset();
  };

  const submit = form.onSubmit((values) => {
    if (!start.data) return;
    confirm.mutate(
      { attemptId: start.data.attemptId, code: values.code.replace(/[\s-]/g, '') },
      { onSuccess: onConfigured, onError: () => form.setFieldValue('code', '') },
    );
  });

  const renderBody = () => {
    if (confirm.data) {
      return (
        <Stack gap="md">
          <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} role="status">
            {confirm.data.message}
          </Alert>
          {confirm.data.recoveryCodes && <RecoveryCodesList codes={confirm.data.recoveryCodes} />}
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      );
    }
    if (start.isError) {
      return (
        <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />} role="alert">
          {getErrorMessage(start.error)}
        </Alert>
      );
    }
    if (!start.data) return <Text size="sm">Preparing…</Text>;
    return (
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm">
            Scan this QR code with an authenticator app (such as Google Authenticator, Microsoft Authenticator, 1Password or Aegis).
          </Text>
          <Image src={start.data.qrCode} alt="QR code for your authenticator app" w={220} h={220} mx="auto" />
          <Stack gap={4}>
            <Text size="sm">Or type this secret into the app:</Text>
            <Code block data-testid="totp-secret" style={{ wordBreak: 'break-all', whiteSpace: 'normal' }}>
              {start.data.secret}
            </Code>
          </Stack>
          {confirm.isError && (
            <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />} role="alert">
              {getErrorMessage(confirm.error)}
            </Alert>
          )}
          <TextInput label="Code from the app" autoComplete="one-time-code" inputMode="numeric" required {...form.getInputProps('code')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={confirm.isPending}>
              Confirm
            </Button>
          </Group>
        </Stack>
      </form>
    );
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      onExitTransitionEnd={reset}
      title="Set up an authenticator app"
      centered
      size="md"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {renderBody()}
    </Modal>
  );
}
