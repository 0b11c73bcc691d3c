import { Alert, Button, PasswordInput, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle } from '@tabler/icons-react';
import type { SessionResponse } from '../../../../../common/schemas/auth.js';
import { Username } from '../../../../../common/schemas/auth.js';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { PasswordHints, usePasswordPolicy, validateNewPassword, validatePasswordsMatch } from '../../auth';
import { useCompleteSetup } from '../setup.api';

interface SetupFormProps {
  token: string;
  onCreated: (session: SessionResponse) => void;
}

function validateUsername(value: string): string | null {
  if (!value.trim()) return 'Enter a username.';
  const result = Username.safeParse(value);
  return result.success ? null : (result.error.issues[0]?.message ?? 'Must be in the format name@domain.');
}

function validateEmail(value: string): string | null {
  if (!value.trim()) return null;
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim()) ? null : 'Enter a valid email address, or leave it empty.';
}

export function SetupForm({ token, onCreated }: SetupFormProps) {
  const policy = usePasswordPolicy();
  const completeSetup = useCompleteSetup();
  const form = useForm({
    initialValues: { name: '', username: '', email: '', password: '', verifyPassword: '' },
    validate: {
      name: (value) => (value.trim() ? null : 'Enter your full name.'),
      username: validateUsername,
      email: validateEmail,
      password: (value) => validateNewPassword(value, policy.data),
      verifyPassword: (value, values) => validatePasswordsMatch(value, values.password),
    },
  });

  const handleSubmit = form.onSubmit((values) => {
    completeSetup.mutate(
      { token, name: values.name.trim(), username: values.username.trim(), email: values.email.trim(), password: values.password },
      { onSuccess: onCreated, onError: (error) => form.setErrors(getFieldErrors(error)) },
    );
  });

  const username = form.values.username.trim();
  const domain = username.includes('@') ? username.slice(username.lastIndexOf('@') + 1) : '';

  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="md">
        {completeSetup.isError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
            {getErrorMessage(completeSetup.error)}
          </Alert>
        )}
        <TextInput label="Full Name" autoComplete="name" required autoFocus {...form.getInputProps('name')} />
        <TextInput
          label="Username"
          placeholder="name@domain"
          description={
            domain
              ? `${domain} becomes the first approved domain for staff usernames.`
              : 'Its domain becomes the first approved domain for staff usernames.'
          }
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          {...form.getInputProps('username')}
        />
        <TextInput
          label="Email"
          description="Optional. Where password reset links are sent; without it, they go to the username."
          type="email"
          autoComplete="email"
          {...form.getInputProps('email')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="md">
          <PasswordInput label="Password" autoComplete="new-password" required {...form.getInputProps('password')} />
          <PasswordInput label="Verify Password" autoComplete="new-password" required {...form.getInputProps('verifyPassword')} />
        </SimpleGrid>
        {policy.data && (
          <Stack gap={6}>
            <PasswordHints password={form.values.password} policy={policy.data} />
            {!form.values.password && (
              <Text size="sm" c="dimmed">
                {policy.data.description}
              </Text>
            )}
          </Stack>
        )}
        <Button type="submit" fullWidth size="md" loading={completeSetup.isPending}>
          Create Administrator
        </Button>
      </Stack>
    </form>
  );
}
