import { z } from 'zod';
import { SECRET_CHECK_MAX_LENGTH } from './support.js';

/**
 * Support cases (issue 7): the contract between the server (server/modules/support-cases) and the
 * web app (web/src/features/support). Wording the seed fixes is kept here, once, word for word.
 */

/** The seed's three Technical Support eligibility messages, in the order they are checked. */
export const ELIGIBILITY_MESSAGES = {
  signed_out: 'Login is required to access Technical Support.',
  no_subscription:
    'Your account does not have any active products or subscriptions. Access to create Technical Support cases is restricted. Please contact Customer Care for assistance.',
  no_permission:
    'You do not have access to Technical Support. Please contact the Primary Contact on your account to adjust your permissions or contact Customer Care for assistance.',
} as const;
export type IneligibleReason = keyof typeof ELIGIBILITY_MESSAGES;

/** The seed's caution on the upload area of FedRAMP-authorized accounts (the seed runs it into the next sentence; it ends here). */
export const FEDRAMP_UPLOAD_CAUTION = 'This account is FedRAMP authorized. Please do not upload any files containing FedRAMP data';

/** "Up to 5 files can be uploaded at a time": one selection or drop of more is refused whole. */
export const UPLOAD_BATCH_MAX = 5;
export const UPLOAD_BATCH_MESSAGE = `Up to ${UPLOAD_BATCH_MAX} files can be uploaded at a time. Add the others in another batch.`;

/** FedRAMP cases route through a separate intake that does not accept file attachments at submission time. */
export const FEDRAMP_ATTACHMENT_MESSAGE =
  'FedRAMP cases route through a separate intake that does not accept file attachments at submission time. Remove the files, or answer No to the FedRAMP question.';

/** Queue names that are not products. */
export const CUSTOMER_CARE_QUEUE = 'Customer Care';
export const FEDRAMP_QUEUE = 'FedRAMP intake';

export const CASE_SUBJECT_MAX_LENGTH = 255;
export const CASE_DESCRIPTION_MAX_LENGTH = SECRET_CHECK_MAX_LENGTH;
export const CASE_REPLY_MAX_LENGTH = SECRET_CHECK_MAX_LENGTH;

export const CASE_PRIORITIES = ['p1', 'p2', 'p3', 'p4'] as const;
export const CasePriority = z.enum(CASE_PRIORITIES);
export type CasePriority = z.infer<typeof CasePriority>;
export const CASE_PRIORITY_LABELS: Record<CasePriority, string> = {
  p1: 'P1 - Critical: production down, no workaround',
  p2: 'P2 - High: major function impaired',
  p3: 'P3 - Medium: partial loss, workaround exists',
  p4: 'P4 - Low: question or minor issue',
};

export const CASE_STATUSES = ['new', 'in_progress', 'awaiting_customer', 'solved', 'closed'] as const;
export const CaseStatus = z.enum(CASE_STATUSES);
export type CaseStatus = z.infer<typeof CaseStatus>;
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  new: 'New',
  in_progress: 'In Progress',
  awaiting_customer: 'Awaiting Customer',
  solved: 'Solved',
  closed: 'Closed',
};

export const CASE_KINDS = ['customer_care', 'technical'] as const;
export const CaseKind = z.enum(CASE_KINDS);
export type CaseKind = z.infer<typeof CaseKind>;
export const CASE_KIND_LABELS: Record<CaseKind, string> = { customer_care: 'Customer Care', technical: 'Technical Support' };

export const OPERATING_SYSTEMS = [
  'Windows Server 2022',
  'Windows Server 2019',
  'Windows 11',
  'Red Hat Enterprise Linux 9',
  'Red Hat Enterprise Linux 8',
  'Ubuntu 24.04',
  'Ubuntu 22.04',
  'Debian 12',
  'Amazon Linux 2023',
  'macOS',
  'Cloud (Tenable-hosted)',
  'Other',
] as const;
export const OperatingSystem = z.enum(OPERATING_SYSTEMS);

/** A tus upload's id as the upload endpoint issued it; files are attached by these. */
export const UploadId = z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'Unknown upload.');
const uploadIds = z.array(UploadId).max(1000).default([]);

const subject = z.string().trim().min(1, 'Enter a subject.').max(CASE_SUBJECT_MAX_LENGTH);
const description = z
  .string()
  .trim()
  .min(1, 'Enter a description.')
  .max(CASE_DESCRIPTION_MAX_LENGTH, `Keep the description under ${CASE_DESCRIPTION_MAX_LENGTH.toLocaleString('en-US')} characters.`);
/** true: the contact saw the secret warning and chose to submit anyway. */
const secretOverride = z.boolean().default(false);

// ---- What the Support page needs to know about the caller --------------------------------------

export const EligibilityResponse = z.object({
  allowed: z.boolean(),
  reason: z.enum(['signed_out', 'no_subscription', 'no_permission']).nullable(),
  /** The seed's message for the reason, word for word; null when allowed. */
  message: z.string().nullable(),
});
export type EligibilityResponse = z.infer<typeof EligibilityResponse>;

/** GET /api/support/overview: public; an anonymous caller gets signedIn false and the sign-in message. */
export const SupportOverviewResponse = z.object({
  signedIn: z.boolean(),
  /** Contacts only; staff get false (the case forms are for customers). */
  isContact: z.boolean(),
  isSupportAgent: z.boolean(),
  customerCare: EligibilityResponse,
  technicalSupport: EligibilityResponse,
  account: z.object({ id: z.uuid(), name: z.string(), isFedramp: z.boolean() }).nullable(),
  canManageCases: z.boolean(),
  isPrimaryContact: z.boolean(),
});
export type SupportOverviewResponse = z.infer<typeof SupportOverviewResponse>;

export const CareCategoryResponse = z.object({ name: z.string(), issueTypes: z.array(z.string()) });
export type CareCategoryResponse = z.infer<typeof CareCategoryResponse>;

export const SupportProductResponse = z.object({
  name: z.string(),
  versions: z.array(z.string()),
  /** The caller's account's service level for it (Technical Support lists only products with one). */
  serviceLevel: z.string().nullable(),
});
export type SupportProductResponse = z.infer<typeof SupportProductResponse>;

/** GET /api/support/catalog (signed-in contacts and agents). products: the account's actively subscribed ones. */
export const SupportCatalogResponse = z.object({
  careCategories: z.array(CareCategoryResponse),
  products: z.array(SupportProductResponse),
  operatingSystems: z.array(z.string()),
});
export type SupportCatalogResponse = z.infer<typeof SupportCatalogResponse>;

// ---- Creating cases ------------------------------------------------------------------------------

export const CreateCustomerCareCaseBody = z.object({
  category: z.string().trim().min(1, 'Select what you need help with.').max(200),
  issueType: z.string().trim().min(1, 'Select the issue.').max(200),
  subject,
  description,
  uploadIds,
  secretOverride,
});
export type CreateCustomerCareCaseBody = z.input<typeof CreateCustomerCareCaseBody>;

/** POST /api/support/suggestions: the Next button. Records a visit the outcome calls update. */
export const SuggestionsBody = z.object({
  priority: CasePriority,
  product: z.string().trim().min(1).max(200),
  productVersion: z.string().trim().max(100).nullable().default(null),
  subject,
});
export type SuggestionsBody = z.input<typeof SuggestionsBody>;

export const SuggestedArticle = z.object({ slug: z.string(), title: z.string(), summary: z.string(), product: z.string().nullable() });
export type SuggestedArticle = z.infer<typeof SuggestedArticle>;
export const SuggestionsResponse = z.object({ visitId: z.uuid(), articles: z.array(SuggestedArticle) });
export type SuggestionsResponse = z.infer<typeof SuggestionsResponse>;

/** POST /api/support/suggestions/:visitId/outcome: left (the suggestions answered it) or continued to Review. */
export const SuggestionOutcomeBody = z.object({ outcome: z.enum(['left', 'continued']) });
export const VisitIdParams = z.object({ visitId: z.uuid() });

export const CreateTechnicalCaseBody = z.object({
  priority: CasePriority,
  product: z.string().trim().min(1, 'Select a product.').max(200),
  productVersion: z.string().trim().max(100).nullable().default(null),
  subject,
  operatingSystem: OperatingSystem,
  isFedramp: z.boolean(),
  description,
  uploadIds,
  suggestionVisitId: z.uuid().nullable().default(null),
  secretOverride,
});
export type CreateTechnicalCaseBody = z.input<typeof CreateTechnicalCaseBody>;

/**
 * Refusals the forms handle (Bulwark's usual error body, with extra fields):
 * - 422 { error: { code: 'secret_detected', message, findings: SecretFindingResponse[] } } when the text
 *   looks like it holds a secret and secretOverride was not set; the form shows the warning and may resend with secretOverride.
 * - 403 { error: { code: 'ineligible', reason: IneligibleReason, message } } with the seed's message, word for word.
 */
export const SECRET_DETECTED_MESSAGE = 'The description contains text that looks like a credential or secret. Remove it, or submit anyway.';

// ---- Reading cases -------------------------------------------------------------------------------

export const SlaClockResponse = z.object({
  /** none: no target (Customer Care, or no service level); running: no agent reply yet and not due; met; breached. */
  state: z.enum(['none', 'running', 'met', 'breached']),
  dueAt: z.iso.datetime().nullable(),
  respondedAt: z.iso.datetime().nullable(),
  targetMinutes: z.number().int().nullable(),
});
export type SlaClockResponse = z.infer<typeof SlaClockResponse>;

export const CaseSummaryResponse = z.object({
  id: z.uuid(),
  number: z.string(),
  kind: CaseKind,
  status: CaseStatus,
  priority: CasePriority.nullable(),
  subject: z.string(),
  product: z.string().nullable(),
  productVersion: z.string().nullable(),
  category: z.string().nullable(),
  issueType: z.string().nullable(),
  queue: z.string(),
  isFedramp: z.boolean(),
  account: z.object({ id: z.uuid(), name: z.string() }),
  openedBy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  assignedTo: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  serviceLevel: z.string().nullable(),
  sla: SlaClockResponse,
  /** Set when the contact submitted despite the secret warning: for agents. */
  secretOverride: z.object({ findings: z.array(z.object({ kind: z.string(), preview: z.string() })), at: z.string() }).nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type CaseSummaryResponse = z.infer<typeof CaseSummaryResponse>;

export const CaseMessageResponse = z.object({
  id: z.uuid(),
  authorName: z.string(),
  authorKind: z.enum(['contact', 'agent', 'system']),
  visibility: z.enum(['public', 'internal']),
  via: z.enum(['portal', 'chat', 'email']),
  body: z.string(),
  secretOverride: z.boolean(),
  createdAt: z.iso.datetime(),
});
export type CaseMessageResponse = z.infer<typeof CaseMessageResponse>;

export const CaseAttachmentResponse = z.object({
  id: z.uuid(),
  fileName: z.string(),
  size: z.number(),
  sha256: z.string().nullable(),
  contentType: z.string(),
  uploadedBy: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
export type CaseAttachmentResponse = z.infer<typeof CaseAttachmentResponse>;

export const CaseDetailResponse = CaseSummaryResponse.extend({
  description: z.string(),
  operatingSystem: z.string().nullable(),
  messages: z.array(CaseMessageResponse),
  attachments: z.array(CaseAttachmentResponse),
  /** What the caller may do here: the page shows only these actions. */
  can: z.object({ reply: z.boolean(), addFiles: z.boolean(), close: z.boolean(), reopen: z.boolean(), work: z.boolean() }),
});
export type CaseDetailResponse = z.infer<typeof CaseDetailResponse>;

/** GET /api/support/cases: contacts see theirs (all of the account's with Manage Cases); agents see their accounts' cases. */
export const CaseListQuery = z.object({
  status: CaseStatus.optional(),
  /** 'open': every status but solved and closed. */
  state: z.enum(['open', 'all']).default('all'),
  kind: CaseKind.optional(),
  product: z.string().max(200).optional(),
  queue: z.string().max(200).optional(),
  /** Agents: mine, unassigned, or anyone's. */
  assigned: z.enum(['me', 'unassigned', 'any']).default('any'),
  q: z.string().trim().max(200).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
});
export type CaseListQuery = z.input<typeof CaseListQuery>;

export const CaseListResponse = z.object({
  items: z.array(CaseSummaryResponse),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type CaseListResponse = z.infer<typeof CaseListResponse>;

export const CaseIdParams = z.object({ id: z.uuid() });
export const CaseAttachmentParams = z.object({ id: z.uuid(), attachmentId: z.uuid() });

// ---- Working on cases ----------------------------------------------------------------------------

/** POST /api/support/cases/:id/messages. internal: agents only. */
export const CaseReplyBody = z.object({
  body: z.string().trim().min(1, 'Write a reply.').max(CASE_REPLY_MAX_LENGTH),
  visibility: z.enum(['public', 'internal']).default('public'),
  secretOverride,
});
export type CaseReplyBody = z.input<typeof CaseReplyBody>;

/** POST /api/support/cases/:id/attachments: files already uploaded through the upload endpoint. */
export const AttachFilesBody = z.object({ uploadIds: z.array(UploadId).min(1).max(1000) });

/** PATCH /api/support/cases/:id (agents): status and assignee. */
export const UpdateCaseBody = z.object({
  status: CaseStatus.optional(),
  assignedToUserId: z.uuid().nullable().optional(),
});
export type UpdateCaseBody = z.input<typeof UpdateCaseBody>;

/** GET /api/support/queues (agents): counts per queue over the agent's accounts. */
export const QueueSummaryResponse = z.object({
  queue: z.string(),
  open: z.number().int(),
  unassigned: z.number().int(),
  breached: z.number().int(),
  byStatus: z.record(z.string(), z.number().int()),
  /** The soonest running SLA deadline in the queue. */
  nextDueAt: z.iso.datetime().nullable(),
});
export const QueuesResponse = z.object({ items: z.array(QueueSummaryResponse) });
export type QueuesResponse = z.infer<typeof QueuesResponse>;

/** GET /api/support/agents (agents): who a case can be assigned to. */
export const SupportAgentsResponse = z.object({ items: z.array(z.object({ id: z.uuid(), name: z.string(), username: z.string() })) });

/** GET /api/support/suggestion-stats (agents): how often Suggestions resolved an issue. */
export const SuggestionStatsResponse = z.object({
  shown: z.number().int(),
  left: z.number().int(),
  continued: z.number().int(),
  submitted: z.number().int(),
  /** left / (left + continued + submitted), 0 when none. */
  resolvedRate: z.number(),
});

// ---- The Primary Contact's contacts page -------------------------------------------------------

export const AccountContactResponse = z.object({
  id: z.uuid(),
  name: z.string(),
  username: z.string(),
  email: z.string().nullable(),
  canManageCases: z.boolean(),
  isPrimaryContact: z.boolean(),
  isDisabled: z.boolean(),
});
export type AccountContactResponse = z.infer<typeof AccountContactResponse>;
export const AccountContactsResponse = z.object({ items: z.array(AccountContactResponse) });
export const ContactIdParams = z.object({ userId: z.uuid() });
export const ManageCasesBody = z.object({ canManageCases: z.boolean() });

// ---- Administrators' configuration -------------------------------------------------------------

export const SaveCareCategoriesBody = z.object({
  categories: z
    .array(z.object({ name: z.string().trim().min(1).max(200), issueTypes: z.array(z.string().trim().min(1).max(200)).min(1).max(50) }))
    .min(1)
    .max(50),
});
export const SaveProductsBody = z.object({
  products: z
    .array(z.object({ name: z.string().trim().min(1).max(200), versions: z.array(z.string().trim().min(1).max(100)).max(100) }))
    .min(1)
    .max(200),
});
export const SlaTargetResponse = z.object({ serviceLevel: z.string(), priority: CasePriority, firstResponseMinutes: z.number().int() });
export const SlaTargetsResponse = z.object({ items: z.array(SlaTargetResponse) });
export const SaveSlaTargetsBody = z.object({
  items: z
    .array(
      z.object({
        serviceLevel: z.string().trim().min(1).max(200),
        priority: CasePriority,
        firstResponseMinutes: z
          .number()
          .int()
          .min(1)
          .max(60 * 24 * 30),
      }),
    )
    .min(1)
    .max(400),
});
