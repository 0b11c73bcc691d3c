import { Badge, Box, Text } from '@mantine/core';
import { ROLE_LABELS } from '../../../common/permissions.js';
import type { MeResponse } from '../../../common/schemas/auth.js';

/** Who is signed in, at the top of a user menu: name, username and role. */
export function UserIdentity({ user }: { user: MeResponse }) {
  return (
    <Box px="sm" py={8}>
      <Text size="sm" fw={600} truncate="end">
        {user.name}
      </Text>
      <Text size="xs" c="dimmed" truncate="end">
        {user.username}
      </Text>
      <Badge mt={8} size="sm" variant="light">
        {ROLE_LABELS[user.role]}
      </Badge>
    </Box>
  );
}
