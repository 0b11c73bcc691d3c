import { Alert, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { InstanceLicense } from '../../../../../common/schemas/instances.js';
import { LICENSED_APP_LABELS } from './instance-apps';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** The sentences the banner shows for a set of licences: one per licence over its limit or expired. */
export function describeLicenceProblems(licenses: InstanceLicense[]): string[] {
  const lines: string[] = [];
  for (const license of licenses) {
    const app = LICENSED_APP_LABELS[license.app];
    if (license.isOverLimit) {
      lines.push(
        `${app}: Licensed assets: ${license.assetCount.toLocaleString()} of ${license.assetLimit.toLocaleString()} — over the licence limit`,
      );
    }
    if (license.isExpired && license.expiresOn) {
      lines.push(`The ${app} licence expired on ${dateFormat.format(new Date(`${license.expiresOn}T00:00:00Z`))}`);
    }
  }
  return lines;
}

/** A licence over its limit or past its expiry: said on every page of the instance; imports still work. */
export function LicenceBanner({ licenses }: { licenses: InstanceLicense[] }) {
  const lines = describeLicenceProblems(licenses);
  if (lines.length === 0) return null;
  return (
    <Alert color="orange" variant="light" icon={<IconAlertTriangle aria-hidden />} title="Licence" mb="lg">
      <Stack gap={2}>
        {lines.map((line) => (
          <Text key={line} size="sm">
            {line}
          </Text>
        ))}
        <Text size="xs" c="dimmed">
          Imports still work; the MSSP decides what to do about the licence.
        </Text>
      </Stack>
    </Alert>
  );
}
