import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../server/db/database.js';
import { searchVectorSql } from '../server/modules/signals/signals-store.js';
import { createBenchDatabase, printFigures } from './bench-support.js';

/**
 * `npm run bench:signal-store` (BENCH_ROWS, default 100,000): what storing one signal artifact
 * costs PostgreSQL, and which part of the table makes it cost that. For each variant of the
 * signal_artifacts table (as migrated; without one of its costs), in a fresh database: BENCH_ROWS
 * Tenable-like findings (about 3 KB of raw JSON each) stored in statements of 5,000 shaped like the
 * connector's (`insert … select … on conflict (integration_id, fingerprint) do nothing`, the search
 * vector computed in SQL), then the same number again into the filled table, timed. Prints µs per
 * row and the difference from the table as migrated, and what generating the rows alone costs
 * (included in every other figure). The rows are generated in SQL, so the figures are PostgreSQL's
 * side only (bench:connector measures the whole pipeline).
 */

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const STATEMENT_ROWS = 5000;

/** Rows from $2 to $3, generated as Tenable vulns export records with the columns the connector sends. */
const GENERATED_ROWS = `
      select 'vulnerabilities' as stream, encode(sha256(g::text::bytea), 'hex') as fingerprint,
        (array['info', 'low', 'medium', 'high', 'critical'])[1 + g % 5] as severity,
        (array['OPEN', 'FIXED', 'REOPENED'])[1 + g % 3] as state,
        'host-' || (g / 500) || '.bench.example' as host_name,
        '10.' || (g / 500 / 65536) || '.' || (g / 500 / 256 % 256) || '.' || (g / 500 % 256) as ip,
        100000 + g % 5000 as plugin_id,
        'Bench Linux : package-' || (g % 5000) || ' multiple vulnerabilities (USN-' || (g % 5000) || '-1)' as plugin_name,
        array['CVE-2024-' || (10000 + g % 5000), 'CVE-2025-' || (20000 + g % 5000)] as cve,
        json_build_object(
          'asset', json_build_object('uuid', md5('asset' || (g / 500)), 'hostname', 'host-' || (g / 500),
            'fqdn', array['host-' || (g / 500) || '.bench.example'], 'ipv4', array['10.0.' || (g / 500 % 256) || '.' || (g % 256)],
            'operating_system', array['Linux Kernel 5.15 on Ubuntu 22.04'], 'network_id', '00000000-0000-0000-0000-000000000000',
            'tracked', true),
          'output', 'Remote package installed : package-' || g || E'\\nShould be : package-' || g || E'-1.1.0\\n' || repeat(md5(g::text), 7),
          'plugin', json_build_object('id', 100000 + g % 5000, 'name', 'Bench Linux : package-' || (g % 5000) || ' multiple vulnerabilities',
            'family', 'Ubuntu Local Security Checks', 'synopsis', 'The remote host is missing one or more security-related updates.',
            'description', 'The remote Ubuntu host has a package installed that is affected by multiple vulnerabilities. '
              || repeat(md5((g % 5000)::text) || ' ', 20),
            'solution', 'Update the affected package to the version given in the vendor advisory. ' || repeat(md5((g % 5000 + 1)::text), 2),
            'cve', array['CVE-2024-' || (10000 + g % 5000), 'CVE-2025-' || (20000 + g % 5000)],
            'see_also', array['https://ubuntu.com/security/notices/USN-' || (g % 5000) || '-1'],
            'xrefs', json_build_array(json_build_object('type', 'USN', 'id', (g % 5000) || '-1')),
            'cvss_base_score', 7.5, 'cvss3_base_score', 9.8,
            'cvss3_vector', json_build_object('raw', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 'access_vector', 'Network'),
            'vpr', json_build_object('score', 6.7, 'drivers', json_build_object('age_of_vuln', json_build_object('lower_bound', 366),
              'exploit_code_maturity', 'PROOF_OF_CONCEPT', 'threat_intensity_last28', 'VERY_LOW')),
            'publication_date', '2024-06-01T00:00:00Z', 'modification_date', '2025-01-01T00:00:00Z', 'has_patch', true),
          'port', json_build_object('port', (g % 4) * 22, 'protocol', 'TCP', 'service', 'ssh'),
          'scan', json_build_object('uuid', md5('scan'), 'started_at', '2026-11-20T10:00:00.000Z', 'completed_at', '2026-11-20T11:00:00.000Z'),
          'severity', 'high', 'severity_id', 3, 'severity_default_id', 3, 'severity_modification_type', 'NONE',
          'first_found', '2026-09-20T10:00:00.000Z', 'last_found', '2026-11-20T11:00:00.000Z', 'state', 'OPEN',
          'indexed', '2026-11-20T11:05:00.000Z')::text as raw
      from generate_series($2::int, $3::int) g`;

/** One statement of the connector's shape. */
const INSERT = `
    insert into signal_artifacts (integration_id, integration_name, stream, observed_at, account_id, fingerprint, severity, state,
      host_name, ip, plugin_id, plugin_name, cve, raw, search)
    select $1::uuid, 'Bench', r.stream, now(), null, r.fingerprint, r.severity, r.state, r.host_name, r.ip, r.plugin_id,
      r.plugin_name, r.cve, r.raw, ${searchVectorSql('r')}
    from (${GENERATED_ROWS}) r
    on conflict (integration_id, fingerprint) do nothing`;

/** The same rows generated and read, nothing stored: what every other variant's figure includes besides storing. */
const GENERATE_ONLY = `
    select $1::uuid as integration_id, sum(octet_length(r.raw) + length(r.fingerprint) + length(r.host_name) + length(r.ip)
      + length(r.plugin_name) + cardinality(r.cve) + length(r.severity) + length(r.state) + r.plugin_id)
    from (${GENERATED_ROWS}) r`;

const VARIANTS: { name: string; change: string[]; statement?: string }[] = [
  { name: 'as migrated', change: [] },
  { name: 'generating the rows only (nothing stored)', change: [], statement: GENERATE_ONLY },
  { name: 'without the full-text GIN index', change: ['drop index signal_artifacts_search'] },
  { name: 'raw record inline (default toast_tuple_target)', change: ['alter table signal_artifacts reset (toast_tuple_target)'] },
  {
    name: 'without the four filter/facet btrees',
    change: [
      'drop index signal_artifacts_observed',
      'drop index signal_artifacts_account',
      'drop index signal_artifacts_integration',
      'drop index signal_artifacts_severity_state',
    ],
  },
  { name: 'GIN with fastupdate off', change: ['alter index signal_artifacts_search set (fastupdate = off)'] },
  { name: 'GIN pending list 32 MB', change: ['alter index signal_artifacts_search set (gin_pending_list_limit = 32768)'] },
];

async function measure(variant: (typeof VARIANTS)[number]): Promise<{ microseconds: number; rawBytes: number }> {
  const database = await createBenchDatabase('bulwark_bench_signal_store');
  try {
    // loadConfig keeps its generated secrets under DATA_DIR: a temporary one, removed at once.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-bench-signal-store-'));
    try {
      const handle = await openDatabase(loadConfig({ DATABASE_URL: database.url, DATA_DIR: dataDir }).database);
      await migrateToLatest(handle.db);
      await handle.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      for (const statement of variant.change) await client.query(statement);
      const integration = await client.query<{ id: string }>(
        `insert into integrations (connector, name, settings) values ('signal-client.tenable', 'Bench', '{}') returning id`,
      );
      const integrationId = integration.rows[0]!.id;
      const statement = variant.statement ?? INSERT;
      const store = async (first: number) => {
        for (let from = first; from < first + ROWS; from += STATEMENT_ROWS) {
          await client.query(statement, [integrationId, from, Math.min(first + ROWS, from + STATEMENT_ROWS) - 1]);
        }
      };
      await store(0);
      const started = performance.now();
      await store(ROWS);
      const seconds = (performance.now() - started) / 1000;
      const size = await client.query<{ bytes: string | null }>(`select avg(octet_length(raw))::bigint as bytes from signal_artifacts`);
      return { microseconds: (seconds / ROWS) * 1e6, rawBytes: Number(size.rows[0]?.bytes ?? 0) };
    } finally {
      await client.end();
    }
  } finally {
    await database.drop();
  }
}

const results: [string, string][] = [];
let baseline: number | null = null;
let rawBytes = 0;
for (const variant of VARIANTS) {
  const result = await measure(variant);
  baseline ??= result.microseconds;
  rawBytes = result.rawBytes || rawBytes;
  const difference = result.microseconds - baseline;
  results.push([
    variant.name,
    `${result.microseconds.toFixed(1)} µs per row${variant.change.length > 0 ? ` (${difference >= 0 ? '+' : ''}${difference.toFixed(1)})` : ''}`,
  ]);
  console.log(`measured: ${variant.name}`);
}
console.log(`\nStoring ${ROWS} signal artifacts (raw record ~${rawBytes} bytes) into a table already holding ${ROWS}, PostgreSQL's side:`);
printFigures(results);
