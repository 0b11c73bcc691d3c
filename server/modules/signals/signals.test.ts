import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../common/permissions.js';
import type { SignalDetailResponse, SignalSearchResponse, SignalSettingsResponse } from '../../../common/schemas/signals.js';
import { buildTestApp, type TestApp } from '../../test/build-test-app.js';
import { assignAccount, createAccount, createContact, createStaff, signIn, type SignedIn } from '../../test/factories.js';
import type { AssetRecord, ConnectorRecord, FindingRecord } from '../integrations/connector.js';
import { storeSignalArtifacts, type StoreArtifactsInput } from './signals-store.js';
import { countMatches, csvCell, searchSignals } from './signals.service.js';
import { sweepSignals } from './signals.sweeper.js';

const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

function finding(
  key: string,
  overrides: Partial<Omit<FindingRecord, 'asset' | 'plugin'>> & {
    asset?: Partial<FindingRecord['asset']>;
    plugin?: Partial<FindingRecord['plugin']>;
  } = {},
): FindingRecord {
  const { asset, plugin, ...rest } = overrides;
  return {
    kind: 'finding',
    fingerprint: sha(key),
    severity: 'high',
    severityId: 3,
    state: 'OPEN',
    asset: {
      sourceId: `asset-${key}`,
      hostName: null,
      fqdn: 'web01.acme.example',
      netbiosName: null,
      ipv4: '10.0.0.1',
      ipv6: null,
      agentUuid: null,
      macAddress: null,
      operatingSystem: null,
      ...asset,
    },
    plugin: {
      id: 19506,
      name: 'Nessus Scan Information',
      family: 'Settings',
      synopsis: null,
      description: null,
      solution: null,
      riskFactor: null,
      pluginType: null,
      cvssBaseScore: null,
      cvssVector: null,
      cvss3BaseScore: null,
      cvss3Vector: null,
      cve: [],
      seeAlso: [],
      exploitAvailable: null,
      publicationDate: null,
      modificationDate: null,
      ...plugin,
    },
    port: 443,
    protocol: 'tcp',
    service: 'www',
    output: 'output',
    firstFound: null,
    lastFound: null,
    lastFixed: null,
    raw: { key, output: 'Some plugin output, "quoted"' },
    ...rest,
  };
}

function assetRecord(key: string, asset: Partial<AssetRecord['asset']> = {}): AssetRecord {
  return {
    kind: 'asset',
    fingerprint: sha(`asset:${key}`),
    asset: {
      sourceId: key,
      hostName: null,
      fqdn: null,
      netbiosName: null,
      ipv4: null,
      ipv6: null,
      agentUuid: null,
      macAddress: null,
      operatingSystem: 'Linux',
      ...asset,
    },
    updatedAt: null,
    firstSeen: null,
    lastSeen: null,
    raw: { id: key },
  };
}

describe('signals', () => {
  let t: TestApp;
  let admin: SignedIn;
  let staffA: SignedIn;
  let contactA: SignedIn;
  let accountA: { id: string; name: string };
  let accountB: { id: string; name: string };
  let tenableA: { id: string; name: string };
  let tenableB: { id: string; name: string };
  let unowned: { id: string; name: string };

  async function createIntegration(name: string, targetAccountId: string | null) {
    const row = await t.ctx.db
      .insertInto('integrations')
      .values({
        connector: 'signal-client.tenable',
        name,
        settings: '{}',
        secrets: null,
        target_account_id: targetAccountId,
        owner_user_id: null,
      })
      .returning(['id', 'name'])
      .executeTakeFirstOrThrow();
    return row;
  }

  function store(input: Omit<StoreArtifactsInput, 'stream' | 'observedAt'> & { stream?: string; observedAt?: Date }) {
    return t.ctx.db
      .transaction()
      .execute((trx) => storeSignalArtifacts(trx, { stream: 'vulnerabilities', observedAt: new Date(), ...input }));
  }

  async function search(who: SignedIn, query: string): Promise<SignalSearchResponse> {
    const response = await t.app.inject({ method: 'GET', url: `/api/signals?${query}`, headers: { cookie: who.cookie } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<SignalSearchResponse>();
  }

  beforeAll(async () => {
    t = await buildTestApp();
    accountA = await createAccount(t.ctx, { name: 'Acme' });
    accountB = await createAccount(t.ctx, { name: 'Globex' });
    admin = await signIn(t.app, (await createStaff(t.ctx, { role: 64 })).username);
    const staff = await createStaff(t.ctx, { role: 32 });
    await assignAccount(t.ctx, staff.id, accountA.id);
    staffA = await signIn(t.app, staff.username);
    contactA = await signIn(t.app, (await createContact(t.ctx, accountA.id)).username);
    tenableA = await createIntegration('Tenable Acme', accountA.id);
    tenableB = await createIntegration('Tenable Globex', accountB.id);
    unowned = await createIntegration('Tenable lab', null);

    const day = (n: number) => new Date(Date.UTC(2026, 10, n, 12));
    await store({
      integration: tenableA,
      accountId: accountA.id,
      observedAt: day(10),
      records: [
        finding('a1', {
          severity: 'critical',
          plugin: { id: 155999, name: 'Apache Log4j Remote Code Execution', cve: ['cve-2021-44228', 'CVE-2021-45046'] },
        }),
        finding('a2', { severity: 'medium', state: 'FIXED', asset: { fqdn: null, hostName: 'db02', ipv4: '10.0.0.2' } }),
      ],
    });
    await store({
      integration: tenableA,
      accountId: accountA.id,
      stream: 'assets',
      observedAt: day(11),
      records: [assetRecord('host-3', { netbiosName: 'FILESRV', ipv6: '2001:db8::3' })],
    });
    await store({
      integration: tenableB,
      accountId: accountB.id,
      observedAt: day(12),
      records: [
        finding('b1', { severity: 'low', state: 'REOPENED', asset: { fqdn: 'mail.globex.example', ipv4: '192.168.7.9' } }),
        finding('b2', {
          severity: 'critical',
          asset: { fqdn: '=cmd|calc', ipv4: '192.168.7.10' },
          plugin: { id: 42, name: 'OpenSSH, "weak" ciphers' },
        }),
      ],
    });
    await store({ integration: unowned, accountId: null, observedAt: day(13), records: [finding('u1', { severity: 'info' })] });
  });

  afterAll(async () => {
    await t.close();
  });

  describe('storing', () => {
    it('stores new records once and reports duplicates, in input order, across overlapping windows', async () => {
      const integration = await createIntegration('Overlap', null);
      const first = await store({ integration, accountId: null, records: [finding('o1'), finding('o2'), finding('o1')] });
      expect(first.stored).toBe(2);
      expect(first.duplicates).toBe(1);
      expect(first.newRecords.map((record) => record.fingerprint)).toEqual([sha('o1'), sha('o2')]);

      const second = await store({ integration, accountId: null, records: [finding('o3'), finding('o2'), finding('o4'), finding('o1')] });
      expect(second.stored).toBe(2);
      expect(second.duplicates).toBe(2);
      expect(second.newRecords.map((record) => record.fingerprint)).toEqual([sha('o3'), sha('o4')]);

      const empty = await store({ integration, accountId: null, records: [] });
      expect(empty).toEqual({ stored: 0, duplicates: 0, newRecords: [] });
      const count = await t.ctx.db
        .selectFrom('signal_artifacts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('integration_id', '=', integration.id)
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(4);
    });

    it('normalises findings and assets: host, IP, upper-case CVEs, account, raw', async () => {
      const all = await search(admin, 'pageSize=200');
      const log4j = all.results.find((signal) => signal.pluginId === 155999);
      expect(log4j).toMatchObject({
        integration: { id: tenableA.id, name: 'Tenable Acme' },
        stream: 'vulnerabilities',
        severity: 'critical',
        state: 'OPEN',
        hostName: 'web01.acme.example',
        ip: '10.0.0.1',
        cve: ['CVE-2021-44228', 'CVE-2021-45046'],
        account: { id: accountA.id, name: 'Acme' },
      });
      const asset = all.results.find((signal) => signal.stream === 'assets');
      expect(asset).toMatchObject({ severity: null, state: null, hostName: 'FILESRV', ip: '2001:db8::3', pluginId: null, cve: [] });
      expect(all.results.find((signal) => signal.hostName === 'db02')?.ip).toBe('10.0.0.2');
    });

    it('keeps NUL characters and record separators of a raw record; drops NULs from the searched columns', async () => {
      const integration = await createIntegration('Nul', null);
      const raw = { text: 'a\u0000b', path: 'C:\\u0000', separator: 'x\u001ey', order: { z: 1, a: 2 } };
      const result = await store({
        integration,
        accountId: null,
        records: [
          { ...finding('n1', { asset: { fqdn: 'nul\u0000host.example' } }), raw },
          { ...finding('n2'), raw: undefined },
        ],
      });
      expect(result.stored).toBe(2);
      const rows = await t.ctx.db
        .selectFrom('signal_artifacts')
        .select(['raw', 'host_name'])
        .where('integration_id', '=', integration.id)
        .orderBy('id')
        .execute();
      expect(rows.map((row) => JSON.parse(row.raw) as unknown)).toEqual([raw, null]);
      // The source's key order is kept (jsonb would sort it).
      expect(rows[0]!.raw).toContain('"order":{"z":1,"a":2}');
      expect(rows[0]!.host_name).toBe('nulhost.example');
    });
    it("stores each record's kept text byte for byte (multi-byte characters, the source's layout), beside serialised ones", async () => {
      const integration = await createIntegration('Bytes', null);
      const texts = ['{\n  "name": "é ] 日本",\n  "shield": "🛡"\n}', '{"b":1}'];
      const result = await store({
        integration,
        accountId: null,
        records: [
          { ...finding('u1'), raw: JSON.parse(texts[0]!) as unknown, rawBytes: Buffer.from(texts[0]!, 'utf8') },
          { ...finding('u2'), raw: { serialised: 'ü' } },
          { ...finding('u3'), raw: { b: 1 }, rawBytes: Buffer.from(`[${texts[1]!}]`, 'utf8').subarray(1, -1) },
        ],
      });
      expect(result.stored).toBe(3);
      const rows = await t.ctx.db
        .selectFrom('signal_artifacts')
        .select(['raw'])
        .where('integration_id', '=', integration.id)
        .orderBy('fingerprint')
        .execute();
      expect(rows.map((row) => row.raw).sort()).toEqual([texts[0], '{"serialised":"ü"}', texts[1]].sort());
    });

    it('unlinks the artifacts of a deleted integration or account and keeps them (triggers, not foreign keys)', async () => {
      const leaving = await createAccount(t.ctx, { name: 'Leaving Customer' });
      const integration = await createIntegration('Leaving', leaving.id);
      const kept = await createIntegration('Staying', leaving.id);
      await store({ integration, accountId: leaving.id, records: [finding('leave-1'), finding('leave-2')] });
      await store({ integration: kept, accountId: leaving.id, records: [finding('stay-1')] });
      const links = () =>
        t.ctx.db
          .selectFrom('signal_artifacts')
          .select(['integration_name', 'integration_id', 'account_id'])
          .where('integration_name', 'in', ['Leaving', 'Staying'])
          .orderBy('integration_name')
          .execute();

      await t.ctx.db.deleteFrom('integrations').where('id', '=', integration.id).execute();
      expect(await links()).toEqual([
        { integration_name: 'Leaving', integration_id: null, account_id: leaving.id },
        { integration_name: 'Leaving', integration_id: null, account_id: leaving.id },
        { integration_name: 'Staying', integration_id: kept.id, account_id: leaving.id },
      ]);
      await t.ctx.db.deleteFrom('customer_accounts').where('id', '=', leaving.id).execute();
      expect(await links()).toEqual([
        { integration_name: 'Leaving', integration_id: null, account_id: null },
        { integration_name: 'Leaving', integration_id: null, account_id: null },
        { integration_name: 'Staying', integration_id: kept.id, account_id: null },
      ]);
    });
  });

  describe('search', () => {
    const only = (query: string) => `${query}&integrationId=${tenableA.id},${tenableB.id},${unowned.id}`;

    it('returns everything newest first, with exact facets', async () => {
      const body = await search(admin, only('pageSize=50'));
      expect(body.total).toBe(6);
      expect(body.estimated).toBe(false);
      expect(body.results.map((signal) => signal.hostName)).toEqual([
        'web01.acme.example',
        '=cmd|calc',
        'mail.globex.example',
        'FILESRV',
        'db02',
        'web01.acme.example',
      ]);
      expect(body.facets.severity).toEqual([
        { value: 'critical', label: 'Critical', count: 2 },
        { value: 'medium', label: 'Medium', count: 1 },
        { value: 'low', label: 'Low', count: 1 },
        { value: 'info', label: 'Info', count: 1 },
      ]);
      expect(body.facets.state).toEqual([
        { value: 'OPEN', label: 'Open', count: 3 },
        { value: 'REOPENED', label: 'Reopened', count: 1 },
        { value: 'FIXED', label: 'Fixed', count: 1 },
      ]);
      expect(body.facets.stream).toEqual([
        { value: 'vulnerabilities', label: 'Vulnerabilities', count: 5 },
        { value: 'assets', label: 'Assets', count: 1 },
      ]);
      // The integration facet is counted without its own filter (only() sets it): every integration shows.
      expect(body.facets.integration).toEqual(
        expect.arrayContaining([
          { value: tenableA.id, label: 'Tenable Acme', count: 3 },
          { value: tenableB.id, label: 'Tenable Globex', count: 2 },
          { value: unowned.id, label: 'Tenable lab', count: 1 },
        ]),
      );
      expect(body.facets.account).toEqual([
        { value: accountA.id, label: 'Acme', count: 3 },
        { value: accountB.id, label: 'Globex', count: 2 },
      ]);
    });

    it('counts each facet without its own filter, so a second value can be ticked; the other filters apply', async () => {
      const all = (await search(admin, only('pageSize=50'))).results;
      const tally = (signals: typeof all, of: (signal: (typeof all)[number]) => string | null) => {
        const counts = new Map<string, number>();
        for (const signal of signals) {
          const value = of(signal);
          if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
        }
        return counts;
      };
      const asCounts = (buckets: { value: string; count: number }[]) => new Map(buckets.map((bucket) => [bucket.value, bucket.count]));

      const critical = await search(admin, only('severity=critical&pageSize=50'));
      expect(critical.total).toBe(2);
      expect(critical.facetsEstimated).toBe(false);
      // Severity: every severity of the other filters' matches, not only Critical.
      expect(asCounts(critical.facets.severity)).toEqual(tally(all, (signal) => signal.severity));
      expect(critical.facets.severity.length).toBeGreaterThan(1);
      // State: only the critical ones' states.
      const criticalOnes = all.filter((signal) => signal.severity === 'critical');
      expect(asCounts(critical.facets.state)).toEqual(tally(criticalOnes, (signal) => signal.state));

      const both = await search(admin, only('severity=critical&state=OPEN&pageSize=50'));
      expect(both.total).toBe(criticalOnes.filter((signal) => signal.state === 'OPEN').length);
      expect(asCounts(both.facets.severity)).toEqual(
        tally(
          all.filter((signal) => signal.state === 'OPEN'),
          (signal) => signal.severity,
        ),
      );
      expect(asCounts(both.facets.state)).toEqual(tally(criticalOnes, (signal) => signal.state));
      expect(asCounts(both.facets.stream)).toEqual(
        tally(
          criticalOnes.filter((signal) => signal.state === 'OPEN'),
          (signal) => signal.stream,
        ),
      );
    });

    it('serves the results and the counts apart, the same as together', async () => {
      for (const query of [only('pageSize=4'), only('pageSize=4&page=2'), only('q=apache&pageSize=1'), only('severity=critical')]) {
        const together = await search(admin, query);
        const get = async (path: string, user: SignedIn) => {
          const response = await t.app.inject({ method: 'GET', url: `/api/signals/${path}?${query}`, headers: { cookie: user.cookie } });
          expect(response.statusCode, `${path}?${query}`).toBe(200);
          return response.json<Record<string, unknown>>();
        };
        const results = await get('results', admin);
        expect(results.results, query).toEqual(together.results);
        const counts = await get('counts', admin);
        expect(counts, query).toEqual({
          total: together.total,
          estimated: together.estimated,
          facetsEstimated: together.facetsEstimated,
          facets: together.facets,
        });
      }
      const firstPage = await t.app.inject({
        method: 'GET',
        url: `/api/signals/results?${only('pageSize=4')}`,
        headers: { cookie: admin.cookie },
      });
      expect(firstPage.json<{ hasMore: boolean }>().hasMore).toBe(true);
      const lastPage = await t.app.inject({
        method: 'GET',
        url: `/api/signals/results?${only('pageSize=4&page=2')}`,
        headers: { cookie: admin.cookie },
      });
      expect(lastPage.json<{ results: unknown[]; hasMore: boolean }>()).toMatchObject({ hasMore: false });
      expect(lastPage.json<{ results: unknown[] }>().results).toHaveLength(2);
      for (const path of ['results?severity=urgent', 'counts?integrationId=nope', 'counts?q=' + 'x'.repeat(501)]) {
        expect(
          (await t.app.inject({ method: 'GET', url: `/api/signals/${path}`, headers: { cookie: admin.cookie } })).statusCode,
          path,
        ).toBe(400);
      }
    });

    it('finds free text, a CVE, an IPv4 or IPv6 address and a plugin id typed alone', async () => {
      const hosts = async (query: string) => (await search(admin, only(query))).results.map((signal) => signal.hostName).sort();
      expect(await hosts('q=log4j')).toEqual(['web01.acme.example']);
      expect(await hosts('q=apache%20execution')).toEqual(['web01.acme.example']);
      expect(await hosts('q=CVE-2021-44228')).toEqual(['web01.acme.example']);
      expect(await hosts('q=cve-2021-45046')).toEqual(['web01.acme.example']);
      expect(await hosts('q=CVE-2021-4422')).toEqual([]);
      expect(await hosts('q=192.168.7.9')).toEqual(['mail.globex.example']);
      expect(await hosts('q=2001:db8::3')).toEqual(['FILESRV']);
      expect(await hosts('q=42')).toEqual(['=cmd|calc']);
      expect(await hosts('q=globex')).toEqual(['mail.globex.example']);
      expect(await hosts('q=critical%20-apache')).toEqual(['=cmd|calc']);
      expect(await hosts('q=%22weak%20ciphers%22')).toEqual(['=cmd|calc']);
      expect(await hosts('q=nothing-like-this')).toEqual([]);
    });

    it('filters by integration, stream, severity, state, account and time range', async () => {
      const total = async (query: string) => (await search(admin, query)).total;
      expect(await total(`integrationId=${tenableB.id}`)).toBe(2);
      expect(await total(only('stream=assets'))).toBe(1);
      expect(await total(only('severity=critical'))).toBe(2);
      expect(await total(only('severity=critical,medium'))).toBe(3);
      expect(await total(only('severity=critical&severity=low'))).toBe(3);
      expect(await total(only('state=FIXED'))).toBe(1);
      expect(await total(only(`accountId=${accountA.id}`))).toBe(3);
      expect(await total(only('from=2026-11-11T00:00:00Z&to=2026-11-12T23:59:59Z'))).toBe(3);
      expect(await total(only('from=2026-11-12T00:00:00Z&severity=critical&q=globex'))).toBe(0);
      expect(await total(only('from=2026-11-12T00:00:00Z&severity=critical&q=openssh'))).toBe(1);
    });

    it('pages', async () => {
      const first = await search(admin, only('pageSize=4&page=1'));
      const second = await search(admin, only('pageSize=4&page=2'));
      expect(first.results).toHaveLength(4);
      expect(second.results).toHaveLength(2);
      expect(second.total).toBe(6);
      const ids = [...first.results, ...second.results].map((signal) => signal.id);
      expect(new Set(ids).size).toBe(6);
    });

    it('rejects bad input before it touches storage', async () => {
      for (const query of ['severity=urgent', 'integrationId=not-a-uuid', 'from=yesterday', 'pageSize=1000', `q=${'x'.repeat(501)}`]) {
        const response = await t.app.inject({ method: 'GET', url: `/api/signals?${query}`, headers: { cookie: admin.cookie } });
        expect(response.statusCode, query).toBe(400);
      }
    });

    it('marks counts above the exact limit as estimates', async () => {
      const filters = { integrationId: [tenableA.id, tenableB.id, unowned.id] };
      const exact = await countMatches(t.ctx, filters, null, 100);
      expect(exact).toMatchObject({ total: 6, estimated: false });
      const estimated = await countMatches(t.ctx, filters, null, 3);
      expect(estimated.estimated).toBe(true);
      expect(estimated.total).toBeGreaterThanOrEqual(4);
      // A table this small is sampled whole, so the estimate is the exact count.
      expect(estimated.facets.filter((facet) => facet.facet === 'severity').reduce((sum, facet) => sum + facet.count, 0)).toBe(5);

      const actor: Actor = {
        userId: admin.session.user.id,
        username: admin.session.user.username,
        kind: 'staff',
        role: 64,
        isSupportAgent: false,
        canManageCases: false,
        isPrimaryContact: false,
        assignedAccountIds: [],
      };
      const adminCtx = { ...t.ctx, actor };
      const response = await searchSignals(adminCtx, { ...filters, page: 1, pageSize: 2 }, { exactCountLimit: 3 });
      expect(response.estimated).toBe(true);
      expect(response.results).toHaveLength(2);
      expect(response.facetsEstimated).toBe(true);
      // Counted without its own filter: every integration, these three among them.
      expect(response.facets.integration.map((bucket) => bucket.label)).toEqual(
        expect.arrayContaining(['Tenable Acme', 'Tenable Globex', 'Tenable lab']),
      );
    });
  });

  describe('detail', () => {
    it('returns the raw record; a missing or malformed id is 404 / 400', async () => {
      const [latest] = (await search(admin, `integrationId=${tenableB.id}&q=openssh`)).results;
      const response = await t.app.inject({ method: 'GET', url: `/api/signals/${latest!.id}`, headers: { cookie: admin.cookie } });
      expect(response.statusCode).toBe(200);
      const detail = response.json<SignalDetailResponse>();
      expect(detail.raw).toEqual({ key: 'b2', output: 'Some plugin output, "quoted"' });
      expect(detail.pluginName).toBe('OpenSSH, "weak" ciphers');
      expect((await t.app.inject({ method: 'GET', url: '/api/signals/999999999', headers: { cookie: admin.cookie } })).statusCode).toBe(
        404,
      );
      expect((await t.app.inject({ method: 'GET', url: '/api/signals/abc', headers: { cookie: admin.cookie } })).statusCode).toBe(400);
    });
  });

  describe('permissions', () => {
    it('refuses contacts and anonymous callers', async () => {
      for (const url of [
        '/api/signals',
        '/api/signals/results',
        '/api/signals/counts',
        '/api/signals/1',
        '/api/signals/export?format=csv',
        '/api/signals/settings',
      ]) {
        expect((await t.app.inject({ method: 'GET', url, headers: { cookie: contactA.cookie } })).statusCode, url).toBe(403);
        expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
      }
    });

    it("shows other staff only their accounts' artifacts; another account's detail is 404", async () => {
      const body = await search(staffA, 'pageSize=200');
      expect(body.total).toBe(3);
      expect(new Set(body.results.map((signal) => signal.account?.id))).toEqual(new Set([accountA.id]));
      expect(body.facets.account).toEqual([{ value: accountA.id, label: 'Acme', count: 3 }]);
      expect((await search(staffA, `accountId=${accountB.id}`)).total).toBe(0);
      expect((await search(staffA, 'q=192.168.7.9')).total).toBe(0);

      const [globex] = (await search(admin, `integrationId=${tenableB.id}`)).results;
      const [lab] = (await search(admin, `integrationId=${unowned.id}`)).results;
      const [acme] = (await search(staffA, '')).results;
      const detail = (id: string) => t.app.inject({ method: 'GET', url: `/api/signals/${id}`, headers: { cookie: staffA.cookie } });
      expect((await detail(globex!.id)).statusCode).toBe(404);
      expect((await detail(lab!.id)).statusCode).toBe(404);
      expect((await detail(acme!.id)).statusCode).toBe(200);

      const results = await t.app.inject({ method: 'GET', url: `/api/signals/results?q=192.168.7.9`, headers: { cookie: staffA.cookie } });
      expect(results.json<{ results: unknown[] }>().results).toEqual([]);
      const counts = await t.app.inject({ method: 'GET', url: '/api/signals/counts', headers: { cookie: staffA.cookie } });
      expect(counts.json<{ total: number; facets: { account: unknown[] } }>()).toMatchObject({
        total: 3,
        facets: { account: [{ value: accountA.id, label: 'Acme', count: 3 }] },
      });

      const exported = await t.app.inject({ method: 'GET', url: '/api/signals/export?format=json', headers: { cookie: staffA.cookie } });
      expect(exported.json<SignalDetailResponse[]>().map((signal) => signal.account?.id)).toEqual([accountA.id, accountA.id, accountA.id]);
    });

    it('lets only Administrators read and change retention', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/signals/settings', headers: { cookie: staffA.cookie } })).statusCode).toBe(
        403,
      );
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/signals/settings',
        headers: staffA.writeHeaders,
        payload: { retentionDays: 1 },
      });
      expect(put.statusCode).toBe(403);
    });
  });

  describe('export', () => {
    it('streams CSV with a header, quoting and formula defusing, and audits it', async () => {
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/signals/export?format=csv&integrationId=${tenableB.id}`,
        headers: { cookie: admin.cookie },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv/);
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="signals-\d{8}T\d{6}Z\.csv"$/);
      const lines = response.body.trimEnd().split('\r\n');
      expect(lines[0]).toBe('id,observed_at,integration,stream,severity,state,host_name,ip,plugin_id,plugin_name,cve,account,fingerprint');
      expect(lines).toHaveLength(3);
      expect(lines[1]).toContain(
        `,Tenable Globex,vulnerabilities,critical,OPEN,'=cmd|calc,192.168.7.10,42,"OpenSSH, ""weak"" ciphers",,Globex,${sha('b2')}`,
      );
      expect(lines[2]).toContain(',low,REOPENED,mail.globex.example,192.168.7.9,19506,Nessus Scan Information,,Globex,');

      const audit = await t.ctx.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'signals.exported')
        .orderBy('at', 'desc')
        .executeTakeFirstOrThrow();
      expect(audit.actor_user_id).toBe(admin.session.user.id);
      expect(audit.details).toMatchObject({ format: 'csv', rows: 2, isComplete: true, filters: { integrationId: [tenableB.id] } });
    });

    it('streams JSON as an array of details with raw records, across keyset pages', async () => {
      const integration = await createIntegration('Many', null);
      const records = Array.from({ length: 1203 }, (_, index) => finding(`many-${index}`, { plugin: { id: index } }));
      await store({ integration, accountId: null, records: records.slice(0, 700), observedAt: new Date(Date.UTC(2026, 10, 1)) });
      await store({ integration, accountId: null, records: records.slice(700), observedAt: new Date(Date.UTC(2026, 10, 2)) });
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/signals/export?format=json&integrationId=${integration.id}`,
        headers: { cookie: admin.cookie },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-disposition']).toMatch(/filename="signals-\d{8}T\d{6}Z\.json"/);
      const body = response.json<SignalDetailResponse[]>();
      expect(body).toHaveLength(1203);
      expect(new Set(body.map((signal) => signal.id)).size).toBe(1203);
      expect(body[0]!.observedAt).toBe('2026-11-02T00:00:00.000Z');
      expect(body[1202]!.observedAt).toBe('2026-11-01T00:00:00.000Z');
      expect(body[0]!.raw).toMatchObject({ key: expect.stringMatching(/^many-/) });

      const empty = await t.app.inject({
        method: 'GET',
        url: '/api/signals/export?format=json&q=zzzznothing',
        headers: { cookie: admin.cookie },
      });
      expect(empty.json()).toEqual([]);
    });

    it('defuses formulas in every cell', () => {
      expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
      expect(csvCell('+1')).toBe("'+1");
      expect(csvCell('-1')).toBe("'-1");
      expect(csvCell('@cmd')).toBe("'@cmd");
      expect(csvCell('a,b')).toBe('"a,b"');
      expect(csvCell('=a,"b"')).toBe(`"'=a,""b"""`);
      expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
      expect(csvCell(null)).toBe('');
      expect(csvCell(42)).toBe('42');
    });
  });

  describe('retention', () => {
    it('saves retention (audited) and sweeps older artifacts in batches', async () => {
      const bad = await t.app.inject({
        method: 'PUT',
        url: '/api/signals/settings',
        headers: admin.writeHeaders,
        payload: { retentionDays: 0 },
      });
      expect(bad.statusCode).toBe(400);
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/signals/settings',
        headers: admin.writeHeaders,
        payload: { retentionDays: 30 },
      });
      expect(put.statusCode).toBe(200);
      expect(put.json<SignalSettingsResponse>()).toEqual({ retentionDays: 30 });
      const get = await t.app.inject({ method: 'GET', url: '/api/signals/settings', headers: { cookie: admin.cookie } });
      expect(get.json<SignalSettingsResponse>()).toEqual({ retentionDays: 30 });
      const audit = await t.ctx.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'signals.settings_updated')
        .executeTakeFirstOrThrow();
      expect(audit.details).toMatchObject({ retentionDays: { from: 90, to: 30 } });

      const integration = await createIntegration('Old and new', null);
      const now = new Date(Date.UTC(2026, 11, 31));
      const records: ConnectorRecord[] = Array.from({ length: 7 }, (_, index) => finding(`old-${index}`));
      await store({ integration, accountId: null, records, observedAt: new Date(now.getTime() - 31 * 86_400_000) });
      await store({ integration, accountId: null, records: [finding('recent')], observedAt: new Date(now.getTime() - 29 * 86_400_000) });
      // Everything stored above (November 2026) is older than 30 days before this `now` too.
      const before = await t.ctx.db
        .selectFrom('signal_artifacts')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const deleted = await sweepSignals(t.ctx, now, 3);
      const left = await t.ctx.db.selectFrom('signal_artifacts').select(['fingerprint', 'observed_at']).execute();
      expect(left.map((row) => row.fingerprint)).toEqual([sha('recent')]);
      expect(deleted).toBe(Number(before.n) - 1);
    });
  });
});
