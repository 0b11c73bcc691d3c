import { sql, type Kysely } from 'kysely';

// Frozen once landed: change the schema with a new migration, never by editing this one.

const CUSTOMER_CARE_GUIDE = `## What Customer Care is for

Customer Care handles everything about your account that is not a problem with the product itself:

- **Orders and subscriptions**: renewals, licence counts, invoices, and which products and service level your account has.
- **Contacts**: adding or removing the people of your organisation who may sign in, and changing who is the Primary Contact.
- **Signing in**: you cannot sign in, your password reset email does not arrive, or your two-factor device is lost.
- **Permissions**: a colleague needs the Manage Cases permission to open Technical Support cases (the Primary Contact grants it; Customer Care helps when the Primary Contact has left).

If a scan fails, an import is refused or a page shows an error, open a **Technical Support** case instead: see the [Technical Support Guide](/support/kb/technical-support-guide).

## Who can open a Customer Care case

Any contact who can sign in to Bulwark may open a Customer Care case. No subscription or special permission is needed.

## Opening a case

1. On the Support page, choose **Create Customer Care Case**.
2. Pick the category in **I Need Help With**, then the **Customer Care Issue** that fits best.
3. Write a short **Subject** and a **Description** that says what you need, for which account, and by when.
4. Optionally attach files (an order form, a screenshot of an error). You can add up to 5 files at a time.
5. Submit. The case appears on **My Cases**, where you can follow its status and reply.

## What to include

- The customer account name and site identifier, if your organisation has several.
- For contact changes: the person's name, email address and the instance role they need.
- For sign-in problems: your username, the time you tried and the exact message you saw.

## Never send secrets

Do not paste passwords, API keys (access and secret keys), recovery codes or session tokens into a case. Nobody at Customer Care will ask for them. If a description looks like it contains a secret, Bulwark warns you before you submit so you can remove it. If you sent a key by mistake, generate new API keys from **My Account** straight away: that makes the old pair useless.

## FedRAMP-authorized accounts

If your account is FedRAMP-authorized, the upload area shows a warning: do not upload files containing FedRAMP data.

## Calling us

The Phone Support section of the Support page lists the numbers for the Americas, Europe and Asia/Australia. Have your personal **Support PIN** ready: the agent asks for it to confirm who you are.
`;

const TECHNICAL_SUPPORT_GUIDE = `## What Technical Support is for

Open a Technical Support case when a product does not work as it should: scans that fail or find nothing, \`.nessus\` imports that are refused, agents that do not link, dashboards that show unexpected numbers, API calls that fail. For orders, contacts and sign-in problems, use the [Customer Care Guide](/support/kb/customer-care-guide) instead.

## Before you open a case

To open a Technical Support case you must:

- be signed in;
- have the **Manage Cases** permission on your account (ask your Primary Contact);
- have an active subscription with a defined service level.

If one of these is missing, the Support page tells you which, and Customer Care can help.

## Opening a case

1. On the Support page, choose **Create Technical Support Case**.
2. Choose the **Priority**, the **Product** and, where it has one, the **Product Version**, then write a short **Subject**.
3. Bulwark shows **Suggestions**: knowledge-base articles that match your subject and product. Many common problems are solved there in minutes.
4. If the suggestions do not help, continue: choose the **Operating System**, answer the **FedRAMP** question and describe the issue.
5. Submit. The case appears on **My Cases**.

## Choosing a priority

| Priority | Use it when | How it is handled |
| --- | --- | --- |
| P1 Critical | The product is down or unusable for your whole organisation and there is no workaround. | Worked before every other case; around the clock with a Premium 24x7 service level. Call Phone Support as well. |
| P2 High | An important feature fails and the workaround is painful. | Worked before P3 and P4 cases. |
| P3 Medium | Something does not work as expected but you can carry on. | Worked in order of arrival during business hours. |
| P4 Low | A question, a how-to or a request for a change. | Worked when higher priorities allow. |

The response times you are entitled to are those of your subscription's service level (Premium 24x7, Standard or Essentials). Please choose the priority that matches the impact: raising it to be answered sooner delays someone whose systems are down.

## What to include

- **What you expected and what happened instead**, with the exact error message.
- **When it started** and whether anything changed then (an upgrade, a new scan policy, a firewall change).
- **Where**: the instance, the scan name, the asset's hostname or IP address, the plugin ID.
- **Steps to reproduce**, if you know them.
- **Files that help**: the \`.nessus\` file that fails to import, a screenshot, the scanner or agent log.

## Never send secrets

Do not paste API keys, passwords or session tokens into a case, a chat or an attachment: scripts that use pyTenable or a SIEM connector often have the access and secret keys written in them, so remove them before you attach the script. If a description looks like it contains a secret, Bulwark warns you before you submit. If a key was exposed, generate new API keys from **My Account**: the old pair stops working at once.

## FedRAMP cases

When you answer **Yes** to the FedRAMP question, the case goes through a separate intake that does not accept file attachments when it is submitted: the upload area is hidden and any files you had added are removed. Describe the problem in words; the agent will tell you how to share anything else safely. On FedRAMP-authorized accounts, never upload files that contain FedRAMP data.

## Chat and phone

For a live conversation, start a chat from the Support page and link it to an existing case or a new one; the transcript is kept on the case. For P1 issues, also call Phone Support with your **Support PIN** ready.
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function up(db: Kysely<any>): Promise<void> {
  // Knowledge-base articles (issue 7): the Customer Care and Technical Support guides the Support
  // page links, and the articles Suggestions ranks before a Technical Support case is submitted.
  await sql`create table kb_articles (
    id uuid primary key default gen_random_uuid(),
    slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title text not null,
    summary text not null default '',
    body text not null,
    product text,
    is_published boolean not null default false,
    audience text not null default 'signed_in' check (audience in ('public', 'signed_in')),
    created_by_user_id uuid references users (id) on delete set null,
    updated_by_user_id uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    -- Generated, so it can never disagree with the text; the title weighs most in the ranking.
    search_vector tsvector generated always as (
      setweight(to_tsvector('english', title), 'A') ||
      setweight(to_tsvector('english', summary || ' ' || coalesce(product, '')), 'B') ||
      setweight(to_tsvector('english', body), 'C')
    ) stored
  )`.execute(db);
  await sql`create index kb_articles_search_vector on kb_articles using gin (search_vector)`.execute(db);

  // The two guides exist from the first start: the Support page links them for anyone, signed in or not.
  await db
    .insertInto('kb_articles')
    .values([
      {
        slug: 'customer-care-guide',
        title: 'Customer Care Guide',
        summary: 'Orders, contacts, signing in and permissions: when to open a Customer Care case and what to put in it.',
        body: CUSTOMER_CARE_GUIDE,
        is_published: true,
        audience: 'public',
      },
      {
        slug: 'technical-support-guide',
        title: 'Technical Support Guide',
        summary:
          'Problems with the products: who may open a Technical Support case, choosing a priority, what to include and how FedRAMP cases differ.',
        body: TECHNICAL_SUPPORT_GUIDE,
        is_published: true,
        audience: 'public',
      },
    ])
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations take Kysely<any> by design
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table kb_articles`.execute(db);
}
