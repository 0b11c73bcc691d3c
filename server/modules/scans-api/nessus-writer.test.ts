import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseNessus } from '../nessus/nessus-parser.js';
import type { NessusRecord } from '../nessus/nessus-records.js';
import { nessusHostTime } from './nessus-export-source.js';
import { escapeAttribute, escapeText, writeNessus, type WrittenDocument, type WrittenPlugin } from './nessus-writer.js';

const plugin: WrittenPlugin = {
  name: 'Odd <"name"> & co',
  family: 'General',
  riskFactor: 'High',
  synopsis: 'a < b && c > d',
  description: 'line one\nline two',
  solution: null,
  pluginType: 'remote',
  cvssBaseScore: 7.5,
  cvssVector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P',
  cvss3BaseScore: null,
  cvss3Vector: null,
  cve: ['CVE-2020-0001', 'CVE-2020-0002'],
  bid: [],
  seeAlso: ['https://a.example/?x=1&y=2', 'https://b.example/'],
  xrefs: ['CWE:79'],
  exploitAvailable: true,
  publicationDate: '2020-01-02',
  modificationDate: null,
  attributes: { fname: 'odd.nasl', cpe: ['cpe:/a:x:y', 'cpe:/a:x:z'] },
};

function document(): WrittenDocument {
  return {
    reportName: 'Report "quoted" & <tagged>',
    policyName: 'Policy & more',
    hosts: (async function* () {
      yield [
        {
          host: { name: 'host\n"one"', properties: { 'host-ip': '10.0.0.1', note: 'bell \u0007 gone, é kept, 😀 kept' } },
          async *items() {
            yield [
              { pluginId: 1, port: 443, protocol: 'tcp', service: 'www', severity: 3, output: 'x < y\n  indented & done', plugin },
              { pluginId: 2, result: 'FAILED', fields: { 'compliance-check-name': 'Check <1>', 'compliance-result': 'FAILED' }, plugin },
            ];
          },
        },
      ];
    })(),
  };
}

async function read(text: string): Promise<NessusRecord[]> {
  const records: NessusRecord[] = [];
  for await (const batch of parseNessus(Readable.from([text]))) records.push(...batch);
  return records;
}

describe('the .nessus writer', () => {
  it('escapes markup and drops characters XML cannot carry', () => {
    expect(escapeText('a < b & c > d \u0000\u001f\uFFFE ok')).toBe('a &lt; b &amp; c &gt; d  ok');
    expect(escapeAttribute('say "hi"\nthen\tgo')).toBe('say &quot;hi&quot;&#10;then&#9;go');
    expect(escapeText('lone \uD800 surrogate, pair 😀')).toBe('lone  surrogate, pair 😀');
  });

  it("writes what Bulwark's parser reads back value for value", async () => {
    let text = '';
    for await (const piece of writeNessus(document())) text += piece;
    const records = await read(text);
    const scan = records.find((record) => record.kind === 'scan');
    expect(scan?.kind === 'scan' && scan.scan).toMatchObject({
      reportName: 'Report "quoted" & <tagged>',
      policy: { name: 'Policy & more' },
    });
    const host = records.find((record) => record.kind === 'host');
    expect(host?.kind === 'host' && host.host).toMatchObject({
      name: 'host\n"one"',
      ipv4: '10.0.0.1',
      properties: { 'host-ip': '10.0.0.1', note: 'bell  gone, é kept, 😀 kept' },
    });
    const finding = records.find((record) => record.kind === 'finding');
    expect(finding?.kind === 'finding' && finding.finding).toMatchObject({
      pluginId: 1,
      pluginName: 'Odd <"name"> & co',
      port: 443,
      protocol: 'tcp',
      serviceName: 'www',
      severity: 3,
      pluginOutput: 'x < y\n  indented & done',
      synopsis: 'a < b && c > d',
      description: 'line one\nline two',
      cves: ['CVE-2020-0001', 'CVE-2020-0002'],
      seeAlso: ['https://a.example/?x=1&y=2', 'https://b.example/'],
      xrefs: [{ type: 'CWE', id: '79' }],
      cpes: ['cpe:/a:x:y', 'cpe:/a:x:z'],
      cvssBaseScore: 7.5,
      exploitAvailable: true,
      pluginPublicationDate: '2020/01/02',
    });
    const check = records.find((record) => record.kind === 'compliance');
    expect(check?.kind === 'compliance' && check.result.compliance).toMatchObject({ checkName: 'Check <1>', result: 'FAILED' });
    const end = records.find((record) => record.kind === 'end');
    expect(end?.kind === 'end' && end.summary.warnings).toEqual([]);
  });

  it("writes host times in Nessus' own format", () => {
    expect(nessusHostTime(new Date('2018-09-18T15:54:18Z'))).toBe('Tue Sep 18 15:54:18 2018');
    expect(nessusHostTime(new Date('2022-02-03T04:05:06Z'))).toBe('Thu Feb 3 04:05:06 2022');
  });
});
