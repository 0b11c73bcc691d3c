import type { lintSource } from '@secretlint/core';
import { SECRET_CHECK_MAX_LENGTH } from '../../../common/schemas/support.js';
import { buildPreview } from './secret-preview.js';
import { BULWARK_RULES, PRIORITY, type RawFinding, type SecretSpan } from './secret-rules.js';

export interface SecretFinding {
  /** Person-readable, e.g. "AWS access key", "Private key", "Tenable API keys". */
  kind: string;
  ruleId: string;
  start: number;
  end: number;
  /** The surrounding words with the secret masked; never the whole secret. */
  preview: string;
}

type LintMessage = Awaited<ReturnType<typeof lintSource>>['messages'][number];

/**
 * secretlint and its preset, loaded on the first check: the preset's rules cost about 15 MB of
 * memory that a server nobody sends Support texts to should not carry.
 */
let secretlint: Promise<{ lint: typeof lintSource; config: Parameters<typeof lintSource>[0]['options']['config'] }> | null = null;

function loadSecretlint() {
  secretlint ??= Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]).then(
    ([core, preset]) => {
      const recommendedPreset = preset.creator;
      return {
        lint: core.lintSource,
        config: {
          rules: [
            {
              id: '@secretlint/secretlint-rule-preset-recommend',
              rule: recommendedPreset,
              rules: [
                // Access key IDs are off by default in secretlint; in a ticket they still identify the key.
                // Account IDs are not secrets, and appear in ordinary AWS connector questions.
                { id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: true }, allowMessageIds: ['AWSAccountID'] },
                // A description is not source code: typing "secretlint-disable" must not silence the warning.
                { id: '@secretlint/secretlint-rule-filter-comments', disabled: true },
              ],
            },
          ],
        },
      };
    },
  );
  return secretlint;
}

const RULE_KINDS: Record<string, string> = {
  '@secretlint/secretlint-rule-aws': 'AWS secret access key',
  '@secretlint/secretlint-rule-gcp': 'Service-account key (JSON)',
  '@secretlint/secretlint-rule-privatekey': 'Private key',
  '@secretlint/secretlint-rule-npm': 'npm token',
  '@secretlint/secretlint-rule-basicauth': 'Password in a URL',
  '@secretlint/secretlint-rule-slack': 'Slack token',
  '@secretlint/secretlint-rule-sendgrid': 'SendGrid API key',
  '@secretlint/secretlint-rule-shopify': 'Shopify API key',
  '@secretlint/secretlint-rule-github': 'GitHub token',
  '@secretlint/secretlint-rule-openai': 'OpenAI API key',
  '@secretlint/secretlint-rule-anthropic': 'Anthropic API key',
  '@secretlint/secretlint-rule-linear': 'Linear API key',
  '@secretlint/secretlint-rule-1password': '1Password service-account token',
  '@secretlint/secretlint-rule-database-connection-string': 'Database connection string',
};

const MESSAGE_KINDS: Record<string, string> = {
  AWSAccessKeyID: 'AWS access key',
  IncomingWebhook: 'Slack webhook',
};

/** secretlint's generic rules duplicate Bulwark's own with worse previews; its vendor rules are more specific. */
const RULE_PRIORITIES: Record<string, number> = {
  '@secretlint/secretlint-rule-privatekey': PRIORITY.privateKey - 1,
  '@secretlint/secretlint-rule-basicauth': PRIORITY.urlPassword - 1,
};

const AWS_SECRET_LENGTH = 40;
const AWS_SECRET_VALUE = /(?:=>|[:=])\s*["']?([A-Za-z0-9/+=]{40})/;

/**
 * secretlint 11 reports an AWS secret access key at the start of its name with the value's
 * length; the value itself is found again after the name.
 */
function correctedRange(text: string, message: LintMessage): [number, number] {
  const [start, end] = message.range;
  if (message.messageId !== 'AWSSecretAccessKey') return [start, end];
  const value = AWS_SECRET_VALUE.exec(text.slice(start, start + 200));
  return value ? [start, start + value.index + value[0].length] : [start, end];
}

/** What to mask in a secretlint finding: the password of a URL, a key's body, a webhook's path, else the token past its prefix. */
function secretSpanOf(text: string, start: number, end: number): SecretSpan {
  const matched = text.slice(start, end);
  const password = /:\/\/[^\s:/?#@]+:([^\s/?#@]+)@/.exec(matched);
  if (password?.[1]) {
    const passwordStart = start + password.index + password[0].length - 1 - password[1].length;
    return { start: passwordStart, end: passwordStart + password[1].length, keep: 0 };
  }
  const header = /^-----BEGIN[^-]*-----|^https:\/\/hooks\.slack\.com\/services\//i.exec(matched);
  if (header) return { start: start + header[0].length, end, keep: 0 };
  const prefix = /^[A-Za-z]{2,10}[_.-]/.exec(matched);
  return { start, end, keep: prefix ? prefix[0].length : 4 };
}

function fromLintMessage(text: string, message: LintMessage): RawFinding {
  const [start, end] = correctedRange(text, message);
  return {
    kind: MESSAGE_KINDS[message.messageId] ?? RULE_KINDS[message.ruleId] ?? 'Secret',
    ruleId: message.ruleId,
    priority: RULE_PRIORITIES[message.ruleId] ?? PRIORITY.vendorToken,
    start,
    end,
    secrets: [
      message.messageId === 'AWSSecretAccessKey' ? { start: end - AWS_SECRET_LENGTH, end, keep: 0 } : secretSpanOf(text, start, end),
    ],
  };
}

async function runSecretlint(text: string): Promise<RawFinding[]> {
  const { lint, config } = await loadSecretlint();
  const result = await lint({
    source: { content: text, filePath: 'description.txt', ext: '.txt', contentType: 'text' },
    options: { config, maskSecrets: true, noPhysicFilePath: true },
  });
  return result.messages.map((message) => fromLintMessage(text, message));
}

/** Of overlapping findings, the most specific kind wins (then the longer match). */
function withoutOverlaps(findings: RawFinding[]): RawFinding[] {
  const ranked = [...findings].sort((a, b) => b.priority - a.priority || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: RawFinding[] = [];
  for (const finding of ranked) {
    if (!kept.some((other) => finding.start < other.end && other.start < finding.end)) kept.push(finding);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Finds text that looks like a credential: secretlint's recommended rules plus Bulwark's own.
 * Reads at most the first SECRET_CHECK_MAX_LENGTH characters; every pattern is linear, so that
 * cap bounds the time too. The text is never logged, and no preview holds a whole secret.
 */
export async function scanForSecrets(text: string): Promise<SecretFinding[]> {
  const scanned = text.slice(0, SECRET_CHECK_MAX_LENGTH);
  const found = [...(await runSecretlint(scanned)), ...BULWARK_RULES.flatMap((rule) => rule(scanned))];
  const findings = withoutOverlaps(found);
  const allSecrets = found.flatMap((finding) => finding.secrets);
  return findings.map((finding) => ({
    kind: finding.kind,
    ruleId: finding.ruleId,
    start: finding.start,
    end: finding.end,
    preview: buildPreview(scanned, finding, allSecrets),
  }));
}
