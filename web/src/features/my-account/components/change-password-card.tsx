import { Alert, Button, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconCheck, IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { PasswordHints, usePasswordPolicy, validateNewPassword, validatePasswordsMatch } from '../../auth';
import { useChangePassword } from '../my-account.api';

/**
 * My Account → Password: the seed's Current Password and New Password (and a confirmation) with
 * Save. The hints list exactly what the new password still lacks; the server checks the same.
 */
export function ChangePasswordCard({ username }: { username: string }) {
  const policy = usePasswordPolicy();
  const change = useChangePassword();
  const [savedMessage, setSavedMessage] = useState<string | null>(null);
  const form = useForm({
    initialValues: { currentPassword: '', newPassword: '', confirmPassword: '' },
    validate: {
      currentPassword: (value) => (value ? null : 'Enter your current password.'),
      newPassword: (value) => validateNewPassword(value, policy.data, username),
      confirmPassword: (value, values) => validatePasswordsMatch(value, values.newPassword),
    },
  });

  const handleSubmit = form.onSubmit((values) => {
    setSavedMessage(null);
    change.mutate(
      { currentPassword: values.currentPassword, newPassword: values.newPassword },
      {
        onSuccess: (response) => {
          setSavedMessage(response.message);
          form.reset();
        },
        onError: (error) => {
          // Clear the refused password first: changing a field clears its error.
          form.setFieldValue('currentPassword', '');
          form.setErrors(getFieldErrors(error));
        },
      },
    );
  });

  const fieldErrors = change.isError ? getFieldErrors(change.error) : {};
  return (
    <Paper withBorder shadow="xs" p={{ base: 'md', sm: 'xl' }} maw={720}>
      <form onSubmit={handleSubmit} noValidate>
        {/* Lets password managers file the new password under the right username. */}
        <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
        <Stack gap="md">
          <Group gap="xs">
            <IconLock size={20} stroke={1.7} aria-hidden />
            <Title order={2} size="h4">
              Change Your Password
            </Title>
          </Group>
          <Text size="sm" c="dimmed">
            Your other sessions are signed out when the password changes; this one stays signed in. We send you an email about it.
          </Text>
          {savedMessage && (
            <Alert color="teal" variant="light" icon={<IconCheck aria-hidden />} withCloseButton onClose={() => setSavedMessage(null)}>
              {savedMessage}
            </Alert>
          )}
          {change.isError && Object.keys(fieldErrors).length === 0 && (
            <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
              {getErrorMessage(change.error)}
            </Alert>
          )}
          <PasswordInput label="Current Password" autoComplete="current-password" required {...form.getInputProps('currentPassword')} />
          <Stack gap={6}>
            <PasswordInput
              label="New Password"
              description={policy.data?.description}
              autoComplete="new-password"
              required
              {...form.getInputProps('newPassword')}
            />
            {policy.data && <PasswordHints password={form.values.newPassword} policy={policy.data} username={username} />}
          </Stack>
          <PasswordInput label="Confirm New Password" autoComplete="new-password" required {...form.getInputProps('confirmPassword')} />
          <Group>
            <Button type="submit" loading={change.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
