import { describe, expect, it } from 'vitest';
import { CASE_PRIORITIES } from '../../../common/schemas/support-cases.js';
import { firstResponseDueAt, firstResponseMinutes, slaClock, type SlaTarget } from './sla.js';

// The targets a fresh install has (migration 20261124T0100_support_cases).
const LEVELS: Record<string, [number, number, number, number]> = {
  'Premium 24x7': [60, 120, 240, 480],
  Standard: [120, 240, 480, 1440],
  Essentials: [240, 480, 1440, 2880],
};
const TARGETS: SlaTarget[] = Object.entries(LEVELS).flatMap(([serviceLevel, minutes]) =>
  CASE_PRIORITIES.map((priority, index) => ({ serviceLevel, priority, firstResponseMinutes: minutes[index] ?? 0 })),
);

const created = new Date('2026-11-22T09:00:00Z');
const minutesAfter = (minutes: number) => new Date(created.getTime() + minutes * 60_000);

describe('SLA first-response targets: priority x service level', () => {
  const table = Object.entries(LEVELS).flatMap(([level, minutes]) =>
    CASE_PRIORITIES.map((priority, index) => ({ level, priority, minutes: minutes[index] })),
  );

  it.each(table)('$level $priority: first reply due after $minutes minutes', ({ level, priority, minutes }) => {
    expect(firstResponseMinutes(TARGETS, level, priority)).toBe(minutes);
    expect(firstResponseDueAt(created, firstResponseMinutes(TARGETS, level, priority))).toEqual(minutesAfter(minutes ?? 0));
  });

  it.each(CASE_PRIORITIES)('an unknown service level falls back to Standard (%s)', (priority) => {
    expect(firstResponseMinutes(TARGETS, 'Platinum', priority)).toBe(firstResponseMinutes(TARGETS, 'Standard', priority));
  });

  it('has no target without a service level or a priority (Customer Care)', () => {
    expect(firstResponseMinutes(TARGETS, null, 'p1')).toBeNull();
    expect(firstResponseMinutes(TARGETS, 'Standard', null)).toBeNull();
    expect(firstResponseDueAt(created, null)).toBeNull();
    expect(firstResponseMinutes([], 'Standard', 'p1')).toBeNull();
  });
});

describe('SLA clock state at read time', () => {
  const due = minutesAfter(60);
  const cases = [
    { name: 'no target', dueAt: null, respondedAt: null, status: 'new', endedAt: null, now: minutesAfter(5000), state: 'none' },
    { name: 'waiting, not due', dueAt: due, respondedAt: null, status: 'new', endedAt: null, now: minutesAfter(59), state: 'running' },
    { name: 'waiting, exactly due', dueAt: due, respondedAt: null, status: 'in_progress', endedAt: null, now: due, state: 'running' },
    { name: 'waiting, past due', dueAt: due, respondedAt: null, status: 'new', endedAt: null, now: minutesAfter(61), state: 'breached' },
    {
      name: 'answered in time',
      dueAt: due,
      respondedAt: minutesAfter(30),
      status: 'in_progress',
      endedAt: null,
      now: minutesAfter(500),
      state: 'met',
    },
    {
      name: 'answered late',
      dueAt: due,
      respondedAt: minutesAfter(90),
      status: 'in_progress',
      endedAt: null,
      now: minutesAfter(91),
      state: 'breached',
    },
    {
      name: 'closed before due, no reply',
      dueAt: due,
      respondedAt: null,
      status: 'closed',
      endedAt: minutesAfter(10),
      now: minutesAfter(500),
      state: 'met',
    },
    {
      name: 'solved after due, no reply',
      dueAt: due,
      respondedAt: null,
      status: 'solved',
      endedAt: minutesAfter(70),
      now: minutesAfter(500),
      state: 'breached',
    },
  ] as const;

  it.each(cases)('$name: $state', ({ dueAt, respondedAt, status, endedAt, now, state }) => {
    const clock = slaClock({ createdAt: created, dueAt, respondedAt, status, endedAt, now });
    expect(clock.state).toBe(state);
    expect(clock.targetMinutes).toBe(dueAt ? 60 : null);
    expect(clock.dueAt).toBe(dueAt ? dueAt.toISOString() : null);
  });
});
