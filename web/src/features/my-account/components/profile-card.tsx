import { Avatar, Badge, DataList, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { ROLE_LABELS } from '../../../../../common/permissions.js';
import type { MeResponse } from '../../../../../common/schemas/auth.js';
import { getInitials } from '../../../lib/format';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'long', timeStyle: 'short' });

function NotSet() {
  return (
    <Text span size="sm" c="dimmed">
      Not set
    </Text>
  );
}

/** The signed-in person's own profile, read-only. */
export function ProfileCard({ user }: { user: MeResponse }) {
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
      <DataList withDivider labelWidth="140px" size="sm" gap="sm">
        <DataList.Item>
          <DataList.ItemLabel>Name</DataList.ItemLabel>
          <DataList.ItemValue>{user.name}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Username</DataList.ItemLabel>
          <DataList.ItemValue>{user.username}</DataList.ItemValue>
        </DataList.Item>
        <DataList.Item>
          <DataList.ItemLabel>Email</DataList.ItemLabel>
          <DataList.ItemValue>{user.email ?? <NotSet />}</DataList.ItemValue>
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
    </Paper>
  );
}
