import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AssetDetailResponse,
  AssetListResponse,
  DashboardResponse,
  FindingDetailResponse,
  FindingListResponse,
  InstanceResponse,
  VulnerabilityListResponse,
} from '../../../common/schemas/instances.js';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createContact, createStaff, signIn } from '../../test/factories.js';
import type { ImportEvent } from '../imports/import-records.js';
import { createScanRecord, runImport } from '../imports/imports.service.js';
import { nessusImportEvents } from '../imports/nessus-source.js';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/real/nessus');

let t: TestApp;
let accountId: string;
let otherAccountId: string;
let contactCookie: string;

async function importFile(account: string, file: string) {
  const scanId = await createScanRecord(t.ctx, {
    accountId: account,
    name: file,
    fileName: file,
    fileSize: null,
    storageKey: null,
    ownerUserId: null,
  });
  return runImport(t.ctx, scanId, nessusImportEvents(fs.createReadStream(path.join(FIXTURES, file))));
}

beforeAll(async () => {
  t = await buildTestApp();
  const account = await createAccount(t.ctx, { name: 'Instance Customer', apps: ['vm', 'was'] });
  accountId = account.id;
  otherAccountId = (await createAccount(t.ctx, { name: 'Other Customer', apps: ['vm'] })).id;
  expect((await importFile(accountId, 'mitre__heimdall2__sample.nessus')).status).toBe('completed');
  expect((await importFile(accountId, 'DefectDojo__django-DefectDojo__nessus_was_many_vuln.xml')).status).toBe('completed');
  expect((await importFile(otherAccountId, 'savon-noir__python-libnessus__nessus_report_local2.nessus')).status).toBe('completed');
  const contact = await createContact(t.ctx, accountId, { role: 16 });
  contactCookie = (await signIn(t.app, contact.username)).cookie;
});
afterAll(() => t.close());

const get = async <T>(cookie: string, url: string) => {
  const response = await t.app.inject({ method: 'GET', url, headers: { cookie } });
  return { status: response.statusCode, body: response.json<T>() };
};

describe("a customer instance's pages", () => {
  it('describes the instance: apps, default app, licences counted from its own assets', async () => {
    const { status, body } = await get<InstanceResponse>(contactCookie, `/api/instances/${accountId}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      displayName: 'Instance Customer',
      apps: ['vm', 'was'],
      defaultApp: 'vm',
      canImport: false,
      isPortalSignIn: false,
    });
    const vm = body.licenses.find((license) => license.app === 'vm');
    const was = body.licenses.find((license) => license.app === 'was');
    expect(vm?.assetCount).toBe(3);
    expect(was?.assetCount).toBe(1);
  });

  it('counts the licensed assets on the Accounts page from the imported assets', async () => {
    const admin = await createStaff(t.ctx, { role: 64 });
    const response = await get<{ items: { id: string; licenses: { app: string; licensedAssets: number }[] }[] }>(
      (await signIn(t.app, admin.username)).cookie,
      '/api/accounts?search=instance%20customer',
    );
    const row = response.body.items.find((item) => item.id === accountId);
    expect(row?.licenses.map((license) => [license.app, license.licensedAssets])).toEqual([
      ['vm', 3],
      ['was', 1],
    ]);
  });

  it('serves the dashboard, vulnerabilities by plugin, assets and findings with their details', async () => {
    const dashboard = (await get<DashboardResponse>(contactCookie, `/api/instances/${accountId}/dashboard`)).body;
    const open = dashboard.openBySeverity;
    const openTotal = open.critical + open.high + open.medium + open.low + open.info;
    const findingRows = await t.ctx.db.selectFrom('findings').select('severity').where('account_id', '=', accountId).execute();
    expect(openTotal).toBe(findingRows.length);
    expect(open.critical).toBe(findingRows.filter((row) => row.severity === 4).length);
    expect(dashboard.trend).toHaveLength(90);
    expect(dashboard.mostVulnerableAssets.length).toBeGreaterThan(0);
    expect(dashboard.mostWidespreadPlugins.length).toBeGreaterThan(0);

    const vulnerabilities = (await get<VulnerabilityListResponse>(contactCookie, `/api/instances/${accountId}/vulnerabilities?pageSize=5`))
      .body;
    expect(vulnerabilities.items).toHaveLength(5);
    expect(vulnerabilities.total).toBeGreaterThan(5);
    expect(vulnerabilities.items[0]?.severity).toBeGreaterThanOrEqual(vulnerabilities.items[4]?.severity ?? 0);
    const critical = (await get<VulnerabilityListResponse>(contactCookie, `/api/instances/${accountId}/vulnerabilities?severity=4`)).body;
    expect(critical.items.every((item) => item.severity === 4)).toBe(true);
    expect(critical.items.reduce((sum, item) => sum + item.findingCount, 0)).toBe(open.critical);

    const assets = (await get<AssetListResponse>(contactCookie, `/api/instances/${accountId}/assets?kind=host`)).body;
    expect(assets.total).toBe(3);
    const asset = (await get<AssetDetailResponse>(contactCookie, `/api/instances/${accountId}/assets/${assets.items[0]?.id}`)).body;
    expect(Object.keys(asset.properties).length).toBeGreaterThan(0);
    const webApps = (await get<AssetListResponse>(contactCookie, `/api/instances/${accountId}/assets?kind=webapp`)).body;
    expect(webApps.items[0]?.name).toMatch(/^https?:\/\//);

    const findings = (await get<FindingListResponse>(contactCookie, `/api/instances/${accountId}/findings?assetId=${asset.id}&pageSize=3`))
      .body;
    expect(findings.items.length).toBeGreaterThan(0);
    const finding = (await get<FindingDetailResponse>(contactCookie, `/api/instances/${accountId}/findings/${findings.items[0]?.id}`)).body;
    expect(finding.plugin.name).toBe(findings.items[0]?.pluginName);
    expect(finding.history).toEqual([expect.objectContaining({ fromState: null, toState: 'OPEN' })]);
    expect((await get(contactCookie, `/api/instances/${accountId}/plugins/${finding.pluginId}`)).status).toBe(200);
  });

  it("answers 404 for another customer's instance and its objects (cross-tenant)", async () => {
    expect((await get(contactCookie, `/api/instances/${otherAccountId}`)).status).toBe(404);
    expect((await get(contactCookie, `/api/instances/${otherAccountId}/dashboard`)).status).toBe(404);
    const theirFinding = await t.ctx.db
      .selectFrom('findings')
      .select('id')
      .where('account_id', '=', otherAccountId)
      .executeTakeFirstOrThrow();
    const theirAsset = await t.ctx.db.selectFrom('assets').select('id').where('account_id', '=', otherAccountId).executeTakeFirstOrThrow();
    // Even through their own instance's URL, another instance's ids do not resolve.
    expect((await get(contactCookie, `/api/instances/${accountId}/findings/${theirFinding.id}`)).status).toBe(404);
    expect((await get(contactCookie, `/api/instances/${accountId}/assets/${theirAsset.id}`)).status).toBe(404);
    const unassigned = await createStaff(t.ctx, { role: 40 });
    expect((await get((await signIn(t.app, unassigned.username)).cookie, `/api/instances/${accountId}`)).status).toBe(404);
  });

  it('lets staff in by single sign-on with their own role, audited; refuses contacts, anonymous callers and deactivated accounts (role test)', async () => {
    const analyst = await createStaff(t.ctx, { role: 24 });
    await assignAccount(t.ctx, analyst.id, accountId);
    const session = await signIn(t.app, analyst.username);
    const instance = await get<InstanceResponse>(session.cookie, `/api/instances/${accountId}`);
    expect(instance.body).toMatchObject({ isPortalSignIn: true, canImport: true });
    const enter = await t.app.inject({ method: 'POST', url: `/api/instances/${accountId}/sso`, headers: session.writeHeaders });
    expect(enter.statusCode).toBe(204);
    const leave = await t.app.inject({ method: 'POST', url: `/api/instances/${accountId}/sso/leave`, headers: session.writeHeaders });
    expect(leave.statusCode).toBe(204);
    const audit = await t.ctx.db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id', 'account_id'])
      .where('action', 'in', ['instance.sso_entered', 'instance.sso_left'])
      .orderBy('at')
      .execute();
    expect(audit).toEqual([
      { action: 'instance.sso_entered', actor_user_id: analyst.id, account_id: accountId },
      { action: 'instance.sso_left', actor_user_id: analyst.id, account_id: accountId },
    ]);
    const contactSession = await signIn(t.app, (await createContact(t.ctx, accountId, { role: 64 })).username);
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/instances/${accountId}/sso`, headers: contactSession.writeHeaders })).statusCode,
    ).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/instances/${accountId}` })).statusCode).toBe(401);

    await t.ctx.db.updateTable('customer_accounts').set({ is_active: false }).where('id', '=', accountId).execute();
    const refused = await get<{ error: { message: string } }>(session.cookie, `/api/instances/${accountId}/dashboard`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain('deactivated');
    await t.ctx.db.updateTable('customer_accounts').set({ is_active: true }).where('id', '=', accountId).execute();
  });

  it('draws the trend of open findings from the state history, day by day', async () => {
    const account = await createAccount(t.ctx, { name: 'Trend Customer', apps: ['vm'] });
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString();
    async function* scan(fingerprint: string, endedAt: string, plugins: number[]): AsyncGenerator<ImportEvent> {
      yield {
        type: 'scan',
        scan: { name: fingerprint, policyName: null, pluginSelection: { families: new Map([['General', 'enabled']]), plugins: new Map() } },
      };
      yield {
        type: 'host',
        index: 0,
        host: {
          name: '10.7.0.1',
          agentUuid: null,
          fqdn: null,
          netbiosName: null,
          ipv4: '10.7.0.1',
          ipv6: null,
          hostname: null,
          macAddress: null,
          operatingSystem: null,
          credentialed: false,
          startedAt: null,
          endedAt,
          properties: {},
        },
      };
      for (const id of plugins) {
        yield {
          type: 'plugin',
          plugin: {
            id,
            name: `P${id}`,
            family: 'General',
            riskFactor: null,
            synopsis: null,
            description: null,
            solution: null,
            pluginType: null,
            cvssBaseScore: null,
            cvssVector: null,
            cvss3BaseScore: null,
            cvss3Vector: null,
            cve: [],
            bid: [],
            seeAlso: [],
            xrefs: [],
            exploitAvailable: null,
            publicationDate: null,
            modificationDate: null,
            attributes: {},
          },
        };
        yield {
          type: 'item',
          hostIndex: 0,
          item: { pluginId: id, port: 0, protocol: 'tcp', service: null, severity: 3, output: null, compliance: null },
        };
      }
      yield { type: 'end', fingerprint, warnings: [] };
    }
    for (const [fingerprint, daysAgo, plugins] of [
      ['t1', 10, [1, 2, 3]],
      ['t2', 5, [1]],
    ] as const) {
      const scanId = await createScanRecord(t.ctx, {
        accountId: account.id,
        name: fingerprint,
        fileName: null,
        fileSize: null,
        storageKey: null,
        ownerUserId: null,
      });
      expect((await runImport(t.ctx, scanId, scan(fingerprint, day(daysAgo), [...plugins]))).status).toBe('completed');
    }
    const admin = await createStaff(t.ctx, { role: 64 });
    const { body } = await get<DashboardResponse>((await signIn(t.app, admin.username)).cookie, `/api/instances/${account.id}/dashboard`);
    const highOn = (daysAgo: number) => body.trend.find((point) => point.date === day(daysAgo).slice(0, 10))?.high;
    expect(highOn(11)).toBe(0);
    expect(highOn(10)).toBe(3);
    expect(highOn(6)).toBe(3);
    expect(highOn(5)).toBe(1);
    expect(highOn(0)).toBe(1);
  });
});
