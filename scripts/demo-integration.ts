import { ROLES, type Actor, type RoleValue } from '../common/permissions.js';
import type { ServiceContext } from '../server/lib/context.js';
import { generateApiKeysFor } from '../server/modules/api-keys/api-keys.service.js';
import { CONNECTORS } from '../server/modules/integrations/connectors/index.js';
import { createIntegration } from '../server/modules/integrations/integrations.service.js';

export interface DemoIntegrationSummary {
  integrationId: string;
  name: string;
  /** The contact whose API keys the integration uses. */
  keyOwner: string;
  baseUrl: string;
}

/** The vulnerabilities stream's interval; assets run at twice that. */
const DEMO_POLLING_MINUTES = 30;

/**
 * The demo's Tenable integration (issue 8): Bulwark reading its own Tenable-compatible API, as an
 * MSSP would read a customer's Tenable.io. API keys are generated for the source account's
 * highest-role contact (audited, as on the Users page); the integration is created through the
 * service (validated, secrets sealed with the master key, audited), owned by the demo's first
 * administrator, with no target account, so what it fetches goes to Signals only. Its streams are
 * due at once: the first run starts when Bulwark starts at `baseUrl` (the demo passes loopback). Null when the demo has no
 * administrator or the account no contact allowed to use the API.
 */
export async function seedDemoIntegration(
  services: Omit<ServiceContext, 'actor'>,
  source: { accountId: string; accountName: string; baseUrl: string },
): Promise<DemoIntegrationSummary | null> {
  const administrator = await services.db
    .selectFrom('users')
    .select(['id', 'username', 'is_support_agent'])
    .where('kind', '=', 'staff')
    .where('role', '=', ROLES.administrator)
    .where('is_disabled', '=', false)
    .orderBy('created_at')
    .orderBy('username')
    .executeTakeFirst();
  if (!administrator) return null;
  const actor: Actor = {
    userId: administrator.id,
    username: administrator.username,
    kind: 'staff',
    role: ROLES.administrator as RoleValue,
    isSupportAgent: administrator.is_support_agent,
    canManageCases: false,
    isPrimaryContact: false,
    assignedAccountIds: [],
  };
  const ctx: ServiceContext = { ...services, actor };
  const owner = await ctx.db
    .selectFrom('users')
    .selectAll()
    .where('kind', '=', 'contact')
    .where('account_id', '=', source.accountId)
    .where('is_disabled', '=', false)
    .where('role', '>=', ROLES.standard)
    .orderBy('role', 'desc')
    .orderBy('username')
    .executeTakeFirst();
  if (!owner) return null;
  const keys = await generateApiKeysFor(ctx, owner);
  const name = `Tenable: ${source.accountName}`.slice(0, 100);
  const integration = await createIntegration(ctx, CONNECTORS, {
    connector: 'signal-client.tenable',
    name,
    values: { fqdn: source.baseUrl, accessKey: keys.accessKey, secretKey: keys.secretKey },
    pollingIntervalMinutes: DEMO_POLLING_MINUTES,
    streamIntervals: {},
    enabled: true,
    targetAccountId: null,
  });
  return { integrationId: integration.id, name, keyOwner: owner.username, baseUrl: source.baseUrl };
}
