import fs from 'node:fs';
import path from 'node:path';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { createInstanceCaller, importFixture, REAL_FIXTURES, type InstanceCaller } from '../../test/instance-api.js';
import { endpointOf, recordedInteractions, responseJson, shapeDifferences, type RecordedInteraction } from '../../test/tenable-contract.js';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const COMPLIANCE_FIXTURE = 'nessus/SoteriaSoftwareLLC__openrmfpro-automation__hostsvr01.soteriasoft.internal_CIS_Docker_forOpenRMF.nessus';
const FINDINGS_FIXTURE = 'nessus/savon-noir__python-libnessus__nessus_report_local_3.nessus';
const SCAN_EXPORT_FIXTURE =
  'nessus/tenable__pyTenable__test_scan_export_bytesio.yaml__i04__GET_scans_ID_export_SSE-UUID-nessus_download.nessus';
const WORKBENCH_FIXTURE =
  'nessus/tenable__Tenable.io-SDK-for-Python__TestExamples.test_workbench.yaml__i02__GET_workbenches_export_ID_download.nessus';
const NOT_NESSUS_FIXTURE = 'nessus/djcas9__ruby-nessus__example_v_wrong.nessus';

const readFixture = (fixture: string) => fs.readFileSync(path.join(REAL_FIXTURES, fixture));

/**
 * What a .nessus text holds, counted with regular expressions (not with Bulwark's parser): distinct
 * hosts, distinct findings (host x plugin x port x protocol) and compliance checks.
 */
function countNessus(text: string) {
  const hosts = new Set<string>();
  const findings = new Set<string>();
  let compliance = 0;
  for (const host of text.split('<ReportHost ').slice(1)) {
    const name = /^name="([^"]*)"/.exec(host)?.[1] ?? '';
    hosts.add(name.toLowerCase());
    for (const item of host.split('<ReportItem').slice(1)) {
      const body = item.split('</ReportItem>')[0] ?? '';
      if (body.includes('<cm:compliance-')) {
        compliance += 1;
        continue;
      }
      const attribute = (attributeName: string) => new RegExp(`\\b${attributeName}="([^"]*)"`).exec(body)?.[1] ?? '';
      findings.add([name, attribute('pluginID'), attribute('port'), attribute('protocol').toLowerCase()].join('|'));
    }
  }
  return { hosts: hosts.size, findings: findings.size, compliance };
}

/**
 * A .nessus text's findings (host x plugin x port x protocol, as countNessus counts them) with
 * what the filters below look at, read with regular expressions.
 */
function nessusFindings(text: string) {
  const found = new Map<string, { host: string; pluginId: string; family: string; severity: number }>();
  for (const host of text.split('<ReportHost ').slice(1)) {
    const name = /^name="([^"]*)"/.exec(host)?.[1] ?? '';
    for (const item of host.split('<ReportItem').slice(1)) {
      const tag = item.split('>')[0] ?? '';
      const attribute = (attributeName: string) => new RegExp(`\\b${attributeName}="([^"]*)"`).exec(tag)?.[1] ?? '';
      const key = [name, attribute('pluginID'), attribute('port'), attribute('protocol').toLowerCase()].join('|');
      found.set(key, {
        host: name,
        pluginId: attribute('pluginID'),
        family: attribute('pluginFamily'),
        severity: Number(attribute('severity')),
      });
    }
  }
  return [...found.values()];
}

/** `filter.<i>.*` query parameters, one triple per filter. */
const filterParams = (...filters: [string, string, string][]) =>
  filters
    .map(
      ([name, quality, value], index) =>
        `&filter.${index}.filter=${name}&filter.${index}.quality=${quality}&filter.${index}.value=${encodeURIComponent(value)}`,
    )
    .join('');

const WORKBENCH_EXPORT_URL = '/workbenches/export?format=nessus&report=vulnerabilities&chapter=vuln_by_asset';

/** The number of ReportItems in the workbench export with the given extra parameters. */
async function exportedItemCount(caller: InstanceCaller, params: string): Promise<number> {
  const exported = await t.app.inject({ method: 'GET', url: `${WORKBENCH_EXPORT_URL}${params}`, headers: caller.headers });
  expect(exported.statusCode, params).toBe(200);
  const { file } = exported.json<{ file: number }>();
  const download = await t.app.inject({ method: 'GET', url: `/workbenches/export/${file}/download`, headers: caller.headers });
  return download.body.match(/<ReportItem /g)?.length ?? 0;
}

/** Well-formed, namespace-correct XML for any reader (saxes itself, not Bulwark's parser); the root's name. */
function checkXml(text: string): string {
  const parser = new SaxesParser({ xmlns: true });
  let root = '';
  parser.on('opentag', (tag) => {
    root ||= tag.name;
  });
  parser.write(text).close();
  return root;
}

async function countInstance(accountId: string) {
  const count = async (table: 'assets' | 'findings' | 'compliance_results') =>
    Number(
      (
        await t.ctx.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('account_id', '=', accountId)
          .executeTakeFirstOrThrow()
      ).count,
    );
  return { hosts: await count('assets'), findings: await count('findings'), compliance: await count('compliance_results') };
}

/** Everything an import writes into an instance, to see that a second one changed nothing. */
async function snapshotInstance(accountId: string) {
  const rows = async (table: 'assets' | 'findings' | 'compliance_results' | 'scan_hosts' | 'finding_events') =>
    JSON.stringify(
      (await t.ctx.db.selectFrom(table).selectAll().where('account_id', '=', accountId).execute()).sort((a, b) =>
        JSON.stringify(a) < JSON.stringify(b) ? -1 : 1,
      ),
    );
  const completed = await t.ctx.db
    .selectFrom('scans')
    .select('id')
    .where('account_id', '=', accountId)
    .where('status', '=', 'completed')
    .execute();
  return {
    assets: await rows('assets'),
    findings: await rows('findings'),
    compliance: await rows('compliance_results'),
    scanHosts: await rows('scan_hosts'),
    events: await rows('finding_events'),
    completedScans: completed.length,
  };
}

async function multipartBody(field: string, fileName: string, bytes: Buffer) {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)]), fileName);
  const encoded = new Response(form);
  return { payload: Buffer.from(await encoded.arrayBuffer()), contentType: encoded.headers.get('content-type') ?? '' };
}

async function upload(caller: InstanceCaller, fileName: string, bytes: Buffer, field = 'Filedata') {
  const { payload, contentType } = await multipartBody(field, fileName, bytes);
  return t.app.inject({ method: 'POST', url: '/file/upload', headers: { ...caller.headers, 'content-type': contentType }, payload });
}

async function importFile(caller: InstanceCaller, file: string) {
  return t.app.inject({ method: 'POST', url: '/scans/import?include_aggregate=1', headers: caller.headers, payload: { file } });
}

/** Upload and import, expecting both to succeed; the imported scan object. */
async function uploadAndImport(caller: InstanceCaller, fileName: string, bytes: Buffer) {
  const uploaded = await upload(caller, fileName, bytes);
  expect(uploaded.statusCode).toBe(200);
  const imported = await importFile(caller, uploaded.json<{ fileuploaded: string }>().fileuploaded);
  expect(imported.statusCode).toBe(200);
  return imported.json<{ scan: { id: number; uuid: string; status: string; name: string } }>().scan;
}

async function exportAndDownload(caller: InstanceCaller, scanId: number) {
  const exported = await t.app.inject({
    method: 'POST',
    url: `/scans/${scanId}/export`,
    headers: caller.headers,
    payload: { format: 'nessus', chapters: 'vuln_by_host' },
  });
  expect(exported.statusCode).toBe(200);
  const { file } = exported.json<{ file: string }>();
  const status = await t.app.inject({ method: 'GET', url: `/scans/${scanId}/export/${file}/status`, headers: caller.headers });
  expect(status.json()).toEqual({ status: 'ready' });
  const download = await t.app.inject({ method: 'GET', url: `/scans/${scanId}/export/${file}/download`, headers: caller.headers });
  expect(download.statusCode).toBe(200);
  expect(download.headers['content-type']).toBe('application/octet-stream');
  return { file, bytes: download.rawPayload };
}

async function scanIdOf(accountId: string, scanUuid: string): Promise<number> {
  const row = await t.ctx.db.selectFrom('scan_numbers').select('number').where('scan_id', '=', scanUuid).executeTakeFirstOrThrow();
  expect(accountId).toBeTruthy();
  return Number(row.number);
}

const MY_ENDPOINTS = new Set([
  'GET /scans',
  'POST /scans/{id}/export',
  'GET /scans/{id}/export/{id}/status',
  'GET /scans/{id}/export/{id}/download',
  'GET /workbenches/export',
  'GET /workbenches/export/{id}/status',
  'GET /workbenches/export/{id}/download',
]);

describe('the Tenable-compatible scans API', { timeout: 300_000 }, () => {
  it('answers the recorded interactions with the same status, content type, shape and our own values', async () => {
    const caller = await createInstanceCaller(t, { role: 24 });
    const scanOutcome = await importFixture(t.ctx, caller.accountId, SCAN_EXPORT_FIXTURE, caller.userId);
    await importFixture(t.ctx, caller.accountId, WORKBENCH_FIXTURE, caller.userId);
    const scanId = await scanIdOf(caller.accountId, scanOutcome.scanId);
    const asset = await t.ctx.db
      .selectFrom('assets')
      .select('id')
      .where('account_id', '=', caller.accountId)
      .where('ipv4', '=', '10.10.10.2')
      .executeTakeFirstOrThrow();
    const interactions = recordedInteractions().filter((interaction) => MY_ENDPOINTS.has(endpointOf(interaction)));
    expect(interactions.length).toBeGreaterThanOrEqual(20);

    // Ids of the recording (scan 175, files it was given) become ours as the replay goes.
    const files = new Map<string, string>();
    const localUrl = (interaction: RecordedInteraction) => {
      let url = interaction.url.replace(/^\/scans\/\d+/, `/scans/${scanId}`).replace(/asset_id=[0-9a-f-]+/, `asset_id=${asset.id}`);
      for (const [recorded, local] of files) url = url.replace(`/export/${recorded}/`, `/export/${local}/`);
      return url;
    };
    for (const interaction of interactions) {
      const response = await t.app.inject({
        method: interaction.method as 'GET' | 'POST',
        url: localUrl(interaction),
        headers: { ...caller.headers, ...(interaction.requestBody ? { 'content-type': 'application/json' } : {}) },
        payload: interaction.requestBody ?? undefined,
      });
      const where = `${interaction.source}#${interaction.index} ${interaction.url}`;
      expect(response.statusCode, where).toBe(interaction.status);
      expect(response.headers['content-type'], where).toContain(interaction.contentType?.split(';')[0]);
      if (interaction.contentType?.startsWith('application/octet-stream')) {
        const text = response.body;
        expect(text, where).toContain('<NessusClientData_v2>');
        if (interaction.url.includes('/workbenches/')) {
          const counts = countNessus(text);
          const pluginId = /plugin_id=(\d+)/.exec(interaction.url)?.[1];
          if (pluginId)
            expect(
              text.match(/pluginID="(\d+)"/g)?.every((match) => match === `pluginID="${pluginId}"`),
              where,
            ).toBe(true);
          if (interaction.url.includes('asset_id=')) expect(counts.hosts, where).toBe(1);
          expect(counts.findings, where).toBeGreaterThan(0);
        } else {
          expect(countNessus(text), where).toEqual(countNessus(readFixture(SCAN_EXPORT_FIXTURE).toString('utf8')));
        }
        continue;
      }
      const recorded = responseJson(interaction);
      const actual: unknown = response.json();
      expect(shapeDifferences(actual, recorded), where).toEqual([]);
      const recordedFile = (recorded as { file?: unknown }).file;
      if (recordedFile !== undefined) files.set(String(recordedFile), String((actual as { file: unknown }).file));
      if (endpointOf(interaction) === 'GET /scans') {
        const { scans } = actual as { scans: { id: number; uuid: string; status: string; owner: string }[] };
        expect(scans).toHaveLength(2);
        expect(scans[0]).toMatchObject({ id: scanId, uuid: scanOutcome.scanId, status: 'imported', owner: caller.username });
      }
      if (endpointOf(interaction) === 'GET /workbenches/export/{id}/status') {
        expect(actual).toMatchObject({ status: 'ready' });
      }
    }
  });

  it('imports a real .nessus through /file/upload and /scans/import, exports it back, and re-imports it without change', async () => {
    const original = readFixture(COMPLIANCE_FIXTURE);
    const expected = countNessus(original.toString('utf8'));
    expect(expected.compliance).toBeGreaterThan(0);
    const operator = await createInstanceCaller(t, { role: 24 });
    const scan = await uploadAndImport(operator, 'docker-cis.nessus', original);
    expect(scan.status).toBe('imported');
    expect(await countInstance(operator.accountId)).toEqual(expected);

    // The API user is the actor of the import's audit events.
    const audit = await t.ctx.db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id'])
      .where('target_id', '=', scan.uuid)
      .orderBy('at')
      .execute();
    expect(audit).toEqual([
      { action: 'scan.import_started', actor_user_id: operator.userId },
      { action: 'scan.import_finished', actor_user_id: operator.userId },
    ]);

    // Bulwark keeps the imported file: the export is that file.
    const { bytes } = await exportAndDownload(operator, scan.id);
    expect(bytes.equals(original)).toBe(true);

    // Into the same instance: the importer sees the same scan again, and nothing changes.
    const before = await snapshotInstance(operator.accountId);
    const again = await uploadAndImport(operator, 'docker-cis-export.nessus', bytes);
    expect(again.id).toBe(scan.id);
    expect(await snapshotInstance(operator.accountId)).toEqual(before);
    const listed = await t.app.inject({ method: 'GET', url: '/scans', headers: operator.headers });
    expect(listed.json<{ scans: unknown[] }>().scans).toHaveLength(1);

    // Into a fresh instance: the same hosts, findings and compliance results.
    const fresh = await createInstanceCaller(t, { role: 24 });
    await uploadAndImport(fresh, 'docker-cis-export.nessus', bytes);
    expect(await countInstance(fresh.accountId)).toEqual(expected);
  });

  it('writes a scan Bulwark holds no file of from its data, and that file re-imports to the same data', async () => {
    for (const fixture of [COMPLIANCE_FIXTURE, FINDINGS_FIXTURE]) {
      const expected = countNessus(readFixture(fixture).toString('utf8'));
      const source = await createInstanceCaller(t, { role: 24 });
      const outcome = await importFixture(t.ctx, source.accountId, fixture, source.userId);
      const { bytes } = await exportAndDownload(source, await scanIdOf(source.accountId, outcome.scanId));
      const written = bytes.toString('utf8');
      expect(written).toMatch(/^<\?xml version="1.0" \?>\n<NessusClientData_v2>/);
      expect(written).toContain('xmlns:cm="http://www.nessus.org/cm"');
      expect(checkXml(written)).toBe('NessusClientData_v2');
      if (process.env.SCANS_API_DUMP) fs.writeFileSync(path.join(process.env.SCANS_API_DUMP, path.basename(fixture)), written);
      expect(countNessus(written)).toEqual(expected);

      const fresh = await createInstanceCaller(t, { role: 24 });
      const imported = await uploadAndImport(fresh, 'written.nessus', bytes);
      expect(await countInstance(fresh.accountId), fixture).toEqual(expected);
      const [sourceRows, freshRows] = await Promise.all(
        [source.accountId, fresh.accountId].map((accountId) =>
          t.ctx.db
            .selectFrom('findings as f')
            .innerJoin('assets as a', 'a.id', 'f.asset_id')
            .select([
              'a.identity_value',
              'f.plugin_id',
              'f.port',
              'f.protocol',
              'f.service',
              'f.severity',
              'f.output',
              'f.first_found',
              'f.last_found',
            ])
            .where('f.account_id', '=', accountId)
            .orderBy('a.identity_value')
            .orderBy('f.plugin_id')
            .orderBy('f.port')
            .orderBy('f.protocol')
            .execute(),
        ),
      );
      expect(freshRows, fixture).toEqual(sourceRows);
      const [sourceChecks, freshChecks] = await Promise.all(
        [source.accountId, fresh.accountId].map((accountId) =>
          t.ctx.db
            .selectFrom('compliance_results')
            .select(['plugin_id', 'check_key', 'check_name', 'result', 'actual_value', 'policy_value', 'fields'])
            .where('account_id', '=', accountId)
            .orderBy('plugin_id')
            .orderBy('check_key')
            .execute(),
        ),
      );
      expect(freshChecks, fixture).toEqual(sourceChecks);

      // The written file again into the instance it went to: the importer sees the same scan.
      const again = await uploadAndImport(fresh, 'written-again.nessus', bytes);
      expect(again.id).toBe(imported.id);
    }
  });

  it('exports the workbench as .nessus that a fresh instance imports to the same open findings', async () => {
    const source = await createInstanceCaller(t, { role: 16 });
    await importFixture(t.ctx, source.accountId, FINDINGS_FIXTURE);
    const exported = await t.app.inject({
      method: 'GET',
      url: '/workbenches/export?format=nessus&report=vulnerabilities&chapter=vuln_by_asset',
      headers: source.headers,
    });
    const { file } = exported.json<{ file: number }>();
    const status = await t.app.inject({ method: 'GET', url: `/workbenches/export/${file}/status`, headers: source.headers });
    const expected = await countInstance(source.accountId);
    expect(status.json()).toEqual({ status: 'ready', progress: String(expected.findings), progress_total: String(expected.findings) });
    const download = await t.app.inject({ method: 'GET', url: `/workbenches/export/${file}/download`, headers: source.headers });
    expect(download.body).toContain('<vulnerability_state>');
    expect(checkXml(download.body)).toBe('NessusClientData_v2');

    const fresh = await createInstanceCaller(t, { role: 24 });
    await uploadAndImport(fresh, 'workbench.nessus', download.rawPayload);
    expect(await countInstance(fresh.accountId)).toEqual({ ...expected, compliance: 0 });

    const severe = await t.app.inject({
      method: 'GET',
      url: '/workbenches/export?format=nessus&report=vulnerabilities&chapter=vuln_by_asset&filter.0.filter=severity&filter.0.quality=eq&filter.0.value=high,critical',
      headers: source.headers,
    });
    const severeFile = severe.json<{ file: number }>().file;
    const severeText = (await t.app.inject({ method: 'GET', url: `/workbenches/export/${severeFile}/download`, headers: source.headers }))
      .body;
    expect(severeText.match(/severity="(\d)"/g)?.every((match) => match === 'severity="3"' || match === 'severity="4"')).toBe(true);
  });

  it('narrows the workbench export with the filters of the vulnerabilities workbench', async () => {
    const caller = await createInstanceCaller(t, { role: 16 });
    await importFixture(t.ctx, caller.accountId, WORKBENCH_FIXTURE);
    const findings = nessusFindings(readFixture(WORKBENCH_FIXTURE).toString('utf8'));
    type Finding = (typeof findings)[number];
    const isInNetwork = (finding: Finding) => finding.host.startsWith('10.10.10.');
    const cases: [string, (finding: Finding) => boolean][] = [
      [filterParams(['plugin.family', 'eq', 'Web Servers']), (finding) => finding.family === 'Web Servers'],
      [filterParams(['severity', 'eq', 'High,Critical']), (finding) => finding.severity >= 3],
      [filterParams(['severity', 'neq', 'Info']), (finding) => finding.severity > 0],
      [filterParams(['ipv4', 'eq', '10.10.10.0/24']), isInNetwork],
      [filterParams(['host.target', 'match', 'pubtarg']), (finding) => !isInNetwork(finding)],
      [filterParams(['plugin.id', 'eq', '97509']), (finding) => finding.pluginId === '97509'],
      [
        filterParams(['plugin.family', 'eq', 'Web Servers'], ['severity', 'neq', 'Info']),
        (finding) => finding.family === 'Web Servers' && finding.severity > 0,
      ],
      [
        `${filterParams(['plugin.family', 'eq', 'Settings'], ['severity', 'eq', 'High'])}&filter.search_type=or`,
        (finding) => finding.family === 'Settings' || finding.severity === 3,
      ],
      // The plugin_id parameter and a filter narrow together.
      [
        `&plugin_id=97509${filterParams(['ipv4', 'eq', '10.10.10.2'])}`,
        (finding) => finding.pluginId === '97509' && finding.host === '10.10.10.2',
      ],
    ];
    expect(await exportedItemCount(caller, '')).toBe(findings.length);
    // Tenable's older Python SDK asks for every severity so; Tenable exports everything.
    expect(await exportedItemCount(caller, filterParams(['severity', 'qt', 'All']))).toBe(findings.length);
    for (const [params, isKept] of cases) {
      const expected = findings.filter(isKept).length;
      expect(expected, params).toBeGreaterThan(0);
      expect(expected, params).toBeLessThan(findings.length);
      expect(await exportedItemCount(caller, params), params).toBe(expected);
    }
  });

  it('refuses a workbench export filter the vulnerabilities catalogue refuses, and exports nothing', async () => {
    const caller = await createInstanceCaller(t, { role: 16 });
    for (const params of [
      filterParams(['no.such.filter', 'eq', '1']),
      filterParams(['has_plugin_results', 'eq', 'true']),
      filterParams(['severity', 'match', 'High']),
      filterParams(['severity', 'eq', 'Severe']),
      `${filterParams(['severity', 'eq', 'High'])}&filter.search_type=xor`,
    ]) {
      const response = await t.app.inject({ method: 'GET', url: `${WORKBENCH_EXPORT_URL}${params}`, headers: caller.headers });
      expect(response.statusCode, params).toBe(400);
      expect(response.json(), params).toEqual({ error: expect.any(String) });
    }
    expect(await t.ctx.db.selectFrom('nessus_exports').select('id').where('account_id', '=', caller.accountId).execute()).toEqual([]);
  });

  it('refuses bad input with the spec bodies and changes nothing', async () => {
    const operator = await createInstanceCaller(t, { role: 24 });
    const other = await createInstanceCaller(t, { role: 24 });

    // A file that is not a .nessus: refused, no scan left, the refusal audited.
    const uploaded = await upload(operator, 'notes.nessus', readFixture(NOT_NESSUS_FIXTURE));
    const refused = await importFile(operator, uploaded.json<{ fileuploaded: string }>().fileuploaded);
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ error: string }>().error).toMatch(/not a Nessus v2 file|Nessus v1|not XML|not an? /i);
    expect(await t.ctx.db.selectFrom('scans').select('id').where('account_id', '=', operator.accountId).execute()).toEqual([]);
    expect(await countInstance(operator.accountId)).toEqual({ hosts: 0, findings: 0, compliance: 0 });
    const refusal = await t.ctx.db
      .selectFrom('audit_events')
      .select('actor_user_id')
      .where('action', '=', 'scan.import_refused')
      .where('account_id', '=', operator.accountId)
      .execute();
    expect(refusal).toEqual([{ actor_user_id: operator.userId }]);

    // Another instance's file name is unknown here, and its file stays importable there.
    const foreign = await upload(other, 'theirs.nessus', readFixture(FINDINGS_FIXTURE));
    const foreignName = foreign.json<{ fileuploaded: string }>().fileuploaded;
    const notFound = await importFile(operator, foreignName);
    expect(notFound.statusCode).toBe(404);
    expect(notFound.json()).toEqual({ error: 'The requested file was not found' });
    expect((await importFile(other, foreignName)).statusCode).toBe(200);

    // Unknown scans and export files; formats other than nessus.
    for (const url of ['/scans/999999', `/scans/${crypto.randomUUID()}`, '/scans/not-a-scan/history']) {
      const response = await t.app.inject({ method: 'GET', url, headers: operator.headers });
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toEqual({ error: 'Scan not found' });
    }
    const scan = await uploadAndImport(operator, 'mine.nessus', readFixture(FINDINGS_FIXTURE));
    const csv = await t.app.inject({
      method: 'POST',
      url: `/scans/${scan.id}/export`,
      headers: operator.headers,
      payload: { format: 'csv' },
    });
    expect(csv.statusCode).toBe(400);
    expect(csv.json<{ error: string }>().error).toContain('nessus');
    const missingFile = await t.app.inject({
      method: 'GET',
      url: `/scans/${scan.id}/export/SSE-${crypto.randomUUID()}-nessus/status`,
      headers: operator.headers,
    });
    expect(missingFile.statusCode).toBe(404);
    expect(missingFile.json()).toEqual({ error: 'The requested file was not found' });
    const noMultipart = await t.app.inject({ method: 'POST', url: '/file/upload', headers: operator.headers, payload: { file: 'x' } });
    expect(noMultipart.statusCode).toBe(400);
  });

  it('names uploads within the instance, with _N on a clash', async () => {
    const operator = await createInstanceCaller(t, { role: 24 });
    const other = await createInstanceCaller(t, { role: 24 });
    const bytes = readFixture(FINDINGS_FIXTURE);
    const names = [];
    for (const caller of [operator, operator, operator, other])
      names.push((await upload(caller, 'weekly.nessus', bytes)).json<{ fileuploaded: string }>().fileuploaded);
    expect(names).toEqual(['weekly.nessus', 'weekly.nessus_1', 'weekly.nessus_2', 'weekly.nessus']);
    expect((await upload(operator, '', bytes)).json()).toEqual({ fileuploaded: 'Filedata' });
  });

  it('keeps each instance to its own scans and exports', async () => {
    const owner = await createInstanceCaller(t, { role: 24 });
    const stranger = await createInstanceCaller(t, { role: 64 });
    const scan = await uploadAndImport(owner, 'private.nessus', readFixture(FINDINGS_FIXTURE));
    const { file } = await exportAndDownload(owner, scan.id);
    const workbench = await t.app.inject({
      method: 'GET',
      url: '/workbenches/export?format=nessus&report=vulnerabilities',
      headers: owner.headers,
    });
    const workbenchFile = workbench.json<{ file: number }>().file;

    expect((await t.app.inject({ method: 'GET', url: '/scans', headers: stranger.headers })).json<{ scans: unknown[] }>().scans).toEqual(
      [],
    );
    for (const request of [
      { method: 'GET' as const, url: `/scans/${scan.id}` },
      { method: 'GET' as const, url: `/scans/${scan.uuid}` },
      { method: 'GET' as const, url: `/scans/${scan.id}/history` },
      { method: 'POST' as const, url: `/scans/${scan.id}/export`, payload: { format: 'nessus' } },
      { method: 'GET' as const, url: `/scans/${scan.id}/export/${file}/download` },
    ]) {
      const response = await t.app.inject({ ...request, headers: stranger.headers });
      expect(response.statusCode, request.url).toBe(404);
      expect(response.json(), request.url).toEqual({ error: 'Scan not found' });
    }
    const theirs = await uploadAndImport(stranger, 'theirs.nessus', readFixture(COMPLIANCE_FIXTURE));
    for (const url of [
      `/scans/${theirs.id}/export/${file}/status`,
      `/workbenches/export/${workbenchFile}/status`,
      `/workbenches/export/${workbenchFile}/download`,
    ]) {
      const response = await t.app.inject({ method: 'GET', url, headers: stranger.headers });
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toEqual({ error: 'The requested file was not found' });
    }
  });

  it("lets Basic users read scans, Scan Operators import, and Scan Managers manage others' scans", async () => {
    const operator = await createInstanceCaller(t, { role: 24 });
    const basic = await createInstanceCaller(t, { accountId: operator.accountId, role: 16 });
    const otherOperator = await createInstanceCaller(t, { accountId: operator.accountId, role: 24 });
    const manager = await createInstanceCaller(t, { accountId: operator.accountId, role: 40 });
    const scan = await uploadAndImport(operator, 'roles.nessus', readFixture(FINDINGS_FIXTURE));

    const listed = await t.app.inject({ method: 'GET', url: '/scans', headers: basic.headers });
    expect(listed.statusCode).toBe(200);
    expect(listed.json<{ scans: { id: number; user_permissions: number }[] }>().scans).toEqual([
      expect.objectContaining({ id: scan.id, user_permissions: 16 }),
    ]);
    const results = await t.app.inject({ method: 'GET', url: `/scans/${scan.id}`, headers: basic.headers });
    expect(results.statusCode).toBe(200);
    const body = results.json<{
      info: { hostcount: number; object_id: number };
      hosts: unknown[];
      vulnerabilities: unknown[];
      history: unknown[];
    }>();
    expect(body.info).toMatchObject({ hostcount: 3, object_id: scan.id });
    expect(body.hosts).toHaveLength(3);
    expect(body.vulnerabilities.length).toBeGreaterThan(0);
    expect(body.history).toEqual([]);
    const history = await t.app.inject({ method: 'GET', url: `/scans/${scan.uuid}/history?limit=50&offset=0`, headers: basic.headers });
    expect(history.json()).toEqual({
      pagination: { total: 0, limit: 50, offset: 0, sort: [{ name: 'start_date', order: 'desc' }] },
      history: [],
    });

    const forbidden = { statusCode: 403, error: 'Forbidden', message: 'Insufficient scope' };
    const basicUpload = await upload(basic, 'nope.nessus', readFixture(FINDINGS_FIXTURE));
    expect(basicUpload.statusCode).toBe(403);
    expect(basicUpload.json()).toEqual(forbidden);
    const basicImport = await importFile(basic, 'roles.nessus');
    expect(basicImport.statusCode).toBe(403);
    expect(basicImport.json()).toEqual(forbidden);

    const historyUrl = `/scans/${scan.id}/history/${crypto.randomUUID()}`;
    expect((await t.app.inject({ method: 'DELETE', url: historyUrl, headers: otherOperator.headers })).statusCode).toBe(403);
    for (const caller of [operator, manager]) {
      const response = await t.app.inject({ method: 'DELETE', url: historyUrl, headers: caller.headers });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toEqual({ error: 'History not found' });
    }
  });
});
