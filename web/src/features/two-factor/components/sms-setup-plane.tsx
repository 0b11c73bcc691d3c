import { Alert, Anchor, Button, Drawer, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconCircleCheck, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import {
  SMS_WEAKEST_REASON,
  type FactorConfiguredResponse,
  type SmsSetupStartedResponse,
} from '../../../../../common/schemas/two-factor.js';
import { getErrorMessage, getFieldErrors, isApiError } from '../../../lib/api-client';
import { useConfirmSmsSetup, useResendSmsSetupCode, useStartSmsSetup } from '../two-factor.api';
import { RecoveryCodesList } from './recovery-codes-list';

interface SmsSetupPlaneProps {
  opened: boolean;
  onClose: () => void;
  /** Called once the phone number is confirmed, so the panel can refresh. */
  onConfigured: () => void;
}

/**
 * The seed's Two-Factor Setup plane: the mobile phone number and Next; then the Verification Code
 * screen with Resend Code and Next; then the success message.
 */
export function SmsSetupPlane({ opened, onClose, onConfigured }: SmsSetupPlaneProps) {
  const [started, setStarted] = useState<SmsSetupStartedResponse | null>(null);
  const [done, setDone] = useState<FactorConfiguredResponse | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const start = useStartSmsSetup();
  const resend = useResendSmsSetupCode();
  const confirm = useConfirmSmsSetup();
  const phoneForm = useForm({
    initialValues: { phone: '' },
    validate: { phone: (value) => (value.trim() ? null : 'Type your mobile phone number.') },
  });
  const codeForm = useForm({
    initialValues: { code: '' },
    validate: { code: (value) => (/^\d{6}$/.test(value.replace(/[\s-]/g, '')) ? null : 'Enter the 6-digit code.') },
  });

  const reset = () => {
    setStarted(null);
    setDone(null);
    setNotice(null);
    start.reset();
    resend.reset();
    confirm.reset();
    phoneForm.reset();
    codeForm.reset();
  };

  const submitPhone = phoneForm.onSubmit((values) => {
    start.mutate(values.phone.trim(), {
      onSuccess: (answer) => {
        setStarted(answer);
        setNotice(`${answer.message.replace(/\.$/, '')} (${answer.phone}).`);
      },
      onError: (error) => phoneForm.setErrors(getFieldErrors(error)),
    });
  });

  const submitCode = codeForm.onSubmit((values) => {
    if (!started) return;
    confirm.mutate(
      { attemptId: started.attemptId, code: values.code.replace(/[\s-]/g, '') },
      {
        onSuccess: (answer) => {
          setDone(answer);
          onConfigured();
        },
        onError: () => codeForm.setFieldValue('code', ''),
      },
    );
  });

  // A dead setup (too many wrong codes, expired) starts over at the phone number.
  const isAttemptOver = isApiError(confirm.error) && /start it again/i.test(confirm.error.message);

  const renderBody = () => {
    if (done) {
      return (
        <Stack gap="md">
          <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} role="status">
            {done.message}
          </Alert>
          {done.recoveryCodes && <RecoveryCodesList codes={done.recoveryCodes} />}
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      );
    }
    if (started) {
      return (
        <form onSubmit={submitCode} noValidate>
          <Stack gap="md">
            <Text fw={600} size="lg">
              Verification Code
            </Text>
            {notice && (
              <Alert color="bulwark" variant="light" icon={<IconInfoCircle aria-hidden />}>
                {notice}
              </Alert>
            )}
            {(confirm.error ?? resend.error) && (
              <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />} role="alert">
                {getErrorMessage(confirm.error ?? resend.error)}
              </Alert>
            )}
            <TextInput
              label="Verification Code"
              description="Type the 6-digit code from the text message."
              autoComplete="one-time-code"
              inputMode="numeric"
              autoFocus
              required
              {...codeForm.getInputProps('code')}
            />
            <Group justify="space-between">
              {isAttemptOver ? (
                <Anchor component="button" type="button" onClick={reset}>
                  Start again
                </Anchor>
              ) : (
                <Button
                  variant="subtle"
                  loading={resend.isPending}
                  onClick={() =>
                    resend.mutate(started.attemptId, {
                      onSuccess: (answer) => setNotice(answer.message),
                    })
                  }
                >
                  Resend Code
                </Button>
              )}
              <Button type="submit" loading={confirm.isPending} disabled={isAttemptOver}>
                Next
              </Button>
            </Group>
          </Stack>
        </form>
      );
    }
    return (
      <form onSubmit={submitPhone} noValidate>
        <Stack gap="md">
          <Text size="sm">Bulwark texts a verification code to this number each time you sign in.</Text>
          <Alert color="yellow" variant="light" icon={<IconInfoCircle aria-hidden />}>
            {SMS_WEAKEST_REASON}
          </Alert>
          {start.isError && !getFieldErrors(start.error).phone && (
            <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />} role="alert">
              {getErrorMessage(start.error)}
            </Alert>
          )}
          <TextInput
            label="Mobile phone number"
            description="In international format, starting with + and the country code, for example +1 201 555 0123."
            type="tel"
            autoComplete="tel"
            autoFocus
            required
            {...phoneForm.getInputProps('phone')}
          />
          <Group justify="flex-end">
            <Button type="submit" loading={start.isPending}>
              Next
            </Button>
          </Group>
        </Stack>
      </form>
    );
  };

  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      onExitTransitionEnd={reset}
      title="Two-Factor Setup"
      position="right"
      size="md"
      closeButtonProps={{ 'aria-label': 'Close' }}
    >
      {renderBody()}
    </Drawer>
  );
}
