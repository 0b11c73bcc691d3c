import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { NessusFormatError } from './nessus-errors.js';
import { parseNessus, parseNessusDate, type ParseNessusOptions } from './nessus-parser.js';
import type {
  NessusComplianceResult,
  NessusFinding,
  NessusHost,
  NessusParseSummary,
  NessusRecord,
  NessusScanInfo,
} from './nessus-records.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const REAL = path.resolve(here, '../../../../shared/fixtures/real');
const NESSUS = path.join(REAL, 'nessus');

interface Parsed {
  records: NessusRecord[];
  scan: NessusScanInfo;
  hosts: NessusHost[];
  findings: NessusFinding[];
  compliance: NessusComplianceResult[];
  summary: NessusParseSummary;
}

/** Chunks of `size` bytes, as a stream would deliver them. */
async function* chunksOf(bytes: Buffer, size = 64 * 1024): AsyncGenerator<Buffer> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function parseAll(input: Buffer | string, options: ParseNessusOptions = {}, chunkSize?: number): Promise<Parsed> {
  const bytes = typeof input === 'string' ? Buffer.from(input) : input;
  const records: NessusRecord[] = [];
  for await (const batch of parseNessus(chunksOf(bytes, chunkSize), options)) records.push(...batch);
  const scan = records.find((record) => record.kind === 'scan');
  const end = records.at(-1);
  if (scan?.kind !== 'scan' || end?.kind !== 'end') throw new Error('missing scan or end record');
  return {
    records,
    scan: scan.scan,
    hosts: records.flatMap((record) => (record.kind === 'host' ? [record.host] : [])),
    findings: records.flatMap((record) => (record.kind === 'finding' ? [record.finding] : [])),
    compliance: records.flatMap((record) => (record.kind === 'compliance' ? [record.result] : [])),
    summary: end.summary,
  };
}

async function refusalOf(input: Buffer | string, options: ParseNessusOptions = {}, chunkSize?: number): Promise<NessusFormatError> {
  try {
    await parseAll(input, options, chunkSize);
  } catch (error) {
    if (error instanceof NessusFormatError) return error;
    throw error;
  }
  throw new Error('the input was accepted');
}

function readFixture(name: string): Buffer {
  return fs.readFileSync(path.join(NESSUS, name));
}

/** A minimal valid document around the given ReportItems. */
function documentWith(items: string, hostProperties = '<tag name="host-ip">10.0.0.9</tag>'): string {
  return `<?xml version="1.0" ?>
<NessusClientData_v2>
<Report name="test" xmlns:cm="http://www.nessus.org/cm">
<ReportHost name="10.0.0.9"><HostProperties>${hostProperties}</HostProperties>
${items}
</ReportHost>
</Report>
</NessusClientData_v2>
`;
}

function item(pluginId: number, children: string, severity = 2): string {
  return `<ReportItem port="443" svc_name="www" protocol="tcp" severity="${severity}" pluginID="${pluginId}" pluginName="Plugin ${pluginId}" pluginFamily="General">${children}</ReportItem>`;
}

// ---------------------------------------------------------------------------------------------

interface ManifestRow {
  file: string;
  reportHosts: number;
  reportItems: number;
  complianceItems: number;
  root: string;
  notes: string;
}

function readManifest(): Map<string, ManifestRow> {
  const lines = fs.readFileSync(path.join(REAL, 'MANIFEST.tsv'), 'utf8').split('\n');
  const header = (lines[0] ?? '').split('\t');
  const column = (name: string) => header.indexOf(name);
  const rows = new Map<string, ManifestRow>();
  for (const line of lines.slice(1)) {
    const cells = line.split('\t');
    if (cells[column('kind')] !== 'nessus') continue;
    const file = path.basename(cells[column('local_file')] ?? '');
    rows.set(file, {
      file,
      reportHosts: Number(cells[column('report_hosts')]),
      reportItems: Number(cells[column('report_items')]),
      complianceItems: Number(cells[column('compliance_items')]),
      root: cells[column('root')] ?? '',
      notes: cells[column('notes')] ?? '',
    });
  }
  return rows;
}

/** Counts taken from the raw text with naive regular expressions, independently of the parser. */
function naiveCounts(text: string): { hosts: number; items: number; complianceItems: number } {
  // Some real items are self-closing (<ReportItem … />).
  const items = text.match(/<ReportItem\b[^>]*?(?:\/>|>[\s\S]*?<\/ReportItem>)/g) ?? [];
  return {
    hosts: (text.match(/<ReportHost[\s>]/g) ?? []).length,
    items: items.length,
    complianceItems: items.filter((block) => block.includes('<cm:compliance-')).length,
  };
}

/** The exact refusal for each fixture that is not a Nessus v2 file. */
const EXPECTED_REFUSALS: Record<string, string> = {
  'djcas9__ruby-nessus__example_v_wrong.nessus':
    'This is not a Nessus v2 file: its root element is <NessusClientData_vwrong>, but a .nessus v2 file has the root element <NessusClientData_v2>. Reading stopped at line 2, column 25.',
};

const manifest = readManifest();
const fixtureFiles = fs.readdirSync(NESSUS).sort();

describe('every fixture in ../shared/fixtures/real/nessus', () => {
  it('is listed in MANIFEST.tsv, and the table below covers all of them', () => {
    expect(fixtureFiles.length).toBeGreaterThan(30);
    for (const file of fixtureFiles) expect(manifest.has(file), file).toBe(true);
  });

  it.each(fixtureFiles)('%s is imported with exactly its hosts and items, or refused', async (file) => {
    const row = manifest.get(file);
    if (row === undefined) throw new Error(`${file} is not in MANIFEST.tsv`);
    const bytes = readFixture(file);
    if (row.root !== 'NessusClientData_v2') {
      const error = await refusalOf(bytes);
      expect(error.message).toBe(EXPECTED_REFUSALS[file]);
      return;
    }
    const parsed = await parseAll(bytes);
    const naive = naiveCounts(bytes.toString('utf8'));
    // MANIFEST counts (taken by the fixture collector), and the naive regex counts, agree first.
    expect([naive.hosts, naive.items]).toEqual([row.reportHosts, row.reportItems]);
    expect(naive.complianceItems).toBe(row.complianceItems);

    expect(parsed.hosts.length).toBe(row.reportHosts);
    expect(parsed.findings.length + parsed.compliance.length).toBe(row.reportItems);
    expect(parsed.compliance.length).toBe(row.complianceItems);
    expect(parsed.findings.length).toBe(row.reportItems - row.complianceItems);
    expect(parsed.summary).toMatchObject({
      hostCount: row.reportHosts,
      itemCount: row.reportItems,
      complianceCount: row.complianceItems,
      findingCount: row.reportItems - row.complianceItems,
      isEmpty: row.reportHosts === 0,
    });
    expect(Object.values(parsed.summary.findingsBySeverity).reduce((sum, count) => sum + count, 0)).toBe(parsed.findings.length);
    // Record order: scan first, each host before its items, end last.
    expect(parsed.records[0]?.kind).toBe('scan');
    expect(parsed.records.at(-1)?.kind).toBe('end');
    const seenHosts = new Set<number>();
    for (const record of parsed.records) {
      if (record.kind === 'host') seenHosts.add(record.host.hostIndex);
      if (record.kind === 'finding') expect(seenHosts.has(record.finding.hostIndex)).toBe(true);
      if (record.kind === 'compliance') expect(seenHosts.has(record.result.hostIndex)).toBe(true);
    }
    if (row.reportHosts === 0) expect(parsed.summary.warnings.map((warning) => warning.code)).toContain('no-hosts');
    if (row.notes.includes('ReportHost name is a URL')) expect(parsed.hosts[0]?.name).toMatch(/^https?:\/\//);
  });
});

describe('typed fields', () => {
  it('reads a Web App Scanning finding with its URL host, CVSS, see-also and xrefs', async () => {
    const { hosts, findings, scan } = await parseAll(readFixture('DefectDojo__django-DefectDojo__nessus_was_one_vuln.xml'));
    expect(scan.reportType).toBe('was');
    expect(hosts[0]).toMatchObject({ name: 'http://google.com/', fqdn: 'http://google.com/', systemType: 'web_application' });
    expect(hosts[0]?.startedAt).toBe('2021-03-12T12:34:30.120Z');
    expect(findings[0]).toMatchObject({
      pluginId: 98104,
      pluginName: 'Cross-Site Scripting (XSS)',
      pluginFamily: 'Cross Site Scripting',
      severity: 3,
      port: 80,
      protocol: 'tcp',
      serviceName: 'http',
      cvssBaseScore: 7.5,
      cvss3BaseScore: 7.1,
      riskFactor: 'high',
      pluginPublicationDate: '2017-03-31T00:00:00+00:00',
    });
    expect(findings[0]?.seeAlso).toHaveLength(2);
    expect(findings[0]?.xrefs).toContainEqual({ type: 'CWE', id: '79' });
    expect(findings[0]?.pluginOutput).toContain("injecting following payload:\n\n| ()\"&%1'-;<xss_9676200>'");
    expect(findings[0]?.otherElements['plugin_name']).toEqual(['Cross-Site Scripting (XSS)']);
  });

  it('reads an agent scan host: agent UUID from TAG, addresses, OS, credentialed flag, start and end', async () => {
    const { hosts, scan } = await parseAll(readFixture('tenable__pyTenable__example.nessus'));
    expect(scan.policy?.name).toBe('Basic Agent Scan');
    expect(hosts[0]).toMatchObject({
      name: 'adam',
      agentUuid: '155e3f7a3e2e4e3a910c3edb567dea7f',
      hostUuid: '22633c46-e142-4c6c-912c-271b15810d47',
      ipv4: '192.168.16.133',
      ipv6: null,
      fqdn: 'adam.ad.demo.io',
      macAddresses: ['00:50:56:A6:60:BC'],
      operatingSystems: ['Microsoft Windows 10 Pro'],
      isCredentialedScan: true,
      startedAt: '2018-09-14T03:33:11.000Z',
      endedAt: '2018-09-14T03:41:35.000Z',
    });
    expect(hosts[0]?.properties['policy-used']).toBe('Basic Agent Scan');
  });

  it('reads JSON lists of workbench exports (operating-system, host-fqdns) and keeps every CVE', async () => {
    const { hosts } = await parseAll(
      readFixture('tenable__pyTenable__test_workbench_export_plugin_id.yaml__i03__GET_workbenches_export_ID_download.nessus'),
    );
    expect(hosts).toHaveLength(42);
    expect(hosts[0]).toMatchObject({ name: 'domingo.ad.demo.io', netbiosName: 'DOMINGO', operatingSystems: ['Microsoft Windows 10 Pro'] });
    const mitre = await parseAll(readFixture('mitre__heimdall2__sample.nessus'));
    expect(mitre.hosts[0]?.fqdns).toEqual(['DESKTOP-LSFL6KC.localdomain']);
    const naiveCves = (readFixture('mitre__heimdall2__sample.nessus').toString('utf8').match(/<cve>/g) ?? []).length;
    expect(mitre.findings.reduce((sum, finding) => sum + finding.cves.length, 0)).toBe(naiveCves);
  });

  it('reads compliance results with all their cm: fields, apart from findings', async () => {
    const { compliance, findings, summary } = await parseAll(
      readFixture('SoteriaSoftwareLLC__openrmfpro-automation__Oracle_Linux_7_CIS_Level_1_Server_ue9jey.nessus'),
    );
    const check = compliance.find((result) => result.compliance.checkName === '6.2.10 Ensure root PATH Integrity');
    expect(check?.compliance).toMatchObject({
      result: 'FAILED',
      actualValue: 'This audit check is not running as root',
      policyValue: 'name: dot_in_root_path_variable\nsystem: Linux',
      auditFile: 'CIS_Oracle_Linux_7_v3.1.1_Server_L1.audit',
      benchmarkName: 'CIS Oracle Linux 7 Server L1',
      solution: 'Correct or justify any items discovered in the Audit step.',
    });
    expect(Object.keys(check?.compliance.fields ?? {})).toContain('compliance-functional-id');
    expect(findings.every((finding) => !('compliance' in finding))).toBe(true);
    expect(Object.values(summary.complianceByResult).reduce((sum, count) => sum + count, 0)).toBe(325);
  });

  it('keeps the policy of a policy-only export and reports it as an empty scan', async () => {
    const { scan, hosts, summary } = await parseAll(readFixture('tenable__Tenable.io-SDK-for-Java__nessus_policy_test.nessus'));
    expect(hosts).toHaveLength(0);
    expect(summary.isEmpty).toBe(true);
    expect(summary.warnings[0]?.code).toBe('no-hosts');
    expect(scan.reportName).toBeNull();
    expect(scan.policy).toMatchObject({ name: 'test', comments: 'test policy' });
    expect(scan.policy?.properties['policyOwner']).toBe('test@test.com');
    expect(scan.policy?.families).toHaveLength(52);
    expect(scan.policy?.plugins).toHaveLength(49);
    expect(scan.policy?.plugins[0]).toMatchObject({ id: 88963, status: 'enabled', family: 'Windows' });
    expect(scan.policy?.pluginPreferences).toEqual([]); // this export has no PluginPreferences
  });

  it('reads server preferences, TARGET and plugin_set', async () => {
    const { scan } = await parseAll(
      readFixture('tenable__pyTenable__test_scan_export_bytesio.yaml__i04__GET_scans_ID_export_SSE-UUID-nessus_download.nessus'),
    );
    expect(scan.policy?.target).toBe('162.159.129.83/32');
    expect(scan.policy?.pluginSet?.length).toBeGreaterThan(1000);
    const was = await parseAll(readFixture('DefectDojo__django-DefectDojo__nessus_was_one_vuln.xml'));
    expect(was.scan.policy?.serverPreferences['settings_timeout']).toBe('02:00:00');
  });

  it('reads the date formats Nessus writes', () => {
    expect(parseNessusDate('Fri Dec 11 02:57:52 2009')).toBe('2009-12-11T02:57:52.000Z');
    expect(parseNessusDate('Thu Mar  9 16:32:07 2017')).toBe('2017-03-09T16:32:07.000Z');
    expect(parseNessusDate('Sunday December 15 12:59:48 2024')).toBe('2024-12-15T12:59:48.000Z');
    expect(parseNessusDate('2021-03-12T14:35:34.341269+00:00')).toBe('2021-03-12T14:35:34.341Z');
    expect(parseNessusDate('1609550673')).toBe('2021-01-02T01:24:33.000Z');
    expect(parseNessusDate('yesterday')).toBeNull();
  });
});

describe('entities and DOCTYPE', () => {
  it('imports escaped DOCTYPE text inside a plugin output as text', async () => {
    const output = '&lt;!DOCTYPE html&gt;&lt;html&gt;&lt;!ENTITY x "y"&gt; &amp;amp; &#x41;&#66;';
    const { findings } = await parseAll(documentWith(item(10107, `<plugin_output>The page starts with ${output}</plugin_output>`)));
    expect(findings[0]?.pluginOutput).toBe('The page starts with <!DOCTYPE html><html><!ENTITY x "y"> &amp; AB');
  });

  it('refuses a "billion laughs" document before expanding anything', async () => {
    const laughs = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE lolz [',
      ' <!ENTITY lol "lol">',
      ...Array.from({ length: 9 }, (_, index) => ` <!ENTITY lol${index + 1} "${`&lol${index === 0 ? '' : index};`.repeat(10)}">`),
      ']>',
      '<NessusClientData_v2><Report name="x"><ReportHost name="a"><HostProperties/>',
      item(1, '<plugin_output>&lol9;</plugin_output>'),
      '</ReportHost></Report></NessusClientData_v2>',
    ].join('\n');
    const started = performance.now();
    const error = await refusalOf(laughs);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(error.reason).toBe('doctype');
    expect(error.message).toBe(
      'The file contains a document type declaration (<!DOCTYPE …>), which a .nessus file never has and Bulwark refuses. It defines entities (as an entity-expansion or external-entity attack does); none was expanded. Reading stopped at line 13, column 2.',
    );
  });

  it('refuses an external entity (SYSTEM "file:///etc/passwd") without reading it', async () => {
    const xxe = `<?xml version="1.0"?>\n<!DOCTYPE NessusClientData_v2 [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${documentWith(item(1, '<plugin_output>&xxe;</plugin_output>')).replace('<?xml version="1.0" ?>\n', '')}`;
    const error = await refusalOf(xxe);
    expect(error.reason).toBe('doctype');
    expect(error.message).toContain('none was expanded');
    expect(error.line).toBe(2);
    const external = await refusalOf(
      '<?xml version="1.0"?>\n<!DOCTYPE NessusClientData_v2 SYSTEM "http://example.test/nessus.dtd">\n<NessusClientData_v2/>',
    );
    expect(external.reason).toBe('doctype');
    expect(external.message).toContain('It refers to an external resource, which was not fetched.');
  });

  it('refuses an entity reference that XML does not define', async () => {
    const error = await refusalOf(documentWith(item(1, '<plugin_output>&xxe;</plugin_output>')));
    expect(error.reason).toBe('entity');
    expect(error.message).toMatch(
      /^The file uses an entity reference that XML does not define .* Reading stopped at line 5, column \d+\.$/,
    );
  });
});

describe('malformed files', () => {
  it('refuses an empty file', async () => {
    expect((await refusalOf('')).message).toBe('The file is empty.');
    expect((await refusalOf('  \n\t\n')).message).toBe('The file is empty.');
    expect((await refusalOf(Buffer.from([0xef, 0xbb, 0xbf]))).message).toBe('The file is empty.');
  });

  it('refuses an HTML page', async () => {
    const page =
      '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head><body><p>Session expired<br></body></html>';
    const error = await refusalOf(page);
    expect(error.reason).toBe('html');
    expect(error.message).toBe(
      'This is an HTML page (perhaps a login or error page saved instead of the scan), not a .nessus file. Reading stopped at line 1, column 15.',
    );
    expect((await refusalOf('<!doctype html>\n<html><body>x</body></html>')).reason).toBe('html');
    expect((await refusalOf('<html><body><p>x</p></body></html>')).reason).toBe('html');
  });

  it('refuses something that is not XML at all', async () => {
    const error = await refusalOf('{"scans": []}');
    expect(error.message).toBe(
      'The file is not XML: a .nessus file starts with "<?xml" or "<NessusClientData_v2>", this one with "{\\"scans\\": []}". Reading stopped at line 1, column 1.',
    );
    expect((await refusalOf('\n\n  hello')).message).toContain('Reading stopped at line 3, column 3.');
    expect((await refusalOf(gzipSync(readFixture('siteblindado__nessus-report-parser__very_simple.xml')))).reason).toBe('compressed');
  });

  it('refuses the old v1 format and a wrong root element, naming the root found and expected', async () => {
    const v1 = await refusalOf(
      '<?xml version="1.0"?>\n<NessusClientData>\n<Report><ReportHost><HostName>10.0.0.1</HostName></ReportHost></Report></NessusClientData>',
    );
    expect(v1.reason).toBe('nessus-v1');
    expect(v1.message).toBe(
      'This is a Nessus v1 file (root element <NessusClientData>), a format Bulwark does not read; export the scan again as "Nessus" (.nessus v2, root element <NessusClientData_v2>). Reading stopped at line 2, column 18.',
    );
    const wrong = await refusalOf('<?xml version="1.0"?>\n<nmaprun scanner="nmap"></nmaprun>');
    expect(wrong.message).toBe(
      'This is not a Nessus v2 file: its root element is <nmaprun>, but a .nessus v2 file has the root element <NessusClientData_v2>. Reading stopped at line 2, column 24.',
    );
  });

  it('refuses a file truncated at any point, naming the last line', async () => {
    const bytes = readFixture('savon-noir__python-libnessus__nessus_report_local_3.nessus');
    const ends = bytes.toString('utf8').trimEnd().length;
    for (const cut of [40, 1000, Math.floor(bytes.length * 0.3), Math.floor(bytes.length * 0.77), ends - 1]) {
      const truncated = bytes.subarray(0, cut);
      const error = await refusalOf(truncated);
      expect(error.reason, `cut at ${cut}`).toBe('truncated');
      expect(error.message).toMatch(
        /^The file ends unexpectedly( inside <[^>]+>( of host [^:]+)?| at line \d+): it looks truncated \(cut off during a download or a copy\)\. Reading stopped at line \d+, column \d+\.$/,
      );
      expect(error.line).toBe(truncated.toString('utf8').split('\n').length);
    }
    const inside = await refusalOf(documentWith(item(1, '<plugin_output>half of it')).slice(0, -60));
    expect(inside.message).toContain('The file ends unexpectedly inside <plugin_output> of host 10.0.0.9');
  });

  it('refuses a ReportItem with an impossible severity, plugin id or port', async () => {
    const severity = await refusalOf(documentWith(item(1, '', 7)));
    expect(severity.message).toBe(
      'A <ReportItem> of host 10.0.0.9 (plugin 1) has severity "7"; a severity is 0 to 4. Reading stopped at line 5, column 124.',
    );
    expect((await refusalOf(documentWith(item(1, '').replace('port="443"', 'port="99999"')))).reason).toBe('invalid-item');
    expect((await refusalOf(documentWith(item(1, '').replace('pluginID="1"', 'pluginID="x"')))).reason).toBe('invalid-item');
  });

  it('refuses a file over the configured size limit', async () => {
    const error = await refusalOf(readFixture('mitre__heimdall2__sample.nessus'), { maxBytes: 100_000 });
    expect(error.reason).toBe('too-large');
    expect(error.message).toMatch(/^The file is larger than the configured limit of 100000 bytes\./);
  });
});

describe('encodings', () => {
  it('replaces invalid UTF-8 with U+FFFD and warns, or refuses it when asked to', async () => {
    const text = documentWith(item(1, '<plugin_output>caf\u00e9 BAD</plugin_output>'));
    const bytes = Buffer.from(text.replace('BAD', '\u0001'));
    bytes[bytes.indexOf(0x01)] = 0xff;
    const { findings, summary } = await parseAll(bytes);
    expect(findings[0]?.pluginOutput).toBe('caf\u00e9 \ufffd');
    expect(summary.warnings.map((warning) => warning.code)).toEqual(['invalid-utf8']);
    expect((await refusalOf(bytes, { invalidUtf8: 'refuse' })).reason).toBe('encoding');
  });

  it('decodes a declared ISO-8859-1 file and multi-byte characters split across chunks', async () => {
    const latin = Buffer.from(
      documentWith(item(1, '<plugin_output>r\u00e9seau</plugin_output>')).replace(
        'version="1.0" ?>',
        'version="1.0" encoding="ISO-8859-1"?>',
      ),
      'latin1',
    );
    expect((await parseAll(latin)).findings[0]?.pluginOutput).toBe('r\u00e9seau');
    const utf8 = Buffer.from(documentWith(item(1, '<plugin_output>\u2014 \u{1F600} \u00e9</plugin_output>')));
    const whole = await parseAll(utf8);
    const split = await parseAll(utf8, {}, 3);
    expect(split.findings[0]?.pluginOutput).toBe('\u2014 \u{1F600} \u00e9');
    expect(split.summary.warnings).toEqual([]);
    expect(split.summary.fingerprint).toBe(whole.summary.fingerprint);
  });
});

describe('fingerprint', () => {
  /** The same scan written differently: no white space between tags, attributes reversed, CRLF. */
  function reserialise(text: string): string {
    return text
      .replace(/>\s+</g, '><')
      .replace(/<(ReportItem|ReportHost|Report) ([^>]*?)(\/?)>/g, (_match, name: string, attributes: string, slash: string) => {
        const pairs = [...attributes.matchAll(/([\w:-]+)="([^"]*)"/g)].map(([, key, value]) => `${key}='${value}'`);
        return `<${name}   ${pairs.reverse().join('  ')}${slash}>`;
      })
      .replace(/\n/g, '\r\n');
  }

  it.each(['mitre__heimdall2__sample.nessus', 'SoteriaSoftwareLLC__openrmfpro-automation__Windows_Defender_Policy_Scan_1eb234.nessus'])(
    'is the same for %s re-serialised, and differs for a changed scan',
    async (file) => {
      const text = readFixture(file).toString('utf8');
      const original = await parseAll(text);
      const rewritten = reserialise(text);
      expect(rewritten).not.toBe(text);
      expect(rewritten).toContain("pluginID='");
      const same = await parseAll(rewritten, {}, 4096);
      expect(same.summary.fingerprint).toBe(original.summary.fingerprint);
      expect(same.findings.length).toBe(original.findings.length);

      const changedSeverity = text.replace(/severity="0"/, 'severity="1"');
      expect((await parseAll(changedSeverity)).summary.fingerprint).not.toBe(original.summary.fingerprint);
      const changedOutput = text.replace(/<plugin_output>([^<])/, '<plugin_output>x$1');
      expect((await parseAll(changedOutput)).summary.fingerprint).not.toBe(original.summary.fingerprint);
    },
  );

  it('does not depend on how the input is chunked', async () => {
    const bytes = readFixture('siteblindado__nessus-report-parser__very_simple.xml');
    const whole = await parseAll(bytes, {}, bytes.length);
    const tiny = await parseAll(bytes, {}, 7);
    expect(tiny.summary.fingerprint).toBe(whole.summary.fingerprint);
    expect(tiny.findings).toEqual(whole.findings);
  });
});

describe('bounded memory', () => {
  it('cuts a text over the cap and says so', async () => {
    const long = 'A'.repeat(5000);
    const { findings, summary } = await parseAll(
      documentWith(item(1, `<plugin_output>${long}</plugin_output><description>short</description>`)),
      {
        maxTextLength: 1000,
      },
    );
    expect(findings[0]?.pluginOutput).toBe(
      `${'A'.repeat(1000)}\n[truncated by Bulwark: the original text has 5000 characters; the first 1000 are kept]`,
    );
    expect(findings[0]?.description).toBe('short');
    expect(findings[0]?.truncatedFields).toEqual(['plugin_output']);
    expect(summary.warnings.map((warning) => warning.code)).toEqual(['text-truncated']);
  });

  it('caps a single huge text that arrives over many chunks (saxes does not keep it whole)', async () => {
    const head = Buffer.from(documentWith(item(1, '<plugin_output>SPLIT</plugin_output>')));
    const [before = '', after = ''] = head.toString('utf8').split('SPLIT');
    async function* source(): AsyncGenerator<Buffer> {
      yield Buffer.from(before);
      const block = Buffer.from('0123456789abcdef\n'.repeat(4096)); // 68 KiB
      for (let index = 0; index < 300; index += 1) yield block; // about 20 MiB of text
      yield Buffer.from(after);
    }
    let output = '';
    for await (const batch of parseNessus(source(), { maxTextLength: 1024 * 1024 })) {
      for (const record of batch) if (record.kind === 'finding') output = record.finding.pluginOutput ?? '';
    }
    expect(output.length).toBeLessThan(1024 * 1024 + 200);
    expect(output).toMatch(/\[truncated by Bulwark: the original text has 20889600 characters; the first 1048576 are kept\]$/);
  });

  it('reads no further while the consumer is busy (backpressure)', async () => {
    const items = Array.from({ length: 4000 }, (_, index) => item(10000 + index, '<plugin_output>open</plugin_output>')).join('\n');
    const bytes = Buffer.from(documentWith(items));
    let pulled = 0;
    async function* source(): AsyncGenerator<Buffer> {
      for (let start = 0; start < bytes.length; start += 16 * 1024) {
        const chunk = bytes.subarray(start, start + 16 * 1024);
        pulled += chunk.length;
        yield chunk;
      }
    }
    const iterator = parseNessus(source(), { batchSize: 100 })[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    const afterFirst = pulled;
    expect(afterFirst).toBeLessThan(bytes.length / 5);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pulled).toBe(afterFirst);
    let total = first.value?.length ?? 0;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) total += next.value.length;
    expect(pulled).toBe(bytes.length);
    expect(total).toBe(4000 + 3);
  });
});
