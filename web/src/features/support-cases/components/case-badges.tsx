import { Badge, Text, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import {
  CASE_PRIORITY_LABELS,
  CASE_STATUS_LABELS,
  type CasePriority,
  type CaseStatus,
  type SlaClockResponse,
} from '../../../../../common/schemas/support-cases.js';

/** In a crowded table a badge keeps its whole label rather than shrinking to an ellipsis. */
const NO_SHRINK = { minWidth: 'max-content' } as const;

const STATUS_COLORS: Record<CaseStatus, string> = {
  new: 'blue',
  in_progress: 'violet',
  awaiting_customer: 'orange',
  solved: 'green',
  closed: 'gray',
};

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  return (
    <Badge color={STATUS_COLORS[status]} variant="light" radius="sm" style={NO_SHRINK}>
      {CASE_STATUS_LABELS[status]}
    </Badge>
  );
}

/** "P2", with the full label as its tooltip; "—" for cases without a priority (Customer Care). */
export function CasePriorityLabel({ priority }: { priority: CasePriority | null }) {
  if (!priority)
    return (
      <Text span size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Tooltip label={CASE_PRIORITY_LABELS[priority]}>
      <Text span size="sm" fw={500}>
        {priority.toUpperCase()}
      </Text>
    </Tooltip>
  );
}

/** 95 -> "1 h 35 min"; 3000 -> "2 d 2 h". */
export function formatDuration(totalMinutes: number): string {
  const minutes = Math.max(0, Math.round(totalMinutes));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** The current time, refreshed every `intervalMs`, so SLA clocks count down on screen. */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** The first-response SLA clock: time left, "Breached", "Met", or a dash when the case has no target. */
export function SlaClock({ sla, now }: { sla: SlaClockResponse; now: number }) {
  if (sla.state === 'none' || (sla.state === 'running' && !sla.dueAt)) {
    return (
      <Text span size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        No SLA
      </Text>
    );
  }
  if (sla.state === 'met') {
    return (
      <Badge color="green" variant="light" radius="sm" style={NO_SHRINK}>
        Met
      </Badge>
    );
  }
  const minutesLeft = sla.dueAt ? (Date.parse(sla.dueAt) - now) / 60_000 : 0;
  if (sla.state === 'breached' || minutesLeft <= 0) {
    return (
      <Badge color="red" variant="filled" radius="sm" style={NO_SHRINK}>
        Breached
      </Badge>
    );
  }
  return (
    <Tooltip label={`First response due ${formatDateTime(sla.dueAt ?? '')}`}>
      <Badge color={minutesLeft < 60 ? 'orange' : 'gray'} variant="light" radius="sm" style={NO_SHRINK}>
        {formatDuration(minutesLeft)} left
      </Badge>
    </Tooltip>
  );
}

export function formatDateTime(value: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** 1536 -> "1.5 KB". */
export function formatFileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
