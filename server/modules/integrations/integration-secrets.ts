import { decryptSecret, encryptSecret } from '../../lib/crypto.js';

/**
 * An integration's secret fields are kept as one JSON object encrypted with the master key
 * (AES-256-GCM); they are decrypted only to hand them to the connector or to compare them.
 */
export function sealSecrets(masterKey: Buffer, secrets: Record<string, string>): string | null {
  return Object.keys(secrets).length === 0 ? null : encryptSecret(masterKey, JSON.stringify(secrets));
}

export function openSecrets(masterKey: Buffer, stored: string | null): Record<string, string> {
  if (!stored) return {};
  const parsed: unknown = JSON.parse(decryptSecret(masterKey, stored));
  if (typeof parsed !== 'object' || parsed === null) return {};
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Replaces every secret value found in a text (a source's error message, say) by a mask, so it is never logged. */
export function redactSecrets(text: string, secrets: Record<string, string>): string {
  let redacted = text;
  for (const secret of Object.values(secrets)) {
    if (secret.length >= 4) redacted = redacted.split(secret).join('••••');
  }
  return redacted;
}
