import type pg from 'pg';

/** Findings per asset and plugins in the synthetic instance (bench:export, bench:connector). */
export const FINDINGS_PER_ASSET = 500;
const PLUGINS = 5000;

/** Fills one instance with synthetic but realistically sized data, in a few set-based statements. */
export async function insertSyntheticInstance(client: pg.Client, accountId: string, assets: number): Promise<void> {
  const scan = await client.query<{ id: string }>(
    `insert into scans (account_id, name, status, bytes_read, warnings, scan_started_at, scan_ended_at, host_count, finding_count)
     values ($1, 'Bench scan', 'completed', 0, '[]', now() - interval '2 hours', now() - interval '1 hour', $2, $3) returning id`,
    [accountId, assets, assets * FINDINGS_PER_ASSET],
  );
  const scanId = scan.rows[0]?.id;
  await client.query(
    `insert into assets (account_id, identity_kind, identity_value, hostname, fqdn, ipv4, mac_address, operating_system, properties,
       first_seen, last_seen, last_scan_id)
     select $1, 'fqdn', 'host-' || i || '.bench.example', 'host-' || i, 'host-' || i || '.bench.example',
       '10.' || (i / 65536) || '.' || ((i / 256) % 256) || '.' || (i % 256), '00:50:56:00:' || lpad(to_hex(i / 256), 2, '0') || ':' || lpad(to_hex(i % 256), 2, '0'),
       'Linux Kernel 5.15 on Ubuntu 22.04', '{"system-type": "general-purpose"}'::jsonb,
       now() - interval '90 days', now() - interval '1 hour', $2
     from generate_series(0, $3 - 1) as i`,
    [accountId, scanId, assets],
  );
  await client.query(
    `insert into plugins (account_id, id, name, family, risk_factor, synopsis, description, solution, plugin_type,
       cvss_base_score, cvss_vector, cvss3_base_score, cvss3_vector, cve, see_also, xrefs, exploit_available,
       publication_date, modification_date, attributes)
     select $1, 100000 + i, 'Bench Linux : package-' || i || ' multiple vulnerabilities (USN-' || i || '-1)', 'Ubuntu Local Security Checks ' || (i % 40),
       (array['None', 'Low', 'Medium', 'High', 'Critical'])[i % 5 + 1],
       'The remote host is missing one or more security-related updates for package-' || i || '.',
       'The remote Ubuntu host has a package installed that is affected by multiple vulnerabilities as referenced in the advisory. ' || repeat(md5(i::text) || ' ', 20),
       'Update the affected package-' || i || ' to the version given in the vendor advisory. ' || repeat(md5((i + 1)::text), 2),
       'local', (i % 100) / 10.0, 'AV:N/AC:L/Au:N/C:P/I:P/A:P', (i % 100) / 10.0, 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
       array['CVE-2024-' || (10000 + i), 'CVE-2025-' || (20000 + i)], array['https://ubuntu.com/security/notices/USN-' || i || '-1'],
       array['USN:' || i || '-1', 'IAVA:2024-A-' || i], i % 3 = 0, date '2024-01-01' + (i % 365), date '2025-01-01' + (i % 300),
       jsonb_build_object('script_version', '1.' || (i % 20), 'patch_publication_date', '2024/06/01', 'vpr_score', ((i % 90) / 10.0)::text)
     from generate_series(0, $2 - 1) as i`,
    [accountId, PLUGINS],
  );
  // Asset n has the 500 plugins from (7n mod 5000) on: one finding per asset and plugin.
  await client.query(
    `insert into findings (account_id, asset_id, plugin_id, port, protocol, service, severity, state, output, first_found, last_found, last_scan_id)
     select $1, a.id, 100000 + ((a.n * 7 + k) % $3), (k % 4) * 22, 'tcp', case when k % 4 = 0 then 'general' else 'ssh' end, k % 5, 'OPEN',
       'Remote package installed : package-' || k || '-1.0.' || a.n || E'\\nShould be                : package-' || k || E'-1.1.0\\n' || repeat(md5((a.n * 1000 + k)::text), 7),
       now() - interval '60 days', now() - interval '1 hour', $2
     from (select id, (row_number() over (order by id) - 1)::int as n from assets where account_id = $1) as a, generate_series(0, $4 - 1) as k`,
    [accountId, scanId, PLUGINS, FINDINGS_PER_ASSET],
  );
  await client.query('analyze');
}
