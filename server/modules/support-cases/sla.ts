import type { CasePriority, CaseStatus, SlaClockResponse } from '../../../common/schemas/support-cases.js';

/** The service level whose targets apply when an account's level has none configured. */
export const FALLBACK_SERVICE_LEVEL = 'Standard';

export interface SlaTarget {
  serviceLevel: string;
  priority: CasePriority;
  firstResponseMinutes: number;
}

/**
 * The first-response target in minutes for a service level and priority; a level with no target
 * configured falls back to Standard's. null: no service level (Customer Care) or no target at all.
 */
export function firstResponseMinutes(
  targets: readonly SlaTarget[],
  serviceLevel: string | null,
  priority: CasePriority | null,
): number | null {
  if (!serviceLevel || !priority) return null;
  const find = (level: string) =>
    targets.find((target) => target.serviceLevel.toLowerCase() === level.toLowerCase() && target.priority === priority);
  return (find(serviceLevel) ?? find(FALLBACK_SERVICE_LEVEL))?.firstResponseMinutes ?? null;
}

/** When the first agent reply is due: created + target minutes; null without a target. */
export function firstResponseDueAt(createdAt: Date, minutes: number | null): Date | null {
  return minutes === null ? null : new Date(createdAt.getTime() + minutes * 60_000);
}

export interface SlaClockInput {
  createdAt: Date;
  dueAt: Date | null;
  respondedAt: Date | null;
  status: CaseStatus;
  /** When the case was solved or closed, if it was (stops a clock no agent answered). */
  endedAt: Date | null;
  now: Date;
}

/**
 * The first-response clock at read time. none: no target; met: the first public agent reply came
 * by the deadline (or the case ended before it without one); breached: the reply came late, or
 * the deadline passed with none; running: no reply yet and not due.
 */
export function slaClock(input: SlaClockInput): SlaClockResponse {
  const { createdAt, dueAt, respondedAt, status, endedAt, now } = input;
  if (!dueAt) return { state: 'none', dueAt: null, respondedAt: respondedAt?.toISOString() ?? null, targetMinutes: null };
  const targetMinutes = Math.round((dueAt.getTime() - createdAt.getTime()) / 60_000);
  const base = { dueAt: dueAt.toISOString(), respondedAt: respondedAt?.toISOString() ?? null, targetMinutes };
  if (respondedAt) return { ...base, state: respondedAt.getTime() <= dueAt.getTime() ? 'met' : 'breached' };
  const ended = status === 'solved' || status === 'closed';
  const stoppedAt = ended ? (endedAt ?? now) : now;
  if (stoppedAt.getTime() > dueAt.getTime()) return { ...base, state: 'breached' };
  return { ...base, state: ended ? 'met' : 'running' };
}
