import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  AccountContactResponse,
  AccountContactsResponse,
  AttachFilesBody,
  CaseAttachmentParams,
  CaseDetailResponse,
  CaseIdParams,
  CaseListQuery,
  CaseListResponse,
  CaseReplyBody,
  ContactIdParams,
  CreateCustomerCareCaseBody,
  CreateTechnicalCaseBody,
  ManageCasesBody,
  QueuesResponse,
  SaveCareCategoriesBody,
  SaveProductsBody,
  SaveSlaTargetsBody,
  SlaTargetsResponse,
  SuggestionOutcomeBody,
  SuggestionsBody,
  SuggestionsResponse,
  SuggestionStatsResponse,
  SupportAgentsResponse,
  SupportCatalogResponse,
  SupportOverviewResponse,
  UpdateCaseBody,
  VisitIdParams,
} from '../../../common/schemas/support-cases.js';
import { AppError } from '../../lib/app-error.js';
import { authorize, contextOf, CSRF_HEADER } from '../../http/authenticate.js';
import { csrfTokenFor } from '../auth/auth.service.js';
import {
  attachFiles,
  closeCase,
  contentDisposition,
  createCustomerCareCase,
  createTechnicalCase,
  downloadAttachment,
  getCareCategories,
  getCase,
  getCatalog,
  getOverview,
  getProducts,
  getSlaTargets,
  listAccountContacts,
  listAgents,
  listCases,
  listQueues,
  removeAttachment,
  reopenCase,
  replyToCase,
  saveCareCategories,
  saveProducts,
  saveSlaTargets,
  setManageCases,
  setSuggestionOutcome,
  suggest,
  suggestionStats,
  updateCase,
} from './support-cases.service.js';

const CareCategoriesResponse = SaveCareCategoriesBody;

/**
 * Technical Support answers an anonymous caller with the seed's own sign-in message, so its routes
 * are public to the authentication hook; a signed-in caller's write still needs the CSRF header.
 */
async function requireCsrfWhenSignedIn(request: FastifyRequest): Promise<void> {
  if (!request.session) return;
  const sent = request.headers[CSRF_HEADER];
  if (typeof sent !== 'string' || sent !== csrfTokenFor(request.server.services, request.session.id)) {
    throw new AppError('csrf_failed', 'Missing or wrong CSRF token; reload the page and try again.');
  }
}
const ProductsResponse = SaveProductsBody;

/** Support cases (issue 7): the contacts' forms and My Cases, the agents' console, the Primary Contact's page, configuration. */
export async function supportCasesRoutes(app: FastifyInstance): Promise<void> {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['support cases'];
  const contactsAndAgents = authorize('support:visit');
  const contacts = authorize('support:use');
  const agents = authorize('support:work');
  const primaryContact = authorize('support:manage-contacts');
  const administrators = authorize('support:configure');

  routes.get(
    '/api/support/overview',
    {
      // The Support page is for anonymous visitors too: they learn that sign-in is required.
      config: { isPublic: true },
      schema: { tags, summary: 'What the Support page may offer the caller', response: { 200: SupportOverviewResponse } },
    },
    async (request) => getOverview(contextOf(request)),
  );

  routes.get(
    '/api/support/catalog',
    {
      preHandler: contactsAndAgents,
      schema: {
        tags,
        summary: "Care categories, the account's subscribed products with versions, operating systems",
        response: { 200: SupportCatalogResponse },
      },
    },
    async (request) => getCatalog(contextOf(request)),
  );

  routes.post(
    '/api/support/cases/customer-care',
    {
      preHandler: contacts,
      schema: {
        tags,
        summary: 'Open a Customer Care case (any contact)',
        body: CreateCustomerCareCaseBody,
        response: { 201: CaseDetailResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createCustomerCareCase(contextOf(request), request.body)),
  );

  // Technical Support checks its own prerequisites (signed in, subscription, permission) so that
  // each refusal carries the seed's message: no authorize() here, and anonymous callers reach the
  // service, which answers 401 with the seed's sign-in message.
  routes.post(
    '/api/support/suggestions',
    {
      config: { isPublic: true },
      preHandler: requireCsrfWhenSignedIn,
      schema: {
        tags,
        summary: 'Knowledge-base articles for a Technical Support subject (the Next button); records the visit',
        body: SuggestionsBody,
        response: { 200: SuggestionsResponse },
      },
    },
    async (request) => suggest(contextOf(request), request.body),
  );

  routes.post(
    '/api/support/suggestions/:visitId/outcome',
    {
      preHandler: contacts,
      schema: { tags, summary: 'Left at Suggestions, or continued to Review', params: VisitIdParams, body: SuggestionOutcomeBody },
    },
    async (request, reply) => {
      await setSuggestionOutcome(contextOf(request), request.params.visitId, request.body.outcome);
      return reply.status(204).send();
    },
  );

  routes.post(
    '/api/support/cases/technical',
    {
      config: { isPublic: true },
      preHandler: requireCsrfWhenSignedIn,
      schema: {
        tags,
        summary: "Open a Technical Support case (the seed's three prerequisites)",
        body: CreateTechnicalCaseBody,
        response: { 201: CaseDetailResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await createTechnicalCase(contextOf(request), request.body)),
  );

  routes.get(
    '/api/support/cases',
    {
      preHandler: contactsAndAgents,
      schema: { tags, summary: 'Cases the caller may see', querystring: CaseListQuery, response: { 200: CaseListResponse } },
    },
    async (request) => listCases(contextOf(request), request.query),
  );

  routes.get(
    '/api/support/cases/:id',
    {
      preHandler: contactsAndAgents,
      schema: { tags, summary: 'One case with its conversation and files', params: CaseIdParams, response: { 200: CaseDetailResponse } },
    },
    async (request) => getCase(contextOf(request), request.params.id),
  );

  routes.post(
    '/api/support/cases/:id/messages',
    {
      preHandler: contactsAndAgents,
      schema: {
        tags,
        summary: 'Reply (contacts and agents) or add an internal note (agents)',
        params: CaseIdParams,
        body: CaseReplyBody,
        response: { 201: CaseDetailResponse },
      },
    },
    async (request, reply) => reply.status(201).send(await replyToCase(contextOf(request), request.params.id, request.body)),
  );

  routes.post(
    '/api/support/cases/:id/attachments',
    {
      preHandler: contactsAndAgents,
      schema: {
        tags,
        summary: 'Attach files already sent through the upload endpoint',
        params: CaseIdParams,
        body: AttachFilesBody,
        response: { 200: CaseDetailResponse },
      },
    },
    async (request) => attachFiles(contextOf(request), request.params.id, request.body.uploadIds),
  );

  routes.get(
    '/api/support/cases/:id/attachments/:attachmentId',
    {
      preHandler: contactsAndAgents,
      schema: { tags, summary: "Download one of the case's files", params: CaseAttachmentParams },
    },
    async (request, reply) => {
      const file = await downloadAttachment(contextOf(request), request.params.id, request.params.attachmentId);
      return reply
        .header('Content-Type', 'application/octet-stream')
        .header('Content-Disposition', contentDisposition(file.fileName))
        .header('Content-Length', String(file.size))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'private, no-store')
        .send(file.stream);
    },
  );

  routes.delete(
    '/api/support/cases/:id/attachments/:attachmentId',
    {
      preHandler: contactsAndAgents,
      schema: { tags, summary: 'Remove a file (whoever uploaded it, or a support agent)', params: CaseAttachmentParams },
    },
    async (request, reply) => {
      await removeAttachment(contextOf(request), request.params.id, request.params.attachmentId);
      return reply.status(204).send();
    },
  );

  routes.post(
    '/api/support/cases/:id/close',
    {
      preHandler: contacts,
      schema: { tags, summary: 'Close the case (contacts)', params: CaseIdParams, response: { 200: CaseDetailResponse } },
    },
    async (request) => closeCase(contextOf(request), request.params.id),
  );

  routes.post(
    '/api/support/cases/:id/reopen',
    {
      preHandler: contacts,
      schema: { tags, summary: 'Reopen a solved or closed case (contacts)', params: CaseIdParams, response: { 200: CaseDetailResponse } },
    },
    async (request) => reopenCase(contextOf(request), request.params.id),
  );

  routes.patch(
    '/api/support/cases/:id',
    {
      preHandler: agents,
      schema: {
        tags,
        summary: 'Change the status or the assignee (support agents)',
        params: CaseIdParams,
        body: UpdateCaseBody,
        response: { 200: CaseDetailResponse },
      },
    },
    async (request) => updateCase(contextOf(request), request.params.id, request.body),
  );

  routes.get(
    '/api/support/queues',
    { preHandler: agents, schema: { tags, summary: "Counts per queue over the agent's accounts", response: { 200: QueuesResponse } } },
    async (request) => listQueues(contextOf(request)),
  );

  routes.get(
    '/api/support/agents',
    { preHandler: agents, schema: { tags, summary: 'Support agents a case can be assigned to', response: { 200: SupportAgentsResponse } } },
    async (request) => listAgents(contextOf(request)),
  );

  routes.get(
    '/api/support/suggestion-stats',
    {
      preHandler: agents,
      schema: { tags, summary: 'How often Suggestions resolved an issue', response: { 200: SuggestionStatsResponse } },
    },
    async (request) => suggestionStats(contextOf(request)),
  );

  routes.get(
    '/api/support/account-contacts',
    {
      preHandler: primaryContact,
      schema: { tags, summary: "The Primary Contact's account's contacts", response: { 200: AccountContactsResponse } },
    },
    async (request) => listAccountContacts(contextOf(request)),
  );

  routes.put(
    '/api/support/account-contacts/:userId/manage-cases',
    {
      preHandler: primaryContact,
      schema: {
        tags,
        summary: 'Grant or remove Manage Cases (the Primary Contact)',
        params: ContactIdParams,
        body: ManageCasesBody,
        response: { 200: AccountContactResponse },
      },
    },
    async (request) => setManageCases(contextOf(request), request.params.userId, request.body.canManageCases),
  );

  routes.get(
    '/api/support/care-categories',
    { preHandler: administrators, schema: { tags, summary: 'Customer Care categories', response: { 200: CareCategoriesResponse } } },
    async (request) => getCareCategories(contextOf(request)),
  );
  routes.put(
    '/api/support/care-categories',
    {
      preHandler: administrators,
      schema: {
        tags,
        summary: 'Replace the Customer Care categories',
        body: SaveCareCategoriesBody,
        response: { 200: CareCategoriesResponse },
      },
    },
    async (request) => saveCareCategories(contextOf(request), request.body),
  );
  routes.get(
    '/api/support/products',
    { preHandler: administrators, schema: { tags, summary: 'Technical Support products', response: { 200: ProductsResponse } } },
    async (request) => getProducts(contextOf(request)),
  );
  routes.put(
    '/api/support/products',
    {
      preHandler: administrators,
      schema: { tags, summary: 'Replace the Technical Support products', body: SaveProductsBody, response: { 200: ProductsResponse } },
    },
    async (request) => saveProducts(contextOf(request), request.body),
  );
  routes.get(
    '/api/support/sla-targets',
    { preHandler: administrators, schema: { tags, summary: 'First-response targets', response: { 200: SlaTargetsResponse } } },
    async (request) => getSlaTargets(contextOf(request)),
  );
  routes.put(
    '/api/support/sla-targets',
    {
      preHandler: administrators,
      schema: { tags, summary: 'Replace the first-response targets', body: SaveSlaTargetsBody, response: { 200: SlaTargetsResponse } },
    },
    async (request) => saveSlaTargets(contextOf(request), request.body),
  );
}
