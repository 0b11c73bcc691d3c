import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createInstanceCaller, REAL_FIXTURES, type InstanceCaller } from '../../test/instance-api.js';

// The round trip, through the API only, as a customer's script would do it: upload a real
// .nessus file, import it, export the vulnerabilities and the compliance results, and find every
// distinct (host, plugin, port, protocol) of the file's non-compliance ReportItems exactly once
// with its severity, and every compliance item. Expectations are read from the file by a plain
// regular-expression pass here, never by Bulwark's parser.

const FIXTURE = 'nessus/SoteriaSoftwareLLC__openrmfpro-automation__Microsoft_Edge_Policy_Scan_12321.nessus';
const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'];

interface FileContents {
  findings: Map<string, string>;
  complianceItems: number;
}

function readIndependently(text: string): FileContents {
  const findings = new Map<string, string>();
  let complianceItems = 0;
  for (const host of text.matchAll(/<ReportHost\b[^>]*\bname="([^"]*)"[^>]*>([\s\S]*?)<\/ReportHost>/g)) {
    for (const item of (host[2] ?? '').matchAll(/<ReportItem\b([^>]*?)(\/>|>([\s\S]*?)<\/ReportItem>)/g)) {
      if ((item[3] ?? '').includes('<cm:compliance-')) {
        complianceItems += 1;
        continue;
      }
      const attribute = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(item[1] ?? '')?.[1] ?? '';
      const key = [host[1], attribute('pluginID'), attribute('port'), attribute('protocol').toLowerCase()].join('|');
      findings.set(key, SEVERITIES[Number(attribute('severity'))] ?? 'info');
    }
  }
  return { findings, complianceItems };
}

function multipart(fileName: string, content: Buffer) {
  const boundary = '----bulwark-round-trip';
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="Filedata"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return {
    payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

let t: TestApp;
let caller: InstanceCaller;

beforeAll(async () => {
  t = await buildTestApp();
  caller = await createInstanceCaller(t, { role: 64 });
});
afterAll(() => t.close());

async function api(method: 'GET' | 'POST', url: string, body?: unknown) {
  const response = await t.app.inject({ method, url, headers: caller.headers, ...(body === undefined ? {} : { payload: body as object }) });
  return response;
}

/** Walks an export as pyTenable does: create, poll status, download every listed chunk until FINISHED. */
async function exportAll(type: 'vulns' | 'compliance', body: object): Promise<Record<string, unknown>[]> {
  const created = await api('POST', `/${type}/export`, body);
  expect(created.statusCode, created.body).toBe(200);
  const uuid = (created.json() as { export_uuid: string }).export_uuid;
  const seen = new Set<number>();
  const records: Record<string, unknown>[] = [];
  for (let poll = 0; poll < 200; poll += 1) {
    const status = (await api('GET', `/${type}/export/${uuid}/status`)).json() as { status: string; chunks_available?: number[] };
    for (const chunk of status.chunks_available ?? []) {
      if (seen.has(chunk)) continue;
      seen.add(chunk);
      const response = await api('GET', `/${type}/export/${uuid}/chunks/${chunk}`);
      expect(response.statusCode).toBe(200);
      records.push(...(JSON.parse(response.body) as Record<string, unknown>[]));
    }
    if (status.status === 'FINISHED') return records;
    expect(status.status).not.toBe('ERROR');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`export ${uuid} did not finish`);
}

async function waitForImport(scanId: number | string) {
  for (let poll = 0; poll < 300; poll += 1) {
    const response = await api('GET', `/scans/${scanId}`);
    const info = (response.json() as { info?: { status?: string } }).info;
    if (info?.status && !['pending', 'processing', 'running', 'initializing'].includes(info.status)) return info.status;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`scan ${scanId} did not finish importing`);
}

describe('round trip through the instance API', () => {
  it('imports a real file through /file/upload and /scans/import, and the exports hold exactly its findings and compliance results', async () => {
    const file = path.join(REAL_FIXTURES, FIXTURE);
    const content = fs.readFileSync(file);
    const expected = readIndependently(content.toString('utf8'));
    expect(expected.findings.size).toBeGreaterThan(0);
    expect(expected.complianceItems).toBeGreaterThan(0);

    const upload = multipart(path.basename(file), content);
    const uploaded = await t.app.inject({
      method: 'POST',
      url: '/file/upload',
      headers: { ...caller.headers, 'content-type': upload.contentType },
      payload: upload.payload,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(200);
    const { fileuploaded } = uploaded.json() as { fileuploaded: string };
    const imported = await api('POST', '/scans/import?include_aggregate=1', { file: fileuploaded });
    expect(imported.statusCode, imported.body).toBe(200);
    const scan = (imported.json() as { scan: { id: number } }).scan;
    expect(await waitForImport(scan.id)).toMatch(/imported|completed/);

    const findings = await exportAll('vulns', { num_assets: 50, filters: { since: 1, state: ['open', 'reopened', 'fixed'] } });
    const exported = new Map<string, string>();
    for (const finding of findings) {
      const asset = finding.asset as { hostname?: string; ipv4?: string; fqdn?: string; netbios_name?: string };
      const plugin = finding.plugin as { id: number };
      const port = finding.port as { port: number; protocol: string };
      // The fixture names its host by IP address (ReportHost name="192.168.85.132").
      const key = [asset.ipv4 ?? asset.hostname, plugin.id, port.port, port.protocol.toLowerCase()].join('|');
      expect(exported.has(key), `${key} exported twice`).toBe(false);
      exported.set(key, finding.severity as string);
    }
    expect(new Map([...exported].sort())).toEqual(new Map([...expected.findings].sort()));

    const compliance = await exportAll('compliance', { num_findings: 5000 });
    expect(compliance).toHaveLength(expected.complianceItems);
  });
});
