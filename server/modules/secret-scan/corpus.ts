/**
 * The secret-warning corpus (issue 7, part 4). Every secret-looking string is assembled at run
 * time from parts and random characters, so this repository holds nothing a secret scanner
 * (GitHub's, secretlint's) would flag.
 */
import crypto from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomFrom(alphabet: string, length: number): string {
  return Array.from(crypto.randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

const hex = (length: number) => crypto.randomBytes(length / 2).toString('hex');
const join = (...parts: string[]) => parts.join('');

export interface MustWarn {
  name: string;
  text: string;
  /** The kind the warning must name. */
  kind: string;
  /** Parts of the text that no preview may show whole. */
  secrets: string[];
}

export interface MustNotWarn {
  name: string;
  text: string;
}

/** A real PEM key, generated so no key is ever committed. */
function generatePrivateKey(type: 'pkcs8' | 'pkcs1'): string {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 });
  return privateKey.export({ type, format: 'pem' }).toString();
}

export function buildMustWarn(): MustWarn[] {
  const awsKeyId = join('AKIA', randomFrom(UPPER_ALNUM, 16));
  const awsSecret = randomFrom(ALNUM, 40);
  const githubToken = join('gh', 'p_', randomFrom(ALNUM, 36));
  const slackToken = join('xo', 'xb-', randomFrom('0123456789', 12), '-', randomFrom('0123456789', 13), '-', randomFrom(ALNUM, 24));
  const slackPath = join('T', randomFrom(UPPER_ALNUM, 8), '/B', randomFrom(UPPER_ALNUM, 8), '/', randomFrom(ALNUM, 24));
  const pkcs8 = generatePrivateKey('pkcs8');
  const pkcs1 = generatePrivateKey('pkcs1');
  const pemBody = (pem: string) => pem.split('\n').slice(1, -2).join('\n');
  const urlPassword = join('Pr0xy', '-', randomFrom(ALNUM, 8));
  const password = join('Summer', '2024', '!', randomFrom(ALNUM, 4));
  const apiKey = randomFrom(ALNUM, 32);
  const accessKey = hex(64);
  const secretKey = hex(64);
  const npmToken = join('np', 'm_', randomFrom(ALNUM, 36));
  const basicCredential = Buffer.from(join('svc-nessus', ':', password)).toString('base64');
  const bearer = randomFrom(ALNUM, 48);
  const serviceAccountKey = JSON.stringify(
    {
      type: 'service_account',
      project_id: 'acme-security-prod',
      private_key_id: hex(40),
      private_key: pkcs8,
      client_email: 'nessus-export@acme-security-prod.iam.gserviceaccount.com',
    },
    null,
    2,
  );

  return [
    {
      name: 'AWS access key ID',
      kind: 'AWS access key',
      text: `The connector uses ${awsKeyId} and fails with AccessDenied.`,
      secrets: [awsKeyId],
    },
    {
      name: 'AWS secret access key in a credentials file',
      kind: 'AWS secret access key',
      text: `[default]\naws_secret_access_key = ${awsSecret}\nregion = eu-west-1`,
      secrets: [awsSecret],
    },
    { name: 'GitHub token', kind: 'GitHub token', text: `Our CI clones with ${githubToken} before each scan.`, secrets: [githubToken] },
    {
      name: 'Slack bot token',
      kind: 'Slack token',
      text: `Alerts go to Slack with token ${slackToken} but stopped.`,
      secrets: [slackToken],
    },
    {
      name: 'Slack incoming webhook',
      kind: 'Slack webhook',
      text: `Webhook: ${join('https://hooks.', 'slack.com/services/', slackPath)} returns 404`,
      secrets: [slackPath],
    },
    { name: 'PKCS#8 private key', kind: 'Private key', text: `Here is the agent key:\n${pkcs8}\nThanks`, secrets: [pemBody(pkcs8)] },
    {
      name: 'RSA private key without its END line',
      kind: 'Private key',
      text: `Truncated paste:\n${pkcs1.split('\n').slice(0, 6).join('\n')}`,
      secrets: [pkcs1.split('\n').slice(1, 6).join('\n')],
    },
    {
      name: 'GCP service-account JSON',
      kind: 'Service-account key (JSON)',
      text: `The GCP connector is set up with:\n${serviceAccountKey}`,
      secrets: [pemBody(pkcs8).replaceAll('\n', '\\n')],
    },
    {
      name: 'password in a proxy URL',
      kind: 'Password in a URL',
      text: `Scanner proxy is http://svc-nessus:${urlPassword}@proxy.corp.example:3128/ since Monday.`,
      secrets: [urlPassword],
    },
    {
      name: 'password in an SMB URL',
      kind: 'Password in a URL',
      text: `Credentialed scan target smb://ACME;scanner:${urlPassword}@fileserver01/share`,
      secrets: [urlPassword],
    },
    {
      name: 'password= pair',
      kind: 'password= pair',
      text: `nessuscli adduser failed; I used password=${password} twice.`,
      secrets: [password],
    },
    {
      name: 'quoted Password: pair',
      kind: 'password= pair',
      text: `config.yml has\n  Password: "${password}"\nfor the agent`,
      secrets: [password],
    },
    {
      name: 'pwd= in a connection string',
      kind: 'password= pair',
      text: `Server=db01;Database=tenable;Uid=sa;Pwd=${password};`,
      secrets: [password],
    },
    { name: 'api_key= pair', kind: 'API key pair', text: `curl "https://ticketing.example/api?api_key=${apiKey}&q=1"`, secrets: [apiKey] },
    { name: 'APIKEY: pair in JSON', kind: 'API key pair', text: `{"apiKey": "${apiKey}", "region": "us"}`, secrets: [apiKey] },
    { name: 'client_secret= pair', kind: 'secret= pair', text: `Azure app: client_secret=${apiKey}`, secrets: [apiKey] },
    { name: 'token= pair', kind: 'token= pair', text: `Splunk HEC token=${apiKey} rejected`, secrets: [apiKey] },
    {
      name: 'Tenable keys in the X-ApiKeys header',
      kind: 'Tenable API keys',
      text: `curl -H "X-ApiKeys: accessKey=${accessKey}; secretKey=${secretKey};" https://cloud.tenable.com/scans`,
      secrets: [accessKey, secretKey],
    },
    {
      name: 'Tenable keys written together without spaces',
      kind: 'Tenable API keys',
      text: `X-ApiKeys:accessKey=${accessKey};secretKey=${secretKey}`,
      secrets: [accessKey, secretKey],
    },
    {
      name: 'Tenable keys as pyTenable arguments',
      kind: 'Tenable API keys',
      text: `tio = TenableIO(access_key='${accessKey}', secret_key='${secretKey}')`,
      secrets: [accessKey, secretKey],
    },
    {
      name: 'Tenable keys in JSON, secret first',
      kind: 'Tenable API keys',
      text: `{"secretKey": "${secretKey}", "accessKey": "${accessKey}"}`,
      secrets: [accessKey, secretKey],
    },
    { name: 'Tenable secret key alone', kind: 'Tenable secret key', text: `my secretKey = ${secretKey}`, secrets: [secretKey] },
    { name: 'npm token', kind: 'npm token', text: `The build uses ${npmToken} to pull the agent package.`, secrets: [npmToken] },
    {
      name: 'Basic auth header',
      kind: 'Basic auth header',
      text: `Request headers:\nAuthorization: Basic ${basicCredential}\nAccept: */*`,
      secrets: [basicCredential],
    },
    { name: 'Bearer token header', kind: 'Bearer token', text: `-H 'Authorization: Bearer ${bearer}'`, secrets: [bearer] },
    {
      name: 'PostgreSQL connection string',
      kind: 'Database connection string',
      text: `DATABASE_URL=postgres://bulwark:${urlPassword}@db.internal:5432/bulwark`,
      secrets: [urlPassword],
    },
  ];
}

/** A few kilobytes of base64 PNG, as a pasted screenshot: real PNG bytes, then random pixels. */
function screenshotDataUri(): string {
  const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), crypto.randomBytes(4096)]);
  return `data:image/png;base64,${png.toString('base64')}`;
}

function logExcerpt(): string {
  const lines = Array.from({ length: 200 }, (_, index) => {
    const second = String(index % 60).padStart(2, '0');
    return `2024-05-14 10:12:${second} [nessusd] INFO scan=${crypto.randomUUID()} plugin=19506 host=10.0.${index % 250}.12 sha256=${hex(64)} status=ok`;
  });
  return lines.join('\n');
}

export function buildMustNotWarn(): MustNotWarn[] {
  return [
    { name: 'sha256 hash alone', text: hex(64) },
    {
      name: 'sha256 in .nessus plugin output',
      text: `Plugin 93561 output:\n  Path : /opt/agent/bin/agent\n  SHA-256 : ${hex(64)}\n  MD5 : ${hex(32)}`,
    },
    { name: 'sha256= in a file listing', text: `sha256=${hex(64)} nessus-agent-10.6.1.rpm` },
    { name: 'UUIDs', text: `Scan ${crypto.randomUUID()} on agent ${crypto.randomUUID()} in container ${crypto.randomUUID()}` },
    { name: 'plugin ids and CVE ids', text: 'Plugin 19506 and 10287 fire for CVE-2021-44228 and CVE-2023-4863; plugin_id=156164' },
    { name: 'base64 PNG screenshot', text: `Screenshot: ${screenshotDataUri()}` },
    { name: 'long log excerpt', text: logExcerpt() },
    { name: 'the word password in prose', text: 'I reset my password yesterday and the secret key page still says my password expired.' },
    { name: 'password: followed by prose', text: 'Error: invalid password: please contact support. Token: expired.' },
    { name: 'password= left empty', text: 'The log shows user=admin password= then fails, and pwd= was empty too.' },
    {
      name: 'password= with placeholders',
      text: 'password=*** api_key=<api_key> token=xxxxxx secret=${SECRET} pwd=$PASSWORD password="REDACTED"',
    },
    { name: 'the shell PWD in an env dump', text: 'PWD=/opt/nessus/sbin\nOLDPWD=/root\nSHELL=/bin/bash' },
    { name: 'URL without a password', text: 'https://cloud.tenable.com:443/scans and ssh://git@git.example/repo and http://[::1]:8834/' },
    { name: 'a private-key header quoted in prose', text: 'The file starts with -----BEGIN RSA PRIVATE KEY----- so I think it is right.' },
    { name: 'X-ApiKeys with placeholders', text: 'X-ApiKeys: accessKey=<ACCESS_KEY>; secretKey=<SECRET_KEY>;' },
    { name: 'Authorization: Basic with no credential', text: 'The proxy answers 407 unless Authorization: Basic realm is set.' },
  ];
}
