/**
 * Bulwark's own secret rules, for what secretlint's recommended preset does not look for in a
 * support description: passwords in any URL, key=value pairs, Tenable API keys and
 * Authorization headers. Every pattern has bounded repetition, so a scan stays linear in the text.
 */

/** A part of the text never shown: masked in every preview, its first `keep` characters left visible. */
export interface SecretSpan {
  start: number;
  end: number;
  keep: number;
}

/** A likely secret before its preview is built. */
export interface RawFinding {
  kind: string;
  ruleId: string;
  /** When findings overlap, the higher priority (the more specific kind) is kept. */
  priority: number;
  start: number;
  end: number;
  secrets: SecretSpan[];
}

export const PRIORITY = {
  tenable: 40,
  serviceAccount: 40,
  vendorToken: 30,
  privateKey: 25,
  urlPassword: 20,
  authorizationHeader: 15,
  pair: 10,
} as const;

const MIN_VALUE_LENGTH = 4;

function matchesOf(pattern: RegExp, text: string): RegExpExecArray[] {
  return [...text.matchAll(pattern)];
}

/** Where group `group` of a match starts: the end of the match minus what follows the group. */
function groupStart(match: RegExpExecArray, group: number, tail = ''): number {
  const value = match[group] ?? '';
  return match.index + match[0].length - tail.length - value.length;
}

const PLACEHOLDER_WORDS =
  /^(?:redacted|removed|hidden|masked|none|null|nil|undefined|true|false|empty|password|passwd|secret|token|example|your[_-]?\w*)$/i;

/** Values people write instead of a secret: `***`, `xxx`, `$PASSWORD`, `%TOKEN%`, `redacted`, a path (the shell's PWD=). */
export function isPlaceholder(value: string): boolean {
  return (
    value.length < MIN_VALUE_LENGTH ||
    /^[*x•.#?_-]+$/i.test(value) ||
    /^\$[A-Za-z_]\w*$/.test(value) ||
    /^%\w+%$/.test(value) ||
    /^(?:\/|~\/|[A-Za-z]:\\)/.test(value) ||
    PLACEHOLDER_WORDS.test(value)
  );
}

const PEM_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/;
const PEM_BODY = /^[A-Za-z0-9+/=\s\\:,-]*/;
const PEM_MAX_LENGTH = 16_384;
/** A header alone (quoted in prose) is no leak; a key body, even one truncated line of it, is. */
const PEM_LINE = /[A-Za-z0-9+/=]{40}/;

/** Any PEM private key (RSA, EC, OpenSSH, PKCS#8, encrypted, PGP), with or without its END line. */
export function findPrivateKeys(text: string): RawFinding[] {
  const findings: RawFinding[] = [];
  const begins = matchesOf(PEM_BEGIN, text);
  for (const [index, begin] of begins.entries()) {
    const bodyStart = begin.index + begin[0].length;
    if (findings.some((finding) => bodyStart <= finding.end)) continue;
    // A body never runs into the next BEGIN: bounding it there keeps text made of repeated
    // headers linear instead of rescanning up to PEM_MAX_LENGTH after each one.
    const limit = Math.min(bodyStart + PEM_MAX_LENGTH, begins[index + 1]?.index ?? text.length);
    const rest = text.slice(bodyStart, limit);
    const end = PEM_END.exec(rest);
    const body = end ? rest.slice(0, end.index) : (PEM_BODY.exec(rest)?.[0] ?? '').trimEnd();
    if (!PEM_LINE.test(body)) continue;
    const bodyEnd = bodyStart + body.length;
    findings.push({
      kind: 'Private key',
      ruleId: 'bulwark/private-key',
      priority: PRIORITY.privateKey,
      start: begin.index,
      end: end ? bodyEnd + end[0].length : bodyEnd,
      secrets: [{ start: bodyStart, end: bodyEnd, keep: 0 }],
    });
  }
  return findings;
}

const SERVICE_ACCOUNT_KEY = /"private_key"\s*:\s*"(-----BEGIN[^"]{40,16384})"/g;

/** A service-account JSON key file (Google Cloud's shape) pasted whole or in part. */
export function findServiceAccountKeys(text: string): RawFinding[] {
  return matchesOf(SERVICE_ACCOUNT_KEY, text).map((match) => {
    const valueStart = groupStart(match, 1, '"');
    return {
      kind: 'Service-account key (JSON)',
      ruleId: 'bulwark/service-account-key',
      priority: PRIORITY.serviceAccount,
      start: match.index,
      end: match.index + match[0].length,
      secrets: [{ start: valueStart, end: valueStart + (match[1] ?? '').length, keep: 0 }],
    };
  });
}

const URL_PASSWORD = /\b[a-z][a-z0-9+.-]{1,15}:\/\/[^\s:/?#@"'<>]{1,128}:([^\s/?#@"'<>]{1,128})@(?=[\w[])/gi;

/** `scheme://user:password@host` for any scheme (proxies, SMB shares, databases, SFTP). */
export function findUrlPasswords(text: string): RawFinding[] {
  return matchesOf(URL_PASSWORD, text)
    .filter((match) => !isPlaceholder(match[1] ?? ''))
    .map((match) => {
      const passwordStart = groupStart(match, 1, '@');
      return {
        kind: 'Password in a URL',
        ruleId: 'bulwark/url-password',
        priority: PRIORITY.urlPassword,
        start: match.index,
        end: match.index + match[0].length - 1,
        secrets: [{ start: passwordStart, end: passwordStart + (match[1] ?? '').length, keep: 0 }],
      };
    });
}

const PAIR =
  /(?<![A-Za-z0-9])(?:[A-Za-z][A-Za-z0-9]{0,30}[_.-]?)?(?<keyword>password|passwd|pwd|api[_-]?key|secret(?:[_-]?key)?|token)["']?[ \t]*(?<separator>[:=])(?<gap>[ \t]*)(?<quote>["']?)(?<value>[^\s"'`,;&<>(){}[\]]{1,256})/gi;

const PAIR_KINDS: [RegExp, string][] = [
  [/^(?:password|passwd|pwd)$/i, 'password= pair'],
  [/^api[_-]?key$/i, 'API key pair'],
  [/^secret/i, 'secret= pair'],
  [/^token$/i, 'token= pair'],
];

/**
 * After `name: value` or `name= value` unquoted, prose is as likely ("token: expired.", "password=
 * then fails"): only a value with a digit, a symbol or an inner capital counts.
 */
function looksLikeCredential(value: string): boolean {
  const word = value.replace(/[.!?:]+$/, '');
  return /[0-9]/.test(word) || /[^A-Za-z0-9]/.test(word) || /^.+[A-Z]/.test(word);
}

function isProseAfterName(groups: Record<string, string | undefined>): boolean {
  const isLoose = groups.separator === ':' || Boolean(groups.gap);
  return isLoose && !groups.quote && !looksLikeCredential(groups.value ?? '');
}

/** `password=…`, `api_key: "…"`, `client_secret=…`, `token=…` (any case, `=` or `:`, quoted or not). */
export function findPairs(text: string): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const match of matchesOf(PAIR, text)) {
    const groups = match.groups ?? {};
    const value = groups.value ?? '';
    if (isPlaceholder(value) || isProseAfterName(groups)) continue;
    const kind = PAIR_KINDS.find(([pattern]) => pattern.test(groups.keyword ?? ''))?.[1] ?? 'secret= pair';
    const valueStart = match.index + match[0].length - value.length;
    findings.push({
      kind,
      ruleId: 'bulwark/pair',
      priority: PRIORITY.pair,
      start: match.index,
      end: valueStart + value.length,
      secrets: [{ start: valueStart, end: valueStart + value.length, keep: 0 }],
    });
  }
  return findings;
}

// Tenable's keys are 64 hex characters, sent as `X-ApiKeys: accessKey=…; secretKey=…;` and written
// in scripts as access_key='…', secret_key='…' or JSON; the joins between the two vary with the style.
const HEX64 = '([0-9a-fA-F]{64})(?![0-9a-fA-F])';
const ASSIGN = `["']?[ \\t]*[:=][ \\t]*["']?`;
const JOIN = `["']?[\\s;,]{0,8}["']?`;
const TENABLE_ACCESS_FIRST = new RegExp(`(?<![A-Za-z0-9])access[_-]?key${ASSIGN}${HEX64}${JOIN}secret[_-]?key${ASSIGN}${HEX64}`, 'gi');
const TENABLE_SECRET_FIRST = new RegExp(`(?<![A-Za-z0-9])secret[_-]?key${ASSIGN}${HEX64}${JOIN}access[_-]?key${ASSIGN}${HEX64}`, 'gi');
const TENABLE_SECRET_ALONE = new RegExp(`(?<![A-Za-z0-9])secret[_-]?key${ASSIGN}${HEX64}`, 'gi');

/** Where a 64-hex key sits in a match: its own search, as the two keys are distinct hex runs. */
function hexSpans(match: RegExpExecArray): { start: number; end: number }[] {
  return [...match[0].matchAll(/[0-9a-fA-F]{64}/g)].map((hex) => ({ start: match.index + hex.index, end: match.index + hex.index + 64 }));
}

function tenableFinding(match: RegExpExecArray, kind: string, accessKeyFirst: boolean | null): RawFinding {
  const spans = hexSpans(match);
  return {
    kind,
    ruleId: 'bulwark/tenable-api-keys',
    priority: PRIORITY.tenable,
    start: match.index,
    end: match.index + match[0].length,
    // The access key alone authenticates nothing: its first characters help the contact find it.
    secrets: spans.map((span, index) => ({ ...span, keep: accessKeyFirst !== null && (index === 0) === accessKeyFirst ? 4 : 0 })),
  };
}

/** Tenable API keys: both keys in any order and style, or a secret key on its own. */
export function findTenableKeys(text: string): RawFinding[] {
  return [
    ...matchesOf(TENABLE_ACCESS_FIRST, text).map((match) => tenableFinding(match, 'Tenable API keys', true)),
    ...matchesOf(TENABLE_SECRET_FIRST, text).map((match) => tenableFinding(match, 'Tenable API keys', false)),
    ...matchesOf(TENABLE_SECRET_ALONE, text).map((match) => tenableFinding(match, 'Tenable secret key', null)),
  ];
}

const AUTHORIZATION = /\bAuthorization[ \t]*:[ \t]*(Basic|Bearer)[ \t]+([A-Za-z0-9+/=._~-]{8,4096})/gi;
const MIN_BEARER_LENGTH = 16;

/** Basic credentials decode to `user:password`; anything else after "Basic" is not one. */
function isBasicCredential(encoded: string): boolean {
  return /^[^:\s]*:\S+$/.test(Buffer.from(encoded, 'base64').toString('latin1'));
}

/** `Authorization: Basic …` and `Authorization: Bearer …` headers, as pasted from curl or a proxy log. */
export function findAuthorizationHeaders(text: string): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const match of matchesOf(AUTHORIZATION, text)) {
    const [, scheme = '', value = ''] = match;
    const isBasic = scheme.toLowerCase() === 'basic';
    if (isBasic ? !isBasicCredential(value) : value.length < MIN_BEARER_LENGTH || isPlaceholder(value)) continue;
    const valueStart = groupStart(match, 2);
    findings.push({
      kind: isBasic ? 'Basic auth header' : 'Bearer token',
      ruleId: 'bulwark/authorization-header',
      priority: PRIORITY.authorizationHeader,
      start: match.index,
      end: valueStart + value.length,
      secrets: [{ start: valueStart, end: valueStart + value.length, keep: 0 }],
    });
  }
  return findings;
}

export const BULWARK_RULES = [
  findPrivateKeys,
  findServiceAccountKeys,
  findUrlPasswords,
  findPairs,
  findTenableKeys,
  findAuthorizationHeaders,
] as const;
