import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';

/**
 * Test clients that walk an export the way the two real clients do (tenable-api.md 2.1), over
 * real HTTP through Fastify. Used by the exports tests only.
 */

export interface Walk {
  records: Record<string, unknown>[];
  /** "METHOD path -> status", in order. */
  requests: string[];
  exportId: string;
}

type Inject = (
  method: 'GET' | 'POST',
  url: string,
  payload?: unknown,
) => Promise<{ statusCode: number; body: string; headers: Record<string, unknown> }>;

function injector(app: FastifyInstance, headers: Record<string, string>, log: string[]): Inject {
  return async (method, url, payload) => {
    const response = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
    log.push(`${method} ${url} -> ${response.statusCode}`);
    return response;
  };
}

function statusPath(type: string, id: string): string {
  return `/${type === 'assets/v2' ? 'assets' : type}/export/${id}`;
}

/**
 * pyTenable 1.9.1 (ExportsIterator with restfly 1.5.1): a 429 is retried after Retry-After
 * seconds (at most 5 retries), a 409 adopts active_job_id; chunks are downloaded as soon as they
 * are listed, even while PROCESSING; the walk stops when a status poll shows FINISHED and nothing
 * new, and ERROR throws. `pollScale` shrinks the 2, 3, 4 … 30 s waits between empty polls;
 * `whileWaiting` runs while the client waits out a 429 (what the rest of the world does meanwhile).
 */
export async function walkLikePyTenable(
  app: FastifyInstance,
  headers: Record<string, string>,
  type: 'vulns' | 'assets' | 'assets/v2' | 'compliance',
  body: unknown,
  options: { pollScale?: number; whileWaiting?: () => Promise<unknown> } = {},
): Promise<Walk> {
  const requests: string[] = [];
  const send = injector(app, headers, requests);
  let created = await send('POST', `/${type}/export`, body);
  for (let retry = 1; created.statusCode === 429 && retry <= 5; retry += 1) {
    await options.whileWaiting?.();
    await sleep(Number(created.headers['retry-after']) * 1000);
    created = await send('POST', `/${type}/export`, body);
  }
  const createdBody = JSON.parse(created.body) as { export_uuid?: string; active_job_id?: string };
  if (created.statusCode !== 200 && created.statusCode !== 409) throw new Error(`export refused: ${created.statusCode} ${created.body}`);
  const exportId = (created.statusCode === 409 ? createdBody.active_job_id : createdBody.export_uuid) ?? '';
  const processed = new Set<number>();
  const records: Record<string, unknown>[] = [];
  let wait = 2;
  for (;;) {
    const status = JSON.parse((await send('GET', `${statusPath(type, exportId)}/status`)).body) as {
      status: string;
      chunks_available: number[];
    };
    if (status.status === 'ERROR') throw new Error(`export ${exportId} ended with ERROR`);
    const fresh = status.chunks_available.filter((chunk) => !processed.has(chunk));
    for (const chunk of fresh) {
      processed.add(chunk);
      const response = await send('GET', `${statusPath(type, exportId)}/chunks/${chunk}`);
      records.push(...(JSON.parse(response.body) as Record<string, unknown>[]));
    }
    if (fresh.length > 0) continue;
    if (status.status === 'FINISHED') return { records, requests, exportId };
    await sleep(wait * 1000 * (options.pollScale ?? 1));
    wait = Math.min(wait + 1, 30);
  }
}

/**
 * Elastic's tenable_io CEL program: creates the export, polls status until FINISHED (cancelling
 * after `statusTimeoutPolls`), then downloads the chunks one per cycle in the order listed; a null
 * chunk body is tolerated and every element is one event. Any non-200 answer ends the cycle.
 */
export async function walkLikeElastic(
  app: FastifyInstance,
  headers: Record<string, string>,
  body: unknown,
  options: { statusTimeoutPolls?: number; pollMs?: number } = {},
): Promise<Walk> {
  const requests: string[] = [];
  const send = injector(app, headers, requests);
  const created = await send('POST', '/vulns/export', body);
  if (created.statusCode !== 200) throw new Error(`export refused: ${created.statusCode} ${created.body}`);
  const exportId = (JSON.parse(created.body) as { export_uuid: string }).export_uuid;
  for (let poll = 0; ; poll += 1) {
    const status = JSON.parse((await send('GET', `/vulns/export/${exportId}/status`)).body) as {
      status: string;
      chunks_available: number[];
    };
    if (status.status === 'FINISHED') {
      const records: Record<string, unknown>[] = [];
      for (const chunk of status.chunks_available) {
        const response = await send('GET', `/vulns/export/${exportId}/chunks/${chunk}`);
        if (response.statusCode !== 200) throw new Error(`chunk ${chunk}: ${response.statusCode}`);
        records.push(...((JSON.parse(response.body) as Record<string, unknown>[] | null) ?? []));
      }
      return { records, requests, exportId };
    }
    if (poll + 1 >= (options.statusTimeoutPolls ?? 30)) {
      await send('POST', `/vulns/export/${exportId}/cancel`);
      return { records: [], requests, exportId };
    }
    await sleep(options.pollMs ?? 1000);
  }
}
