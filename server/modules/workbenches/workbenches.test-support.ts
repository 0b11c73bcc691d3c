import { sql } from 'kysely';
import type { TestApp } from '../../test/build-test-app.js';
import { createInstanceCaller, importFixture, type InstanceCaller } from '../../test/instance-api.js';

/**
 * Real .nessus files whose union covers every field the workbench recordings show: a credentialed
 * host with FQDN, MAC and OS (heimdall), plugins with VPR drivers, temporal CVSS and CPEs
 * (DefectDojo), many hosts sharing plugins (pyTenable's workbench export) and CVE/BID-rich plugins.
 */
export const WORKBENCH_FIXTURES = [
  'nessus/mitre__heimdall2__sample.nessus',
  'nessus/DefectDojo__django-DefectDojo__nessus_with_cvssv3.nessus',
  'nessus/tenable__pyTenable__test_workbench_export_plugin_id.yaml__i03__GET_workbenches_export_ID_download.nessus',
  'nessus/tenable__pyTenable__example.nessus',
] as const;

/** A Basic (16) contact of a new instance holding the workbench fixtures. */
export async function createWorkbenchInstance(t: TestApp): Promise<InstanceCaller> {
  const caller = await createInstanceCaller(t, { role: 16 });
  for (const fixture of WORKBENCH_FIXTURES) await importFixture(t.ctx, caller.accountId, fixture);
  return caller;
}

/** The asset with the most identifiers and findings: a credentialed host with FQDN, MAC and OS. */
export async function findRichestAsset(t: TestApp, accountId: string): Promise<{ id: string; pluginId: number }> {
  const row = await t.ctx.db
    .selectFrom('assets as a')
    .innerJoin('findings as f', 'f.asset_id', 'a.id')
    .select(['a.id', sql<number>`min(f.plugin_id)`.as('plugin_id')])
    .where('a.account_id', '=', accountId)
    .where('a.last_authenticated_scan_at', 'is not', null)
    .where('a.fqdn', 'is not', null)
    .where('a.mac_address', 'is not', null)
    .where('a.operating_system', 'is not', null)
    .groupBy('a.id')
    .orderBy(sql`count(*)`, 'desc')
    .executeTakeFirstOrThrow();
  return { id: row.id, pluginId: row.plugin_id };
}

/** A plugin with findings whose file gave VPR drivers, CVSS v2 and v3, CPEs, CVEs and patch dates. */
export async function findRichestPlugin(t: TestApp, accountId: string): Promise<number> {
  const row = await t.ctx.db
    .selectFrom('plugins as p')
    .select('p.id')
    .where('p.account_id', '=', accountId)
    .where(sql<boolean>`p.attributes ?& array['vpr_score', 'age_of_vuln', 'cpe', 'patch_publication_date', 'vuln_publication_date']`)
    .where(sql<boolean>`cardinality(p.cve) > 0 and p.cvss_vector is not null and p.cvss3_vector is not null`)
    .where(sql<boolean>`exists (select 1 from findings f where f.account_id = p.account_id and f.plugin_id = p.id)`)
    .orderBy('p.id')
    .executeTakeFirstOrThrow();
  return row.id;
}
