/**
 * Runs `work` once after `firstDelayMs`, then every `intervalMs`. The timers are unref'd (they never
 * keep the process alive); `work` reports its own failures. Returns the function that stops both.
 */
export function runPeriodically(work: () => void, intervalMs: number, firstDelayMs = intervalMs): () => void {
  const first = setTimeout(work, firstDelayMs);
  const timer = setInterval(work, intervalMs);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
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
