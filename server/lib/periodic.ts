/**
 * Runs `work` every `intervalMs`, and once earlier after `firstDelayMs` when given (a sweep soon after
 * start-up). The timers are unref'd (they never keep the process alive); `work` reports its own
 * failures. Returns the function that stops them.
 */
export function runPeriodically(work: () => void, intervalMs: number, firstDelayMs?: number): () => void {
  const first = firstDelayMs === undefined ? null : setTimeout(work, firstDelayMs);
  const timer = setInterval(work, intervalMs);
  first?.unref();
  timer.unref();
  return () => {
    if (first) clearTimeout(first);
    clearInterval(timer);
  };
}

/**
 * Calls `deleteBatch(batch)` until it deletes fewer than `batch` rows (short statements: a sweep never
 * holds long locks or one huge transaction); returns how many were deleted in all.
 */
export async function deleteInBatches(deleteBatch: (limit: number) => Promise<number>, batch: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const count = await deleteBatch(batch);
    deleted += count;
    if (count < batch) return deleted;
  }
}
