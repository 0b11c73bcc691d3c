import { Badge, Group, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { LICENSED_APP_LABELS, type LicensedApp } from '../../../../../common/schemas/accounts.js';

const APP_COLORS: Record<LicensedApp, string> = { vm: 'bulwark', was: 'violet', cs: 'cyan' };

/** VM / WAS / CS badges, each naming its app in a tooltip (and to screen readers); they wrap in a narrow column. */
export function LicensedAppBadges({ apps }: { apps: LicensedApp[] }) {
  if (apps.length === 0) return <EmptyValue />;
  return (
    <Group gap={4}>
      {apps.map((app) => (
        <Tooltip key={app} label={LICENSED_APP_LABELS[app]}>
          <Badge
            variant="light"
            color={APP_COLORS[app]}
            tabIndex={0}
            aria-label={LICENSED_APP_LABELS[app]}
            role="img"
            style={{ flexShrink: 0, overflow: 'visible' }}
          >
            {app.toUpperCase()}
          </Badge>
        </Tooltip>
      ))}
    </Group>
  );
}

/** The placeholder for a value that is not set. */
export function EmptyValue() {
  return (
    <>
      <Text span c="dimmed" aria-hidden>
        —
      </Text>
      <VisuallyHidden>Not set</VisuallyHidden>
    </>
  );
}
