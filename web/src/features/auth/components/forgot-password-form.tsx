import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconArrowLeft, IconMailCheck } from '@tabler/icons-react';
import { Link } from 'react-router';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { useForgotPassword } from '../auth.api';

export function ForgotPasswordForm() {
  const forgotPassword = useForgotPassword();
  const form = useForm({
    initialValues: { username: '' },
    validate: { username: (value) => (value.trim() ? null : 'Enter your username.') },
  });

  const handleSubmit = form.onSubmit((values) => {
    forgotPassword.mutate({ username: values.username.trim() }, { onError: (error) => form.setErrors(getFieldErrors(error)) });
  });

  const backLink = (
    <Anchor component={Link} to="/login" size="sm" display="inline-flex" style={{ alignItems: 'center', gap: 4 }}>
      <IconArrowLeft size={14} aria-hidden />
      Back to sign in
    </Anchor>
  );

  if (forgotPassword.isSuccess) {
    return (
      <Stack gap="lg">
        <Alert color="teal" variant="light" icon={<IconMailCheck aria-hidden />}>
          {forgotPassword.data.message}
        </Alert>
        <Text size="sm" c="dimmed">
          The link works once and expires after an hour. If no email arrives, check the username and your spam folder, or ask your
          administrator.
        </Text>
        {backLink}
      </Stack>
    );
  }

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Enter your username and we will email you a link to choose a new password. Signing in for the first time? Set your password here
          too.
        </Text>
        {forgotPassword.isError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
            {getErrorMessage(forgotPassword.error)}
          </Alert>
        )}
        <TextInput
          label="Username"
          placeholder="name@domain"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          autoFocus
          {...form.getInputProps('username')}
        />
        <Button type="submit" fullWidth size="md" loading={forgotPassword.isPending}>
          Send reset link
        </Button>
        {backLink}
      </Stack>
    </form>
  );
}
