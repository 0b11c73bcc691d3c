import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bulwark-config-'));

describe('configuration', () => {
  it('works with no configuration at all', () => {
    const dataDir = tempDir();
    const config = loadConfig({ DATA_DIR: dataDir });
    expect(config.port).toBe(8080);
    expect(config.database).toEqual({ kind: 'pglite', directory: path.join(dataDir, 'pglite') });
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.session.idleMinutes).toBe(30);
    expect(config.passwordPolicy).toEqual({ minLength: 12, minClasses: 4 });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every bad variable at once', () => {
    try {
      loadConfig({
        DATA_DIR: tempDir(),
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        SMTP_URL: 'http://mail',
        MASTER_KEY: 'abc',
        LOG_LEVEL: 'loud',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.map((problem) => problem.split(':')[0]);
      expect(problems.sort()).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'MASTER_KEY', 'PORT', 'SMTP_URL']);
    }
  });

  it('generates SESSION_SECRET and MASTER_KEY once into DATA_DIR and reuses them', () => {
    const dataDir = tempDir();
    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(first.secrets.sessionSecret).toBe(second.secrets.sessionSecret);
    expect(first.secrets.masterKey.equals(second.secrets.masterKey)).toBe(true);
    expect(first.secrets.masterKey).toHaveLength(32);
    expect(first.secrets.generated.sort()).toEqual(['master-key', 'session-secret']);
    expect(fs.statSync(path.join(dataDir, 'secrets', 'master-key')).mode & 0o777).toBe(0o600);
  });

  it('prefers secrets from the environment', () => {
    const config = loadConfig({ DATA_DIR: tempDir(), SESSION_SECRET: 's'.repeat(40), MASTER_KEY: 'ab'.repeat(32) });
    expect(config.secrets.sessionSecret).toBe('s'.repeat(40));
    expect(config.secrets.generated).toEqual([]);
  });

  it('requires a bucket for S3 storage', () => {
    expect(() => loadConfig({ DATA_DIR: tempDir(), STORAGE: 's3' })).toThrow(/S3_BUCKET/);
  });
});
