import crypto from 'node:crypto';
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { CUSTOMER_CARE_QUEUE, FEDRAMP_QUEUE, type CasePriority, type CaseStatus } from '../common/schemas/support-cases.js';
import type { Database } from '../server/db/schema.js';
import { DEMO_ACCOUNTS } from './demo-data.js';
import { firstResponseDueAt, firstResponseMinutes } from '../server/modules/support-cases/sla.js';
import { scanForSecrets } from '../server/modules/secret-scan/secret-scan.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface DemoSupportSummary {
  caseCount: number;
  messageCount: number;
  visitCount: number;
}

/** A UUID derived from a label, so the demo's cases keep their ids (and links) from run to run. */
function demoUuid(label: string): string {
  const hex = crypto.createHash('sha256').update(`bulwark-demo-support:${label}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

interface DemoMessage {
  from: 'contact' | 'agent';
  internal?: boolean;
  minutesAfter: number;
  body: string;
}

interface DemoCase {
  kind: 'customer_care' | 'technical';
  status: CaseStatus;
  priority?: CasePriority;
  category?: string;
  issueType?: string;
  subject: string;
  description: string;
  operatingSystem?: string;
  isFedramp?: boolean;
  hoursAgo: number;
  assigned: boolean;
  secret?: boolean;
  messages: DemoMessage[];
}

// Assembled at run time, like the secret-warning corpus: the repository holds no secret-looking text.
const DEMO_SECRET_LINE = ['pass', 'word=', 'Demo', '-Only-', 'Sunflower', '-2026'].join('');

/** The cases each demo account gets; technical ones use the account's first subscribed product. */
const CASES: readonly DemoCase[] = [
  {
    kind: 'technical',
    status: 'new',
    priority: 'p1',
    subject: 'Scanner offline after upgrade, all scheduled scans failing',
    description:
      'Since last night the on-premises scanner shows as offline and every scheduled scan fails to start. We restarted the service twice.',
    operatingSystem: 'Red Hat Enterprise Linux 9',
    hoursAgo: 0.5,
    assigned: false,
    messages: [],
  },
  {
    kind: 'technical',
    status: 'in_progress',
    priority: 'p2',
    subject: 'Authenticated Windows scans report credential failures',
    description:
      'Credentialed scans of our Windows servers started reporting "Authentication failure" on about half the hosts. The service account has not changed.',
    operatingSystem: 'Windows Server 2022',
    hoursAgo: 26,
    assigned: true,
    messages: [
      {
        from: 'agent',
        minutesAfter: 45,
        body: 'Thanks for the details. Could you check whether SMB signing was enforced by a recent group policy change?',
      },
      { from: 'contact', minutesAfter: 180, body: 'Yes, a GPO enforcing SMB signing went out on Monday. Would that break the scans?' },
      {
        from: 'agent',
        internal: true,
        minutesAfter: 200,
        body: 'Likely the known SMB signing issue; point them to the credentialed-scan article.',
      },
      {
        from: 'agent',
        minutesAfter: 210,
        body: 'It can. Please enable the "Windows: SMB signing" option in the scan policy and run one host again.',
      },
    ],
  },
  {
    kind: 'technical',
    status: 'awaiting_customer',
    priority: 'p3',
    subject: 'Agent not linking to the manager',
    description: 'New agents installed this week do not link. The installer finishes without errors.',
    operatingSystem: 'Ubuntu 22.04',
    hoursAgo: 72,
    assigned: true,
    messages: [
      {
        from: 'agent',
        minutesAfter: 120,
        body: 'Please send the output of nessuscli agent status and the agent log from one of the hosts.',
      },
    ],
  },
  {
    kind: 'technical',
    status: 'solved',
    priority: 'p4',
    subject: 'Question about plugin update frequency',
    description: 'How often are plugins updated, and can we schedule the update window?',
    operatingSystem: 'Cloud (Tenable-hosted)',
    hoursAgo: 240,
    assigned: true,
    messages: [
      {
        from: 'agent',
        minutesAfter: 300,
        body: 'Plugins are published daily; the update window can be set under Settings > Software Update.',
      },
      { from: 'contact', minutesAfter: 600, body: 'Found it, thank you.' },
    ],
  },
  {
    kind: 'technical',
    status: 'closed',
    priority: 'p3',
    subject: 'Dashboard widgets load slowly',
    description: 'The vulnerability dashboard takes over a minute to load in the mornings.',
    operatingSystem: 'Cloud (Tenable-hosted)',
    hoursAgo: 600,
    assigned: false,
    messages: [
      {
        from: 'agent',
        minutesAfter: 90,
        body: 'We improved the caching of that dashboard last week; please let us know if it is still slow.',
      },
      { from: 'contact', minutesAfter: 3000, body: 'It is fast now. Closing the case.' },
    ],
  },
  {
    kind: 'technical',
    status: 'new',
    priority: 'p2',
    subject: 'Export of findings times out',
    description: 'Exporting findings as CSV stops after 15 minutes with a timeout.',
    operatingSystem: 'Windows 11',
    hoursAgo: 50,
    assigned: false,
    messages: [],
  },
  {
    kind: 'technical',
    status: 'new',
    priority: 'p2',
    subject: 'Scan results missing for the government enclave',
    description: 'Results of the enclave scans do not appear in the workbench.',
    operatingSystem: 'Red Hat Enterprise Linux 8',
    isFedramp: true,
    hoursAgo: 3,
    assigned: false,
    messages: [],
  },
  {
    kind: 'technical',
    status: 'in_progress',
    priority: 'p3',
    subject: 'nessuscli adduser fails',
    description: `Adding a local user fails. I ran: nessuscli adduser admin2 with ${DEMO_SECRET_LINE} and it answered "invalid argument".`,
    operatingSystem: 'Debian 12',
    hoursAgo: 30,
    assigned: true,
    secret: true,
    messages: [
      {
        from: 'agent',
        minutesAfter: 100,
        body: 'Thanks. Please change that password now: it was included in the case. Then run the command without the password argument; it will prompt for it.',
      },
    ],
  },
  {
    kind: 'customer_care',
    status: 'new',
    category: 'Orders',
    issueType: 'Invoice or payment',
    subject: 'October invoice not received',
    description: 'We have not received the invoice for October. Please resend it to accounts payable.',
    hoursAgo: 5,
    assigned: false,
    messages: [],
  },
  {
    kind: 'customer_care',
    status: 'in_progress',
    category: 'Licences',
    issueType: 'Asset count or licence limit',
    subject: 'Increase the asset limit before the audit',
    description: 'We expect 300 more hosts next quarter. What are the options to raise our limit?',
    hoursAgo: 48,
    assigned: true,
    messages: [
      { from: 'agent', minutesAfter: 240, body: 'Your account manager will send a quote for 500 additional assets this week.' },
      { from: 'contact', minutesAfter: 400, body: 'Great, please copy our procurement team.' },
    ],
  },
  {
    kind: 'customer_care',
    status: 'closed',
    category: 'Sign-in',
    issueType: 'Two-factor reset',
    subject: 'Reset two-factor for a colleague',
    description: 'A colleague lost their phone and needs their two-factor authentication reset.',
    hoursAgo: 400,
    assigned: true,
    messages: [{ from: 'agent', minutesAfter: 60, body: 'Done: they will be asked to set up two-factor at the next sign-in.' }],
  },
];

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Support cases for the demo (issue 7): for up to three accounts of the demo support agent and the
 * first demo account, cases in every status, Customer Care and Technical, one FedRAMP, one sent
 * despite the secret warning, with messages both ways and an internal note, some assigned to the
 * agent; and suggestion visits with each outcome. Deterministic: fixed texts, ids and times
 * counted from today. Runs inside the demo's transaction.
 */
export async function seedDemoSupport(db: Executor, options: { today: Date }): Promise<DemoSupportSummary> {
  const summary: DemoSupportSummary = { caseCount: 0, messageCount: 0, visitCount: 0 };
  const today = options.today;
  const agents = await db
    .selectFrom('users')
    .select(['id', 'name', 'username', 'role'])
    .where('kind', '=', 'staff')
    .where('is_support_agent', '=', true)
    .orderBy(sql`username like 'jordan.ellis%'`, 'desc')
    .orderBy('username')
    .execute();
  const agent = agents[0];
  if (!agent) return summary;

  const assigned = await db
    .selectFrom('staff_account_assignments as s')
    .innerJoin('customer_accounts as a', 'a.id', 's.account_id')
    .select(['a.id', 'a.name', 'a.is_fedramp'])
    .where('s.user_id', '=', agent.id)
    .where('a.is_active', '=', true)
    .orderBy('a.name')
    .orderBy('a.id')
    .execute();
  const subscriptions = await db
    .selectFrom('account_subscriptions')
    .selectAll()
    .where('service_level', '<>', '')
    .orderBy('ends_on', 'desc')
    .execute();
  const day = isoDay(today);
  const productOf = (accountId: string) =>
    subscriptions
      .filter((row) => row.account_id === accountId && row.starts_on <= day && row.ends_on >= day)
      .sort((a, b) => a.product.localeCompare(b.product))[0];

  const withProduct = assigned.filter((account) => productOf(account.id));
  const chosen = withProduct.slice(0, 3).map((account) => ({ ...account, agentMaySee: true }));
  // The first demo account (its Primary Contact is the demo's sample contact) gets cases too,
  // although the demo agent does not work on it: none are assigned there.
  const first = await db
    .selectFrom('customer_accounts')
    .select(['id', 'name', 'is_fedramp'])
    .where('site_id', '=', DEMO_ACCOUNTS[0]?.siteId ?? '')
    .executeTakeFirst();
  if (first && productOf(first.id) && !chosen.some((account) => account.id === first.id)) chosen.push({ ...first, agentMaySee: false });
  // The FedRAMP case goes to a FedRAMP-authorized account of the agent's when there is one; any
  // contact may answer Yes to the FedRAMP question, so otherwise to the first account.
  const fedrampAccount = chosen.find((account) => account.is_fedramp && account.agentMaySee) ?? chosen[0];
  if (!fedrampAccount) return summary;

  const products = await db.selectFrom('support_products').selectAll().execute();
  const targets = (await db.selectFrom('support_sla_targets').selectAll().execute()).map((row) => ({
    serviceLevel: row.service_level,
    priority: row.priority,
    firstResponseMinutes: row.first_response_minutes,
  }));
  const secretFindings = (await scanForSecrets(CASES.find((entry) => entry.secret)?.description ?? '')).map((finding) => ({
    kind: finding.kind,
    preview: finding.preview,
  }));

  // Rows are collected and written with one statement per table: the demo runs in one transaction and should stay quick.
  const allContacts = await db
    .selectFrom('users')
    .select(['id', 'name', 'username', 'can_manage_cases', 'is_primary_contact', 'account_id'])
    .where('kind', '=', 'contact')
    .where(
      'account_id',
      'in',
      chosen.map((account) => account.id),
    )
    .orderBy('username')
    .execute();
  const caseRows: Insertable<Database['support_cases']>[] = [];
  const messageRows: Insertable<Database['support_case_messages']>[] = [];
  const visitRows: Insertable<Database['support_suggestion_visits']>[] = [];
  for (const [accountIndex, account] of chosen.entries()) {
    const contacts = allContacts.filter((contact) => contact.account_id === account.id);
    const opener =
      contacts.find((contact) => contact.is_primary_contact) ?? contacts.find((contact) => contact.can_manage_cases) ?? contacts[0];
    if (!opener) continue;
    const other = contacts.find((contact) => contact.id !== opener.id) ?? opener;
    const subscription = productOf(account.id);
    if (!subscription) continue;
    const versions = products.find((product) => product.name === subscription.product)?.versions ?? [];
    // The first account gets every case, the others about half; the FedRAMP case goes to one account.
    const templates = CASES.filter((entry) => (entry.isFedramp ? account.id === fedrampAccount.id : true)).filter(
      (entry, index) => accountIndex === 0 || entry.isFedramp === true || index % 2 === accountIndex % 2,
    );

    for (const [caseIndex, template] of templates.entries()) {
      const id = demoUuid(`${account.id}:${caseIndex}`);
      const createdAt = new Date(today.getTime() - template.hoursAgo * 3_600_000);
      const technical = template.kind === 'technical';
      const serviceLevel = technical ? subscription.service_level : null;
      const dueAt = firstResponseDueAt(createdAt, firstResponseMinutes(targets, serviceLevel, template.priority ?? null));
      const firstAgentReply = template.messages.find((message) => message.from === 'agent' && !message.internal);
      const lastMessage = template.messages.at(-1);
      const updatedAt = lastMessage ? new Date(createdAt.getTime() + lastMessage.minutesAfter * 60_000) : createdAt;
      const endedAt = new Date(updatedAt.getTime() + 30 * 60_000);
      const openedBy = caseIndex % 3 === 2 ? other : opener;
      caseRows.push({
        id,
        account_id: account.id,
        kind: template.kind,
        status: template.status,
        priority: technical ? (template.priority ?? 'p3') : null,
        category: template.category ?? null,
        issue_type: template.issueType ?? null,
        product: technical ? subscription.product : null,
        product_version: technical ? (versions[0] ?? null) : null,
        operating_system: template.operatingSystem ?? null,
        subject: template.subject,
        description: template.description,
        is_fedramp: template.isFedramp ?? false,
        queue: !technical ? CUSTOMER_CARE_QUEUE : template.isFedramp ? FEDRAMP_QUEUE : subscription.product,
        service_level: serviceLevel,
        first_response_due_at: dueAt,
        first_responded_at: firstAgentReply ? new Date(createdAt.getTime() + firstAgentReply.minutesAfter * 60_000) : null,
        secret_override: template.secret ? JSON.stringify({ findings: secretFindings, at: createdAt.toISOString() }) : null,
        opened_by_user_id: openedBy.id,
        assigned_to_user_id: template.assigned && account.agentMaySee ? agent.id : null,
        created_at: createdAt,
        updated_at: template.status === 'solved' || template.status === 'closed' ? endedAt : updatedAt,
        solved_at: template.status === 'solved' ? endedAt : null,
        closed_at: template.status === 'closed' ? endedAt : null,
      });
      messageRows.push(
        ...template.messages.map((message, messageIndex) => ({
          id: demoUuid(`${id}:message:${messageIndex}`),
          case_id: id,
          author_user_id: message.from === 'agent' ? agent.id : openedBy.id,
          author_name: message.from === 'agent' ? agent.name || agent.username : openedBy.name || openedBy.username,
          author_kind: message.from,
          visibility: message.internal ? ('internal' as const) : ('public' as const),
          via: 'portal' as const,
          body: message.body,
          created_at: new Date(createdAt.getTime() + message.minutesAfter * 60_000),
        })),
      );
    }

    // Suggestion visits with each outcome; the submitted one became the account's second case.
    const outcomes = ['shown', 'left', 'continued', 'submitted'] as const;
    for (const [visitIndex, outcome] of outcomes.entries()) {
      const at = new Date(today.getTime() - (visitIndex + 1) * 7 * 3_600_000);
      visitRows.push({
        id: demoUuid(`${account.id}:visit:${visitIndex}`),
        account_id: account.id,
        user_id: opener.id,
        product: subscription.product,
        subject:
          ['Plugin feed update fails', 'Scan stuck at 99 percent', 'Agent not linking', 'Credential failures on Windows'][visitIndex] ?? '',
        article_slugs: sql`'{}'::text[]`,
        outcome,
        case_id: outcome === 'submitted' ? demoUuid(`${account.id}:1`) : null,
        created_at: at,
        updated_at: at,
      });
    }
  }
  if (caseRows.length > 0) await db.insertInto('support_cases').values(caseRows).execute();
  if (messageRows.length > 0) await db.insertInto('support_case_messages').values(messageRows).execute();
  if (visitRows.length > 0) await db.insertInto('support_suggestion_visits').values(visitRows).execute();
  return { caseCount: caseRows.length, messageCount: messageRows.length, visitCount: visitRows.length };
}
