import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconDeviceMobileMessage, IconFingerprint, IconInfoCircle, IconKey, IconShieldLock } from '@tabler/icons-react';
import { useState } from 'react';
import type { SignInChallengeResponse, TwoFactorMethod } from '../../../../../common/schemas/two-factor.js';
import { getErrorMessage, isApiError } from '../../../lib/api-client';
import { usePassSecondFactor, usePasskeySignIn, useSendSignInCode } from '../two-factor.api';

const METHOD_LABELS: Record<TwoFactorMethod, string> = {
  passkey: 'Use a passkey',
  totp: 'Use your authenticator app',
  sms: 'Text a code to my phone',
  recovery_code: 'Use a recovery code',
};

const METHOD_ICONS = { passkey: IconFingerprint, totp: IconShieldLock, sms: IconDeviceMobileMessage, recovery_code: IconKey } as const;

interface SecondFactorFormProps {
  challenge: SignInChallengeResponse;
  /** The attempt is over (too many wrong codes, expired): back to the password, with this message. */
  onAttemptEnded: (message: string) => void;
  onCancel: () => void;
}

/** The code step of sign-in: the strongest method the user has first, the others one click away. */
export function SecondFactorForm({ challenge, onAttemptEnded, onCancel }: SecondFactorFormProps) {
  const [method, setMethod] = useState<TwoFactorMethod>(challenge.methods[0] ?? 'recovery_code');
  const [isCodeSent, setIsCodeSent] = useState(challenge.isCodeSent);
  const [notice, setNotice] = useState<string | null>(
    challenge.isCodeSent && challenge.phoneHint ? `We sent a verification code to ${challenge.phoneHint}.` : null,
  );
  const pass = usePassSecondFactor();
  const passkey = usePasskeySignIn();
  const send = useSendSignInCode();
  const form = useForm({
    initialValues: { code: '' },
    validate: {
      code: (value) => {
        if (method === 'recovery_code') return value.trim().length >= 10 ? null : 'Enter a recovery code, like abcde-fghjk.';
        return /^\d{6}$/.test(value.replace(/[\s-]/g, '')) ? null : 'Enter the 6-digit code.';
      },
    },
  });

  const handleError = (error: unknown) => {
    if (isApiError(error) && error.status === 401) onAttemptEnded(error.message);
    form.setFieldValue('code', '');
  };

  const submit = form.onSubmit((values) => {
    const code = values.code.trim();
    const body = method === 'recovery_code' ? { method, code } : { method: method === 'totp' ? ('totp' as const) : ('sms' as const), code };
    pass.mutate(body, { onError: handleError });
  });

  const sendCode = () => {
    send.mutate(undefined, {
      onSuccess: (answer) => {
        setIsCodeSent(true);
        setNotice(answer.message);
      },
      onError: (error) => {
        if (isApiError(error) && error.status === 401) onAttemptEnded(error.message);
      },
    });
  };

  const switchTo = (next: TwoFactorMethod) => {
    setMethod(next);
    pass.reset();
    passkey.reset();
    form.reset();
    if (next === 'sms' && !isCodeSent) sendCode();
  };

  const error = pass.error ?? passkey.error ?? send.error;
  const others = challenge.methods.filter((other) => other !== method);

  return (
    <Stack gap="md">
      {notice && method === 'sms' && (
        <Alert color="bulwark" variant="light" icon={<IconInfoCircle aria-hidden />}>
          {notice}
        </Alert>
      )}
      {error && (
        <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />} role="alert">
          {getErrorMessage(error)}
        </Alert>
      )}

      {method === 'passkey' ? (
        <Stack gap="sm">
          <Text size="sm">Use the passkey on this device or your security key to finish signing in.</Text>
          <Button
            size="md"
            fullWidth
            leftSection={<IconFingerprint size={18} aria-hidden />}
            loading={passkey.isPending}
            onClick={() => passkey.mutate(undefined, { onError: handleError })}
          >
            Sign in with a passkey
          </Button>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <TextInput
              label={method === 'recovery_code' ? 'Recovery code' : 'Verification Code'}
              description={
                method === 'totp'
                  ? 'The 6-digit code your authenticator app shows for Bulwark.'
                  : method === 'sms'
                    ? 'The 6-digit code we sent by text message.'
                    : 'One of the recovery codes you saved. Each works once.'
              }
              autoComplete="one-time-code"
              inputMode={method === 'recovery_code' ? 'text' : 'numeric'}
              autoFocus
              required
              {...form.getInputProps('code')}
            />
            <Button type="submit" fullWidth size="md" loading={pass.isPending}>
              Verify
            </Button>
            {method === 'sms' && (
              <Button variant="subtle" onClick={sendCode} loading={send.isPending}>
                {isCodeSent ? 'Resend Code' : 'Send Code'}
              </Button>
            )}
          </Stack>
        </form>
      )}

      {others.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" c="dimmed">
            Other ways to sign in:
          </Text>
          {others.map((other) => {
            const Icon = METHOD_ICONS[other];
            return (
              <Group key={other} gap={6}>
                <Icon size={16} aria-hidden />
                <Anchor component="button" type="button" size="sm" onClick={() => switchTo(other)}>
                  {METHOD_LABELS[other]}
                </Anchor>
              </Group>
            );
          })}
        </Stack>
      )}
      <Anchor component="button" type="button" size="sm" ta="center" onClick={onCancel}>
        Cancel and sign in again
      </Anchor>
    </Stack>
  );
}
