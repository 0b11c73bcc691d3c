import { ConnectorError, type ConnectorRecord, type InFlightExport, type StreamRunContext } from '../../connector.js';
import type { TenableClient, TenableLimits } from './tenable-client.js';
import { normaliseAsset, normaliseFinding } from './tenable-records.js';

/**
 * One run of a stream through Tenable's bulk export (tenable-api.md 2.1): create (or adopt on
 * 409, or resume the remembered export), poll the status with capped backoff, and download each
 * listed chunk once, in order, handing it to the engine before the next one is fetched.
 */

/** Each run asks again for the hour before its cursor, so a finding indexed late is not missed; fingerprints make the overlap idempotent. */
export const OVERLAP_WINDOW_MS = 60 * 60_000;

export interface ExportLimits extends TenableLimits {
  /** An export still unfinished this long after its run started is cancelled and the run fails. */
  exportTimeoutMs: number;
  /** Status polls without news wait this long, doubling up to pollCapMs. */
  pollInitialMs: number;
  pollCapMs: number;
  /** Attempts to download one listed chunk (404, HTML, truncated JSON, bad records) before the run fails. */
  chunkAttempts: number;
}

export type TenableStream = 'vulnerabilities' | 'assets';

interface StreamShape {
  type: 'vulns' | 'assets';
  body(since: Date | null): Record<string, unknown>;
  normalise(raw: unknown, index: number): ConnectorRecord;
}

function unixSecondsOf(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

const STREAMS: Record<TenableStream, StreamShape> = {
  vulnerabilities: {
    type: 'vulns',
    // The first run asks for all history (no `since`): imported scans are often older than the
    // API's 30-day default window, and FIXED is asked for explicitly so fixes arrive too.
    // 50 assets per chunk (the API's default): a chunk is parsed whole, so smaller chunks bound memory.
    body: (since) => ({
      num_assets: 50,
      include_unlicensed: true,
      filters: { state: ['OPEN', 'REOPENED', 'FIXED'], ...(since === null ? {} : { since: unixSecondsOf(since) }) },
    }),
    normalise: normaliseFinding,
  },
  assets: {
    type: 'assets',
    body: (since) => ({ chunk_size: 1000, filters: since === null ? {} : { updated_at: unixSecondsOf(since) } }),
    normalise: normaliseAsset,
  },
};

export function isTenableStream(name: string): name is TenableStream {
  return name === 'vulnerabilities' || name === 'assets';
}

/** The window's start for a cursor: the cursor minus the overlap, or null (everything) before the first success. */
export function windowStartOf(cursor: Date | null): Date | null {
  return cursor === null ? null : new Date(cursor.getTime() - OVERLAP_WINDOW_MS);
}

/** The request body a run with this cursor sends to create its export. */
export function exportRequestBodyOf(stream: TenableStream, cursor: Date | null): Record<string, unknown> {
  return STREAMS[stream].body(windowStartOf(cursor));
}

interface ExportStatus {
  status: string;
  chunksAvailable: number[];
  chunksFailed: number[];
  totalChunks: number | null;
  reason: string | null;
}

function chunkListOf(value: unknown): number[] | null {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return null;
  const numbers = value.map((item) => (typeof item === 'string' && /^\d+$/.test(item) ? Number(item) : item));
  return numbers.every((item): item is number => typeof item === 'number' && Number.isInteger(item)) ? numbers : null;
}

function statusOf(body: unknown, where: string): ExportStatus {
  const record = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
  const status = typeof record?.status === 'string' ? record.status.toUpperCase() : null;
  const chunksAvailable = chunkListOf(record?.chunks_available);
  const chunksFailed = chunkListOf(record?.chunks_failed);
  if (!record || status === null || chunksAvailable === null || chunksFailed === null) {
    throw new ConnectorError('bad_response', `The export status from ${where} is not a Tenable status object.`);
  }
  const total = record.total_chunks;
  return {
    status,
    chunksAvailable,
    chunksFailed,
    totalChunks: typeof total === 'number' && Number.isInteger(total) ? total : null,
    reason: typeof record.reason === 'string' ? record.reason.slice(0, 300) : null,
  };
}

function exportIdOf(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Za-z0-9-]{1,100}$/.test(value) ? value : null;
}

/** Creates the run's export, or adopts the identical one already running (409). */
async function createExport(ctx: StreamRunContext, client: TenableClient, shape: StreamShape, since: Date | null): Promise<string> {
  const where = client.baseUrl.host;
  const response = await client.requestJson('POST', `/${shape.type}/export`, { body: shape.body(since), acceptStatuses: [409] });
  const body = response.body !== null && typeof response.body === 'object' ? (response.body as Record<string, unknown>) : {};
  if (response.status === 409) {
    const adopted = exportIdOf(body.active_job_id);
    if (adopted === null)
      throw new ConnectorError('bad_response', `${where} refused the export (409) without naming the running one.`, { status: 409 });
    ctx.log.info(`tenable: adopting the ${shape.type} export already running at the source (${adopted})`);
    return adopted;
  }
  const created = exportIdOf(body.export_uuid);
  if (created === null) throw new ConnectorError('bad_response', `${where} did not return an export_uuid for POST /${shape.type}/export.`);
  return created;
}

/** Downloads, parses and normalises one chunk, retried on a missing or malformed body. */
async function fetchChunk(
  ctx: StreamRunContext,
  client: TenableClient,
  limits: ExportLimits,
  shape: StreamShape,
  exportId: string,
  chunkId: number,
): Promise<ConnectorRecord[]> {
  const path = `/${shape.type}/export/${exportId}/chunks/${chunkId}`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      const response = await client.requestJson('GET', path, {
        maxBytes: limits.maxChunkBytes,
        arrayElements: true,
        // Each record keeps its text as sent (the store saves it as the raw record without serialising
        // it again) instead of the parsed object, which then dies young: a chunk's tens of thousands
        // of parsed objects kept alive cost the server more in garbage collection than parsing them.
        mapElement: (raw, index, bytes) => {
          const record = shape.normalise(raw, index);
          if (bytes) {
            record.rawBytes = bytes;
            record.raw = undefined;
          }
          return record;
        },
      });
      if (response.body === null) return [];
      if (!Array.isArray(response.body))
        throw new ConnectorError('bad_response', `Chunk ${chunkId} from ${client.baseUrl.host} is not a JSON array.`);
      return response.body as ConnectorRecord[];
    } catch (error) {
      // 429 and 5xx were already retried by the client; a missing or malformed chunk is tried again here.
      const isChunkProblem = error instanceof ConnectorError && error.kind === 'bad_response' && (error.details.status ?? 0) < 500;
      if (!isChunkProblem || attempt >= limits.chunkAttempts) {
        if (isChunkProblem) {
          throw new ConnectorError(
            'bad_response',
            `Chunk ${chunkId} of export ${exportId} failed ${attempt} times: ${error.message}`,
            error.details,
          );
        }
        throw error;
      }
      ctx.log.warn(`tenable: chunk ${chunkId} of export ${exportId} failed (${(error as Error).message}); trying again`);
      await ctx.sleep(limits.pollInitialMs * 2 ** (attempt - 1), ctx.signal);
    }
  }
}

/** Cancels an export that took too long; best effort, the run fails either way. */
async function cancelExport(ctx: StreamRunContext, client: TenableClient, shape: StreamShape, exportId: string): Promise<void> {
  try {
    await client.requestJson('POST', `/${shape.type}/export/${exportId}/cancel`, { acceptStatuses: [400, 404] });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    ctx.log.warn(`tenable: cancelling export ${exportId} failed: ${(error as Error).message}`);
  }
}

/**
 * Runs one stream to the end. Guarantees: a chunk is handed to ctx.storeChunk at most once per
 * run and only after the previous one resolved (the next chunk downloads meanwhile: at most two
 * chunks are in memory); the remembered export lists every chunk stored,
 * so a later run resumes without storing one twice; a failed or timed-out export is forgotten.
 */
export async function runExportStream(
  ctx: StreamRunContext,
  client: TenableClient,
  limits: ExportLimits,
  stream: TenableStream,
): Promise<void> {
  const shape = STREAMS[stream];
  const where = client.baseUrl.host;
  let state: InFlightExport;
  if (ctx.inFlight) {
    state = { ...ctx.inFlight, chunksDone: [...ctx.inFlight.chunksDone] };
    ctx.log.info(`tenable: resuming the ${shape.type} export ${state.exportId} (${state.chunksDone.length} chunks already stored)`);
  } else {
    const since = windowStartOf(ctx.cursor);
    const exportId = await createExport(ctx, client, shape, since);
    state = { exportId, startedAt: ctx.startedAt.toISOString(), since: since?.toISOString() ?? null, chunksDone: [] };
    await ctx.remember(state);
  }
  const done = new Set(state.chunksDone);
  const deadline = Date.parse(state.startedAt) + limits.exportTimeoutMs;
  const statusPath = `/${shape.type}/export/${state.exportId}/status`;
  let pollDelay = limits.pollInitialMs;
  let reportedTotal: number | null = null;
  for (;;) {
    const response = await client.requestJson('GET', statusPath, { acceptStatuses: [404] });
    if (response.status === 404) {
      // Expired or never known: resuming it again would fail forever, so it is forgotten.
      await ctx.remember(null);
      throw new ConnectorError(
        'export_failed',
        `The source no longer knows the ${shape.type} export ${state.exportId} (404); the next run starts a new one.`,
        { status: 404 },
      );
    }
    const status = statusOf(response.body, where);
    if (status.status === 'ERROR' || status.status === 'CANCELLED') {
      await ctx.remember(null);
      const reason = status.reason ? `: ${status.reason}` : '';
      throw new ConnectorError(
        'export_failed',
        `The ${shape.type} export ${state.exportId} ended ${status.status} at the source${reason}.`,
      );
    }
    const isFinished = status.status === 'FINISHED';
    if (isFinished && status.chunksFailed.length > 0) {
      await ctx.remember(null);
      const reason = status.reason ? ` (${status.reason})` : '';
      throw new ConnectorError(
        'export_failed',
        `The ${shape.type} export ${state.exportId} finished with failed chunks ${status.chunksFailed.join(', ')}${reason}.`,
      );
    }
    const total = status.totalChunks ?? (isFinished ? status.chunksAvailable.length : null);
    if (total !== null && total !== reportedTotal) {
      reportedTotal = total;
      await ctx.reportTotalChunks(total);
    }
    let isNews = false;
    const pending = status.chunksAvailable.filter((chunkId) => !done.has(chunkId));
    // One chunk ahead: the next chunk downloads and parses while this one is stored (the database
    // works while this process reads). A download's failure is raised when its turn comes, after
    // every chunk before it is stored, as without the read-ahead.
    const download = (chunkId: number) => {
      const records = fetchChunk(ctx, client, limits, shape, state.exportId, chunkId);
      records.catch(() => undefined);
      return records;
    };
    let next = pending.length > 0 ? download(pending[0]!) : null;
    for (const [index, chunkId] of pending.entries()) {
      const records = await next!.catch(async (error: unknown) => {
        // Kept once so a transient fault resumes; failing again on a resumed export (its chunks may
        // have expired at the source), it is forgotten: the next run starts a new one from the same cursor.
        if (ctx.inFlight && error instanceof ConnectorError) {
          await ctx.remember(null);
          throw new ConnectorError(error.kind, `${error.message} The export is forgotten; the next run starts a new one.`, error.details);
        }
        throw error;
      });
      next = index + 1 < pending.length ? download(pending[index + 1]!) : null;
      await ctx.storeChunk(chunkId, records);
      done.add(chunkId);
      state = { ...state, chunksDone: [...state.chunksDone, chunkId] };
      await ctx.remember(state);
      isNews = true;
    }
    if (isFinished) break;
    if (ctx.now().getTime() >= deadline) {
      await cancelExport(ctx, client, shape, state.exportId);
      await ctx.remember(null);
      throw new ConnectorError(
        'timeout',
        `The ${shape.type} export ${state.exportId} was still ${status.status} after ${Math.round(limits.exportTimeoutMs / 60_000)} minutes; it was cancelled.`,
      );
    }
    if (isNews) {
      pollDelay = limits.pollInitialMs;
      continue;
    }
    await ctx.sleep(Math.max(0, Math.min(pollDelay, deadline - ctx.now().getTime())), ctx.signal);
    pollDelay = Math.min(limits.pollCapMs, pollDelay * 2);
  }
  // Every chunk is stored: the export is done with. The engine advances the cursor to startedAt.
  await ctx.remember(null);
}
