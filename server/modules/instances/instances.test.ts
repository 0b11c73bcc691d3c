import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FINDING_STATES,
  type AssetDetailResponse,
  type AssetListResponse,
  type DashboardResponse,
  type FindingDetailResponse,
  type FindingListResponse,
  type InstanceResponse,
  type VulnerabilityListResponse,
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

type SortValue = number | string | null | number[];

/** -1, 0 or 1 as a runs before, with or after b ascending; numbers in a list compare in turn. */
function compareValues(a: Exclude<SortValue, null>, b: Exclude<SortValue, null>): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    const index = a.findIndex((value, at) => value !== b[at]);
    return index === -1 ? 0 : compareValues(a[index] ?? 0, b[index] ?? 0);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Whether a list's values run in the order asked, missing values last either way. */
function isInOrder(values: SortValue[], order: 'asc' | 'desc'): boolean {
  return values.every((value, index) => {
    const previous = values[index - 1];
    if (index === 0 || value === null) return true;
    if (previous === null || previous === undefined) return false;
    const comparison = compareValues(previous, value);
    return order === 'asc' ? comparison <= 0 : comparison >= 0;
  });
}

describe('sorting the lists of an instance', () => {
  /** Fetches a whole list both ways round and checks each against the values the sort key reads. */
  async function expectSorted<Item>(url: string, sort: string, valueOf: (item: Item) => SortValue) {
    for (const order of ['asc', 'desc'] as const) {
      const { status, body } = await get<{ items: Item[] }>(contactCookie, `${url}&sort=${sort}&order=${order}`);
      expect(status).toBe(200);
      const values = body.items.map(valueOf);
      // A key whose values are all alike would pass in any order: the fixture must tell them apart.
      expect(new Set(values.map((value) => JSON.stringify(value))).size, `${sort} values`).toBeGreaterThan(1);
      expect(isInOrder(values, order), `${sort} ${order}: ${JSON.stringify(values)}`).toBe(true);
    }
  }

  it('sorts the vulnerabilities by each key, both ways', async () => {
    const url = `/api/instances/${accountId}/vulnerabilities?pageSize=200`;
    type Item = VulnerabilityListResponse['items'][number];
    await expectSorted<Item>(url, 'severity', (item) => item.severity);
    await expectSorted<Item>(url, 'assets', (item) => item.assetCount);
    await expectSorted<Item>(url, 'name', (item) => item.name.toLowerCase());
    await expectSorted<Item>(url, 'pluginId', (item) => item.pluginId);
    await expectSorted<Item>(url, 'family', (item) => item.family?.toLowerCase() ?? null);
  });

  it('sorts the vulnerabilities worst first when no sort is asked, ties by plugin id so pages never overlap', async () => {
    const whole = (await get<VulnerabilityListResponse>(contactCookie, `/api/instances/${accountId}/vulnerabilities?pageSize=200`)).body;
    expect(
      isInOrder(
        whole.items.map((item) => item.severity),
        'desc',
      ),
    ).toBe(true);
    const pages = await Promise.all(
      [1, 2, 3].map(
        async (page) =>
          (
            await get<VulnerabilityListResponse>(
              contactCookie,
              `/api/instances/${accountId}/vulnerabilities?sort=family&pageSize=4&page=${page}`,
            )
          ).body.items,
      ),
    );
    const byFamily = (
      await get<VulnerabilityListResponse>(contactCookie, `/api/instances/${accountId}/vulnerabilities?sort=family&pageSize=12`)
    ).body.items;
    expect(pages.flat().map((item) => item.pluginId)).toEqual(byFamily.map((item) => item.pluginId));
  });

  it('sorts the assets by name, last seen and open findings by severity, both ways', async () => {
    const url = `/api/instances/${accountId}/assets?kind=host&pageSize=200`;
    type Item = AssetListResponse['items'][number];
    await expectSorted<Item>(url, 'name', (item) => item.name.toLowerCase());
    await expectSorted<Item>(url, 'lastSeen', (item) => item.lastSeen);
    await expectSorted<Item>(url, 'severity', ({ open }) => [open.critical, open.high, open.medium, open.low, open.info]);
  });

  it("sorts an asset's findings by severity, plugin, port, state and last found, both ways", async () => {
    const assets = (await get<AssetListResponse>(contactCookie, `/api/instances/${accountId}/assets?kind=host&sort=severity`)).body;
    const url = `/api/instances/${accountId}/findings?assetId=${assets.items[0]?.id}&pageSize=500`;
    type Item = FindingListResponse['items'][number];
    // One import leaves every finding open and found at one moment: fix a few and age them for the test.
    const someIds = (await get<FindingListResponse>(contactCookie, `${url}&sort=plugin`)).body.items.slice(0, 3).map((item) => item.id);
    await t.ctx.db
      .updateTable('findings')
      .set({ state: 'FIXED', last_found: new Date('2026-01-01T00:00:00Z') })
      .where('id', 'in', someIds)
      .execute();
    try {
      await expectSorted<Item>(url, 'severity', (item) => item.severity);
      await expectSorted<Item>(url, 'plugin', (item) => item.pluginName.toLowerCase());
      await expectSorted<Item>(url, 'port', (item) => item.port);
      await expectSorted<Item>(url, 'state', (item) => FINDING_STATES.indexOf(item.state));
      await expectSorted<Item>(url, 'lastFound', (item) => item.lastFound);
    } finally {
      await t.ctx.db.updateTable('findings').set({ state: 'OPEN' }).where('id', 'in', someIds).execute();
    }
  });

  it('answers 400 to a sort key or an order it does not know, and changes nothing', async () => {
    for (const list of ['vulnerabilities', 'assets', 'findings']) {
      expect((await get(contactCookie, `/api/instances/${accountId}/${list}?sort=id;drop table findings`)).status).toBe(400);
      expect((await get(contactCookie, `/api/instances/${accountId}/${list}?sort=severity&order=sideways`)).status).toBe(400);
    }
    expect((await get(contactCookie, `/api/instances/${accountId}/vulnerabilities?sort=lastSeen`)).status).toBe(400);
    expect((await get(contactCookie, `/api/instances/${accountId}/findings?sort=family`)).status).toBe(400);
  });

  it("answers 404 to a sorted list of another customer's instance (cross-tenant)", async () => {
    expect((await get(contactCookie, `/api/instances/${otherAccountId}/vulnerabilities?sort=name&order=asc`)).status).toBe(404);
    expect((await get(contactCookie, `/api/instances/${otherAccountId}/assets?sort=lastSeen&order=asc`)).status).toBe(404);
    expect((await get(contactCookie, `/api/instances/${otherAccountId}/findings?sort=port&order=desc`)).status).toBe(404);
  });
});
