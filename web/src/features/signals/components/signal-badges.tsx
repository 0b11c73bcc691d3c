import { Badge, Text } from '@mantine/core';
import { SIGNAL_SEVERITIES, SIGNAL_STATES } from '../../../../../common/schemas/signals.js';
import { FindingStateBadge, SeverityBadge } from '../../vulnerability-management';

/** A signal's severity word (info … critical) as the instance pages' severity badge. */
export function SignalSeverityBadge({ severity }: { severity: string | null }) {
  const index = severity === null ? -1 : (SIGNAL_SEVERITIES as readonly string[]).indexOf(severity);
  if (index < 0) return severity ? <Badge variant="outline">{severity}</Badge> : <Text size="sm">—</Text>;
  return <SeverityBadge severity={index} size="sm" />;
}

export function SignalStateBadge({ state }: { state: string | null }) {
  const known = SIGNAL_STATES.find((candidate) => candidate === state);
  if (!known) return <Text size="sm">{state ?? '—'}</Text>;
  return <FindingStateBadge state={known} size="sm" />;
}
