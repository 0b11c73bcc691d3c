import { Alert, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { usePasswordPolicy, useResetPassword } from '../auth.api';
import { PasswordHints, validateNewPassword, validatePasswordsMatch } from './password-hints';

interface ResetPasswordFormProps {
  token: string;
  /** Whose password this is: offered to password managers, so they save the new one under it. */
  username: string;
  /** Called with the server's confirmation once the password is changed. */
  onPasswordChanged: (message: string) => void;
}

export function ResetPasswordForm({ token, username, onPasswordChanged }: ResetPasswordFormProps) {
  const policy = usePasswordPolicy();
  const resetPassword = useResetPassword();
  const form = useForm({
    initialValues: { password: '', verifyPassword: '' },
    validate: {
      password: (value) => validateNewPassword(value, policy.data),
      verifyPassword: (value, values) => validatePasswordsMatch(value, values.password),
    },
  });

  const handleSubmit = form.onSubmit((values) => {
    resetPassword.mutate(
      { token, password: values.password },
      {
        onSuccess: (response) => onPasswordChanged(response.message),
        onError: (error) => form.setErrors(getFieldErrors(error)),
      },
    );
  });

  return (
    <form onSubmit={handleSubmit} noValidate>
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <Stack gap="md">
        {resetPassword.isError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
            {getErrorMessage(resetPassword.error)}
          </Alert>
        )}
        <Stack gap={6}>
          <PasswordInput
            label="New Password"
            description={policy.data?.description}
            autoComplete="new-password"
            required
            autoFocus
            {...form.getInputProps('password')}
          />
          {policy.data && <PasswordHints password={form.values.password} policy={policy.data} />}
        </Stack>
        <PasswordInput label="Verify Password" autoComplete="new-password" required {...form.getInputProps('verifyPassword')} />
        <Button type="submit" fullWidth size="md" loading={resetPassword.isPending}>
          Set password
        </Button>
      </Stack>
    </form>
  );
}
