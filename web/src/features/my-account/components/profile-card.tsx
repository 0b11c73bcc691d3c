import {
  Alert,
  Avatar,
  Badge,
  Button,
  DataList,
  Group,
  Paper,
  PasswordInput,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertCircle, IconCheck, IconMailForward } from '@tabler/icons-react';
import { useState } from 'react';
import { ROLE_LABELS } from '../../../../../common/permissions.js';
import type { MeResponse } from '../../../../../common/schemas/auth.js';
import type { ProfileResponse } from '../../../../../common/schemas/my-account.js';
import { QueryErrorAlert } from '../../../components/query-error-alert';
import { getErrorMessage, getFieldErrors } from '../../../lib/api-client';
import { getInitials } from '../../../lib/format';
import { useProfile, useUpdateProfile } from '../my-account.api';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' });

function NotSet() {
  return (
    <Text span size="sm" c="dimmed">
      Not set
    </Text>
  );
}

const isSameEmail = (a: string, b: string | null) => a.trim().toLowerCase() === (b ?? '').toLowerCase();

function ProfileForm({ user, profile }: { user: MeResponse; profile: ProfileResponse }) {
  const update = useUpdateProfile();
  const [savedMessage, setSavedMessage] = useState<string | null>(null);
  const form = useForm({
    initialValues: { name: profile.name, email: profile.email ?? '', currentPassword: '' },
    validate: {
      name: (value) => (value.trim() ? null : 'Enter your name.'),
      email: (value) =>
        !value.trim() || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value.trim())
          ? null
          : 'Enter a valid email address, for example name@example.com.',
      currentPassword: (value, values) =>
        !isSameEmail(values.email, profile.email) && !value ? 'Enter your current password to change your email.' : null,
    },
  });
  const isEmailChanging = !isSameEmail(form.values.email, profile.email);

  const handleSubmit = form.onSubmit((values) => {
    setSavedMessage(null);
    update.mutate(
      {
        name: values.name.trim(),
        ...(isEmailChanging ? { email: values.email.trim() || null, currentPassword: values.currentPassword } : {}),
      },
      {
        onSuccess: (response) => {
          setSavedMessage(response.message);
          // The form starts again from what the server now holds (a new Email waits for its link).
          const saved = { name: response.profile.name, email: response.profile.email ?? '', currentPassword: '' };
          form.setValues(saved);
          form.resetDirty(saved);
        },
        onError: (error) => {
          // Clear the refused password first: changing a field clears its error.
          form.setFieldValue('currentPassword', '');
          form.setErrors(getFieldErrors(error));
        },
      },
    );
  });

  const role = ROLE_LABELS[user.role];
  return (
    <form onSubmit={handleSubmit} noValidate>
      <Stack gap="md">
        {savedMessage && (
          <Alert color="teal" variant="light" icon={<IconCheck aria-hidden />} withCloseButton onClose={() => setSavedMessage(null)}>
            {savedMessage}
          </Alert>
        )}
        {update.isError && Object.keys(getFieldErrors(update.error)).length === 0 && (
          <Alert color="red" variant="light" icon={<IconAlertCircle aria-hidden />}>
            {getErrorMessage(update.error)}
          </Alert>
        )}
        {profile.pendingEmailChange && !savedMessage && (
          <Alert color="blue" variant="light" icon={<IconMailForward aria-hidden />} title="Email change waiting for confirmation">
            We sent a link to <strong>{profile.pendingEmailChange.email}</strong>. Your email changes when it is opened (before{' '}
            {timeFormat.format(new Date(profile.pendingEmailChange.expiresAt))}).
          </Alert>
        )}
        <DataList withDivider labelWidth="140px" size="sm" gap="sm">
          <DataList.Item>
            <DataList.ItemLabel>Username</DataList.ItemLabel>
            <DataList.ItemValue>{user.username}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Role</DataList.ItemLabel>
            <DataList.ItemValue>{role}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Last sign-in</DataList.ItemLabel>
            <DataList.ItemValue>
              {user.lastLoginAt ? <time dateTime={user.lastLoginAt}>{timeFormat.format(new Date(user.lastLoginAt))}</time> : <NotSet />}
            </DataList.ItemValue>
          </DataList.Item>
        </DataList>
        <TextInput label="Name" autoComplete="name" required maxLength={200} {...form.getInputProps('name')} />
        <TextInput
          label="Email"
          type="email"
          autoComplete="email"
          description="A new address is confirmed by a link sent to it."
          {...form.getInputProps('email')}
        />
        {isEmailChanging && (
          <PasswordInput
            label="Current Password"
            description="Needed to change your email."
            autoComplete="current-password"
            required
            {...form.getInputProps('currentPassword')}
          />
        )}
        <Group>
          <Button type="submit" loading={update.isPending}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** My Account → Profile: the seed's Name and Email with Save (a new Email asks for the Current Password). */
export function ProfileCard({ user }: { user: MeResponse }) {
  const profile = useProfile();
  const role = ROLE_LABELS[user.role];
  return (
    <Paper withBorder shadow="xs" p={{ base: 'md', sm: 'xl' }} maw={720}>
      <Group gap="md" mb="lg" wrap="nowrap">
        <Avatar size={56} radius="xl" color="bulwark" variant="filled" aria-hidden>
          {getInitials(user.name)}
        </Avatar>
        <Stack gap={2} style={{ minWidth: 0 }}>
          <Title order={2} size="h3">
            {user.name}
          </Title>
          <Group gap={6}>
            <Badge variant="light">{role}</Badge>
            {user.isSupportAgent && (
              <Badge variant="light" color="gray">
                Support agent
              </Badge>
            )}
          </Group>
        </Stack>
      </Group>
      {profile.isPending && (
        <Stack gap="md">
          <Skeleton height={56} />
          <Skeleton height={56} />
        </Stack>
      )}
      {profile.isError && (
        <QueryErrorAlert error={profile.error} onRetry={() => void profile.refetch()} title="Could not load your profile" />
      )}
      {profile.data && <ProfileForm user={user} profile={profile.data} />}
    </Paper>
  );
}
