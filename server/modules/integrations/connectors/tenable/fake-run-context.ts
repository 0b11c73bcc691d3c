import type { ConnectorRecord, ConnectorValues, InFlightExport, StreamRunContext } from '../../connector.js';

/**
 * A StreamRunContext for connector tests, on a virtual clock: sleep() advances now() at once (and
 * yields to real I/O), so hours of backoff and polling take milliseconds. It records what the
 * connector handed over: chunks, remembered exports, backoffs, totals, waits and log lines.
 */

export interface FakeRunContext {
  ctx: StreamRunContext;
  stored: { chunkId: number; records: ConnectorRecord[] }[];
  remembered: (InFlightExport | null)[];
  backoffs: { until: Date; reason: string; at: Date }[];
  totals: number[];
  /** Every wait the connector asked for, in ms. */
  sleeps: number[];
  logs: string[];
  /** The virtual time. */
  now(): Date;
  abort(reason?: unknown): void;
}

export const FAKE_USER_AGENT = 'Integration/1.0 (Bulwark; Bulwark; Build/0.0.0-test)';

export function createFakeRunContext(options: {
  values: ConnectorValues;
  stream: string;
  cursor?: Date | null;
  inFlight?: InFlightExport | null;
  startedAt?: Date;
  random?: () => number;
  /** Replaces the default storeChunk (which accepts everything). */
  storeChunk?: StreamRunContext['storeChunk'];
}): FakeRunContext {
  let time = (options.startedAt ?? new Date('2026-11-22T15:00:00.000Z')).getTime();
  const controller = new AbortController();
  const fake: Omit<FakeRunContext, 'ctx'> = {
    stored: [],
    remembered: [],
    backoffs: [],
    totals: [],
    sleeps: [],
    logs: [],
    now: () => new Date(time),
    abort: (reason) => controller.abort(reason),
  };
  const ctx: StreamRunContext = {
    userAgent: FAKE_USER_AGENT,
    now: () => new Date(time),
    async sleep(ms, signal) {
      fake.sleeps.push(ms);
      if (signal?.aborted) throw signal.reason;
      time += ms;
      await new Promise((resolve) => setImmediate(resolve));
      if (signal?.aborted) throw signal.reason;
    },
    random: options.random ?? (() => 0.5),
    log: {
      info: (message) => fake.logs.push(`[INFO] ${message}`),
      warn: (message) => fake.logs.push(`[WARN] ${message}`),
      error: (message) => fake.logs.push(`[ERROR] ${message}`),
    },
    integration: { id: '00000000-0000-4000-8000-000000000001', name: 'Test Tenable' },
    values: options.values,
    stream: options.stream,
    startedAt: options.startedAt ?? new Date(time),
    cursor: options.cursor ?? null,
    inFlight: options.inFlight ?? null,
    async remember(inFlight) {
      fake.remembered.push(inFlight === null ? null : structuredClone(inFlight));
    },
    async reportTotalChunks(total) {
      fake.totals.push(total);
    },
    async reportBackoff(until, reason) {
      fake.backoffs.push({ until, reason, at: new Date(time) });
    },
    storeChunk:
      options.storeChunk ??
      (async (chunkId, records) => {
        fake.stored.push({ chunkId, records });
        return { stored: records.length, duplicates: 0 };
      }),
    signal: controller.signal,
  };
  return { ...fake, ctx };
}
