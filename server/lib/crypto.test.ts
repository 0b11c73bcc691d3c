import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptSecret, encryptSecret, hashPassword, hashToken, verifyPassword } from './crypto.js';
import { redactUrl } from './logger.js';

describe('crypto', () => {
  it('hashes passwords with argon2id and verifies them', async () => {
    const stored = await hashPassword('Correct-Horse-42!');
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(stored, 'Correct-Horse-42!')).toBe(true);
    expect(await verifyPassword(stored, 'correct-horse-42!')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });

  it('encrypts stored secrets with the master key; tampering or another key fails', () => {
    const key = crypto.randomBytes(32);
    const stored = encryptSecret(key, 'api-secret-value');
    expect(stored).not.toContain('api-secret-value');
    expect(decryptSecret(key, stored)).toBe('api-secret-value');
    expect(() => decryptSecret(crypto.randomBytes(32), stored)).toThrow();
    const tampered = `${stored.slice(0, -2)}${stored.endsWith('A') ? 'B' : 'A'}A`;
    expect(() => decryptSecret(key, tampered)).toThrow();
  });

  it('keys token hashes with the session secret', () => {
    expect(hashToken('a'.repeat(32), 'token')).not.toBe(hashToken('b'.repeat(32), 'token'));
  });

  it('keeps tokens out of logged URLs', () => {
    expect(redactUrl('/reset-password?token=abc123&x=1')).toBe('/reset-password?token=[redacted]&x=1');
    expect(redactUrl('/setup?token=abc')).toBe('/setup?token=[redacted]');
  });
});
