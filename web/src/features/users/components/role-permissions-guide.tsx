import { Badge, Drawer, Stack, Text, Title } from '@mantine/core';
import { ROLE_LABELS, ROLE_VALUES, type RoleValue } from '../../../../../common/permissions.js';

/** What each role may do in the portal and, through single sign-on, in customer instances. */
const ROLE_DESCRIPTIONS: Record<RoleValue, string> = {
  16: 'Sees the accounts assigned to them and signs in to those instances with read-only access: dashboards, assets and vulnerabilities, but no scans.',
  24: 'Everything Basic can do, and runs scans in the assigned instances with the scan configurations others created.',
  32: 'Everything VM Scan Operator can do, and creates and edits their own scans, policies and reports in the assigned instances.',
  40: 'Everything VM Standard can do, and manages every scan, scanner, target group and credential in the assigned instances.',
  64: 'Sees and manages every customer account without being assigned to any: accounts, logos, users, approved domains, settings and the audit log. Administrators cannot be assigned to accounts.',
};

export function RolePermissionsGuide({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Drawer opened={opened} onClose={onClose} position="right" title="Role Permissions" size="md">
      <Stack gap="lg">
        <Text size="sm" c="dimmed">
          A user&apos;s role applies in the portal and in every customer instance they open with single sign-on. Any role can also be a
          support agent (set in Edit User).
        </Text>
        {ROLE_VALUES.map((role) => (
          <Stack key={role} gap={4}>
            <Title order={3} size="h5">
              {ROLE_LABELS[role]}{' '}
              <Badge variant="light" color="gray" size="sm" ml={4}>
                {role}
              </Badge>
            </Title>
            <Text size="sm">{ROLE_DESCRIPTIONS[role]}</Text>
          </Stack>
        ))}
      </Stack>
    </Drawer>
  );
}
