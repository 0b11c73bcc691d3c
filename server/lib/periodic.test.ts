import { afterEach, describe, expect, it, vi } from 'vitest';
import { deleteInBatches, runPeriodically } from './periodic.js';

describe('runPeriodically', () => {
  afterEach(() => vi.useRealTimers());

  it('runs every interval, once earlier when a first delay is given, and never after stop', () => {
    vi.useFakeTimers();
    const plain = vi.fn();
    const early = vi.fn();
    const stopPlain = runPeriodically(plain, 1_000);
    const stopEarly = runPeriodically(early, 1_000, 100);
    vi.advanceTimersByTime(100);
    expect([plain.mock.calls.length, early.mock.calls.length]).toEqual([0, 1]);
    vi.advanceTimersByTime(900);
    expect([plain.mock.calls.length, early.mock.calls.length]).toEqual([1, 2]);
    stopPlain();
    stopEarly();
    vi.advanceTimersByTime(5_000);
    expect([plain.mock.calls.length, early.mock.calls.length]).toEqual([1, 2]);
  });
});

describe('deleteInBatches', () => {
  it('deletes until a batch comes back short, and counts every row', async () => {
    const left = [3, 3, 1];
    const limits: number[] = [];
    const deleted = await deleteInBatches((limit) => {
      limits.push(limit);
      return Promise.resolve(left.shift() ?? 0);
    }, 3);
    expect(deleted).toBe(7);
    expect(limits).toEqual([3, 3, 3]);
  });
});
