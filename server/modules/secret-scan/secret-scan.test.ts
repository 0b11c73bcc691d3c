import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SECRET_CHECK_MAX_LENGTH } from '../../../common/schemas/support.js';
import { buildMustNotWarn, buildMustWarn } from './corpus.js';
import { scanForSecrets } from './secret-scan.js';

describe('scanForSecrets: the must-warn corpus', () => {
  for (const sample of buildMustWarn()) {
    it(`warns about ${sample.name}, naming "${sample.kind}" and masking the secret`, async () => {
      const findings = await scanForSecrets(sample.text);
      expect(findings.map((finding) => finding.kind)).toEqual([sample.kind]);
      const [finding] = findings;
      for (const secret of sample.secrets) {
        expect(finding?.preview).not.toContain(secret);
        expect(sample.text.slice(finding?.start, finding?.end)).toContain(secret);
      }
      expect(finding?.preview).toContain('••••');
    });
  }
});

describe('scanForSecrets: the must-not-warn corpus', () => {
  for (const sample of buildMustNotWarn()) {
    it(`stays quiet on ${sample.name}`, async () => {
      expect(await scanForSecrets(sample.text)).toEqual([]);
    });
  }
});

describe('scanForSecrets: previews and overlaps', () => {
  const accessKey = crypto.randomBytes(32).toString('hex');
  const secretKey = crypto.randomBytes(32).toString('hex');

  it('shows the surrounding words, the first characters of the access key and none of the secret key', async () => {
    const text = `Scans fail since I set accessKey=${accessKey} ; secretKey=${secretKey} on the scanner yesterday`;
    const [finding] = await scanForSecrets(text);
    expect(finding?.preview).toBe(`Scans fail since I set accessKey=${accessKey.slice(0, 4)}…•••• ; secretKey=•••• on the scanner…`);
  });

  it('keeps only the most specific kind where rules overlap (the Tenable pair, not the secret= pair)', async () => {
    const findings = await scanForSecrets(`accessKey=${accessKey};secretKey=${secretKey}`);
    expect(findings.map((finding) => [finding.kind, finding.ruleId])).toEqual([['Tenable API keys', 'bulwark/tenable-api-keys']]);
  });

  it('masks a neighbouring secret in the context of another finding', async () => {
    const password = `Winter-${crypto.randomBytes(4).toString('hex')}`;
    const token = `gh${'p_'}${crypto.randomBytes(18).toString('hex')}`;
    const findings = await scanForSecrets(`password=${password} ${token}`);
    expect(findings.map((finding) => finding.kind)).toEqual(['password= pair', 'GitHub token']);
    for (const finding of findings) {
      expect(finding.preview).not.toContain(password);
      expect(finding.preview).not.toContain(token);
    }
  });

  it('reports each secret of a longer description at its offsets', async () => {
    const password = `Autumn-${crypto.randomBytes(4).toString('hex')}`;
    const text = `First the proxy https://scan:${password}@proxy.example/ then ${'x'.repeat(500)} pwd=${password}`;
    const findings = await scanForSecrets(text);
    expect(findings.map((finding) => text.slice(finding.start, finding.end))).toEqual([`https://scan:${password}`, `pwd=${password}`]);
  });

  it(`reads only the first ${SECRET_CHECK_MAX_LENGTH} characters`, async () => {
    const password = `Spring-${crypto.randomBytes(4).toString('hex')}`;
    const padding = 'a'.repeat(SECRET_CHECK_MAX_LENGTH);
    expect(await scanForSecrets(`password=${password} ${padding}`)).toHaveLength(1);
    expect(await scanForSecrets(`${padding} password=${password}`)).toEqual([]);
  });
});
