import type { KbArticleValues } from '../server/modules/knowledge-base/knowledge-base.repository.js';

const VM = 'Tenable.io Vulnerability Management';
const WAS = 'Tenable.io Web App Scanning';

/**
 * The demo's knowledge base: articles on the problems customers raise most, so Suggestions has
 * something to rank (issue 7). The two guides come with the migration, not from here.
 */
export const DEMO_KB_ARTICLES: readonly KbArticleValues[] = [
  {
    slug: 'nessus-import-errors',
    title: 'Scan import errors: "not a .nessus file" and incomplete imports',
    summary: 'Why an imported scan is refused or shows fewer hosts than expected, and how to export a file that imports cleanly.',
    product: VM,
    audience: 'signed_in',
    isPublished: true,
    body: `## Symptoms

- The import is refused with **The file is not a .nessus (v2) export**.
- The import finishes but the scan shows fewer hosts or findings than the scanner did.

## Causes and fixes

1. **Wrong export format.** Export the scan from Nessus as **Nessus** (\`.nessus\`, XML). HTML, CSV and PDF reports cannot be imported.
2. **A truncated file.** Large scans copied over unreliable links sometimes arrive cut short. Compare the file size with the original; export again if they differ.
3. **Hosts without results.** Hosts that did not answer are not imported as assets. Check the scan's host list in Nessus for "dead" hosts.
4. **Plugins filtered at export.** An export made from a filtered view contains only the filtered findings. Clear the filters and export again.

## When to open a case

If a complete \`.nessus\` export is still refused, open a Technical Support case and attach the file (unless your account is FedRAMP-authorized). Include the exact error message and the time of the import.`,
  },
  {
    slug: 'agent-not-linking',
    title: 'Nessus Agent does not link',
    summary: 'Linking fails with an authentication or connection error: check the linking key, the host name and the firewall.',
    product: VM,
    audience: 'signed_in',
    isPublished: true,
    body: `## Symptoms

\`nessuscli agent link\` ends with **Failed to link agent** or the agent never appears in the agent list.

## Checks

1. **Linking key.** Copy the key again from the agent settings: a missing character is the most common cause.
2. **Host and port.** Link to the host name shown in the settings, on port 443. A proxy in between must allow the connection.
3. **Clock.** A clock more than a few minutes off makes the TLS handshake fail. Synchronise it with NTP.
4. **Duplicate agents.** An image cloned with an already linked agent keeps its identity. Run \`nessuscli fix --reset\` on the clone before linking.

## What to include in a case

The agent's operating system and version, the full output of the link command, and the agent's \`nessusd.messages\` log, with any keys removed.`,
  },
  {
    slug: 'credentialed-scan-failures',
    title: 'Credentialed scans report "authentication failed"',
    summary: 'Windows and Linux credentialed checks that do not log in: account rights, SMB and SSH settings, and how to confirm.',
    product: VM,
    audience: 'signed_in',
    isPublished: true,
    body: `## How to confirm

Look for plugin **19506 (Nessus Scan Information)**: its output says \`Credentialed checks : no\` when the login failed. Plugins 21745 and 110723 list the reason per host.

## Windows

- The account must be a local administrator on the target.
- **Remote Registry** must be running during the scan, and the **ADMIN$** share reachable over SMB (TCP 445).
- UAC remote restrictions block local accounts: use a domain account, or set \`LocalAccountTokenFilterPolicy\`.

## Linux and Unix

- SSH (TCP 22) must be reachable and the account allowed to log in.
- If the checks need root, configure privilege escalation (sudo) in the scan's credentials and make sure sudo does not ask for a TTY.

## Never send the credentials

Support never needs the password or private key. Send the scan's plugin 19506 and 21745 output instead.`,
  },
  {
    slug: 'licensed-asset-counts',
    title: 'Why the licensed asset count is higher than expected',
    summary: 'How assets are counted against your licence, why counts grow after network discovery, and how stale assets age out.',
    product: VM,
    audience: 'signed_in',
    isPublished: true,
    body: `## How assets are counted

An asset counts against the licence when it has been scanned with findings in the last 90 days. Discovery-only results (ping sweeps) do not count.

## Common reasons for a high count

- **DHCP networks.** The same laptop on a new IP address can appear as a new asset when the scan cannot read a host name or agent identifier. Use credentialed scans or agents so assets are matched reliably.
- **Overlapping scans.** Two scanners covering the same range produce duplicates when neither can identify the host.
- **Decommissioned hosts.** They keep counting until they age out.

## What to do

Check the Assets page sorted by **Last seen**. If the count still exceeds what you bought, open a Customer Care case about your licence; if you believe assets are wrongly duplicated, open a Technical Support case with examples.`,
  },
  {
    slug: 'sso-sign-in-problems',
    title: 'Single sign-on: "You do not have access to this instance"',
    summary: 'Staff who open a customer instance from the portal and are refused: account assignment and role checks.',
    product: null,
    audience: 'signed_in',
    isPublished: true,
    body: `## Why it happens

Opening a customer instance from the Accounts page signs you in with your own portal role. You are refused when:

- the account is not assigned to you (only Administrators see every account);
- your session ended while the instance page was open;
- the account has been deactivated.

## What to do

1. Reload the Accounts page: if the account is missing, ask an Administrator to assign it to you.
2. Sign in again if your session ended.
3. If the account is listed and you are still refused, open a Technical Support case with the account name and the time you tried.`,
  },
  {
    slug: 'api-keys-and-pytenable',
    title: 'API keys and pyTenable: 401 and 403 answers',
    summary: 'Scripts and SIEM connectors that stop working: generating keys, the X-ApiKeys header, roles and rate limits.',
    product: VM,
    audience: 'signed_in',
    isPublished: true,
    body: `## Generating keys

Generate an access key and a secret key from **My Account → API Keys**. The secret key is shown once. Generating new keys replaces the old pair at once, so every script using it stops working until you update it.

## Using them with pyTenable

\`\`\`python
from tenable.io import TenableIO
tio = TenableIO(access_key, secret_key, url="https://bulwark.example.com")
\`\`\`

Read the keys from environment variables or a secrets manager; never write them into the script.

## Answers and what they mean

- **401 Unauthorized**: the keys are wrong or were replaced. Generate new keys and update the script.
- **403 Forbidden**: the user's role does not allow the call. Bulk exports need at least VM Standard.
- **429 Too Many Requests**: the per-user rate limit was reached. Wait for the number of seconds in the \`Retry-After\` header; pyTenable does this for you.

## Never paste keys into a case

If you included keys in a case, a chat or an attachment by mistake, generate new keys straight away.`,
  },
  {
    slug: 'web-app-scan-login-failures',
    title: 'Web application scans that do not stay logged in',
    summary: 'Authenticated web app scans that only see the login page: login recording, logout detection and session cookies.',
    product: WAS,
    audience: 'signed_in',
    isPublished: true,
    body: `## Symptoms

The scan finishes quickly and reports only the login page and public pages.

## Checks

1. **Exclude the logout link** from the crawl: the scanner follows it and ends its own session.
2. **Session check.** Set a page and a text that only appear when logged in, so the scanner notices when the session ends and logs in again.
3. **Multi-factor login.** Applications that require a second factor cannot be scanned with it: use a test account without it, limited to a test environment.
4. **Short sessions.** Lengthen the session timeout for the scanning account, or lower the scan's concurrency.`,
  },
  {
    slug: 'scan-results-missing-after-import',
    title: 'Findings do not appear on the dashboard after an import',
    summary:
      'The import succeeded but the dashboard has not changed: severity filters, fixed findings and which instance the scan went to.',
    product: VM,
    audience: 'public',
    isPublished: true,
    body: `## Checks

- **The right instance.** An import goes to the instance you were in when you uploaded it. Check the instance name in the header.
- **Filters.** Clear the filters on the Vulnerabilities page, including the severity filter.
- **Fixed findings.** A finding no longer reported by a later scan of the same host is marked Fixed and leaves the open counts.

If none of these explains it, open a Technical Support case with the scan name and the time of the import.`,
  },
];
