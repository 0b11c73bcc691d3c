import type { z } from 'zod';
import type { ErrorIssue } from '../../../common/errors.js';
import {
  RUN_ERROR_ADVICE,
  type ConnectorListResponse,
  type CreateIntegrationBody,
  type IntegrationListResponse,
  type IntegrationResponse,
  type ListLogsQuery,
  type ListRunsQuery,
  type LogListResponse,
  type PollNowResponse,
  type RunListResponse,
  type TestConnectionBody,
  type TestConnectionResponse,
  type UpdateIntegrationBody,
} from '../../../common/schemas/integrations.js';
import { QUEUES } from '../../jobs/job-queue.js';
import { AppError, validationFailed } from '../../lib/app-error.js';
import type { ServiceContext } from '../../lib/context.js';
import { recordAudit } from '../audit/audit.service.js';
import { ConnectorError, type ConnectorDefinition } from './connector.js';
import { openSecrets, redactSecrets, sealSecrets } from './integration-secrets.js';
import {
  accountExists,
  databaseNow,
  deleteIntegration,
  findIntegrationById,
  findIntegrations,
  findLastFinishedRuns,
  findLastSuccesses,
  findLogLines,
  findRunningStreams,
  findRuns,
  findStreams,
  insertIntegration,
  insertStreams,
  isIntegrationNameTaken,
  lockIntegration,
  scheduleStreams,
  setStreamInterval,
  stopRunningRuns,
  updateIntegration,
  type IntegrationChanges,
  type IntegrationListRow,
} from './integrations.repository.js';
import { presentConnector, presentIntegration, presentLogLine, presentRun } from './integrations.presenter.js';
import { abortLocalRuns, connectorEnvironment, logEndedRuns } from './runs.js';

type CreateInput = z.output<typeof CreateIntegrationBody>;
type UpdateInput = z.output<typeof UpdateIntegrationBody>;
type TestInput = z.output<typeof TestConnectionBody>;

/** What a Test Connection may take before it is answered as unreachable. */
const TEST_CONNECTION_TIMEOUT_MS = 30_000;

/** The job a worker runs: one stream of one integration (scheduler.ts). */
export interface IntegrationRunJob {
  integrationId: string;
  stream: string;
  trigger: 'schedule' | 'poll_now';
  /** ISO, the database's clock when the job was queued: a run started since then covers it (jobs queued before this field existed have none). */
  requestedAt?: string;
}

function actorIdOf(ctx: ServiceContext): string {
  if (!ctx.actor) throw new AppError('unauthenticated', 'Sign in first.');
  return ctx.actor.userId;
}

function connectorOf(connectors: readonly ConnectorDefinition[], id: string): ConnectorDefinition {
  const connector = connectors.find((candidate) => candidate.id === id);
  if (!connector) throw validationFailed([{ path: 'body.connector', message: 'Unknown connector.' }]);
  return connector;
}

const nameTaken = (name: string) => new AppError('conflict', `An integration named "${name}" already exists. Choose another name.`);

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}

interface CheckedValues {
  settings: Record<string, string>;
  secrets: Record<string, string>;
  issues: ErrorIssue[];
}

/**
 * The form's values checked against the connector's fields: unknown fields refused, required ones
 * present, then the connector's own checks. A secret left empty keeps its stored value; a text field
 * left out keeps its stored value (or, when creating, takes its default).
 */
function checkValues(
  connector: ConnectorDefinition,
  input: Record<string, string> | undefined,
  stored: { settings: Record<string, string | null>; secrets: Record<string, string> } | null,
): CheckedValues {
  const issues: ErrorIssue[] = [];
  const values = input ?? {};
  for (const name of Object.keys(values)) {
    if (!connector.fields.some((field) => field.name === name)) issues.push({ path: `body.values.${name}`, message: 'Unknown field.' });
  }
  const settings: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  const all: Record<string, string> = {};
  for (const field of connector.fields) {
    const given = values[field.name]?.trim();
    let value: string;
    if (field.kind === 'secret') value = given || (stored?.secrets[field.name] ?? '');
    else if (given !== undefined) value = given;
    else value = stored ? (stored.settings[field.name] ?? '') : (field.defaultValue ?? '');
    if (field.required && value === '') issues.push({ path: `body.values.${field.name}`, message: `Enter ${field.label}.` });
    if (value === '') continue;
    all[field.name] = value;
    if (field.kind === 'secret') secrets[field.name] = value;
    else settings[field.name] = value;
  }
  if (issues.length === 0) {
    for (const [name, message] of Object.entries(connector.validate(all))) issues.push({ path: `body.values.${name}`, message });
  }
  return { settings, secrets, issues };
}

/** Stream intervals: the Polling Interval sets the first stream, the others run at twice that unless set. */
function intervalsOf(
  connector: ConnectorDefinition,
  polling: number,
  explicit: Record<string, number>,
): { stream: string; intervalMinutes: number }[] {
  return connector.streams.map((stream, index) => ({
    stream: stream.name,
    intervalMinutes: index === 0 ? polling : (explicit[stream.name] ?? polling * 2),
  }));
}

function checkStreamNames(connector: ConnectorDefinition, intervals: Record<string, number> | undefined): ErrorIssue[] {
  return Object.keys(intervals ?? {})
    .filter((name) => !connector.streams.some((stream) => stream.name === name))
    .map((name) => ({ path: `body.streamIntervals.${name}`, message: 'Unknown stream.' }));
}

async function present(
  ctx: ServiceContext,
  connectors: readonly ConnectorDefinition[],
  rows: IntegrationListRow[],
): Promise<IntegrationResponse[]> {
  const ids = rows.map((row) => row.id);
  const [streams, lastFinished, lastSuccesses, running] = [
    await findStreams(ctx.db, ids),
    await findLastFinishedRuns(ctx.db, ids),
    await findLastSuccesses(ctx.db, ids),
    await findRunningStreams(ctx.db, ids),
  ];
  const now = new Date();
  return rows.map((row) =>
    presentIntegration(
      row,
      openSecrets(ctx.config.secrets.masterKey, row.secrets),
      connectors.find((connector) => connector.id === row.connector),
      { streams, lastFinished, lastSuccesses, running },
      now,
    ),
  );
}

async function requireIntegration(ctx: ServiceContext, id: string): Promise<IntegrationListRow> {
  const row = await findIntegrationById(ctx.db, id);
  if (!row) throw new AppError('not_found', 'Integration not found.');
  return row;
}

export function listConnectors(connectors: readonly ConnectorDefinition[]): ConnectorListResponse {
  return { connectors: connectors.map(presentConnector) };
}

export async function listIntegrations(ctx: ServiceContext, connectors: readonly ConnectorDefinition[]): Promise<IntegrationListResponse> {
  return { integrations: await present(ctx, connectors, await findIntegrations(ctx.db)) };
}

export async function getIntegration(
  ctx: ServiceContext,
  connectors: readonly ConnectorDefinition[],
  id: string,
): Promise<IntegrationResponse> {
  const [integration] = await present(ctx, connectors, [await requireIntegration(ctx, id)]);
  if (!integration) throw new AppError('not_found', 'Integration not found.');
  return integration;
}

/** Creates an integration; enabled, every stream is due at once, so the first data arrives within one interval. */
export async function createIntegration(
  ctx: ServiceContext,
  connectors: readonly ConnectorDefinition[],
  body: CreateInput,
): Promise<IntegrationResponse> {
  const ownerUserId = actorIdOf(ctx);
  const connector = connectorOf(connectors, body.connector);
  const checked = checkValues(connector, body.values, null);
  const issues = [...checked.issues, ...checkStreamNames(connector, body.streamIntervals)];
  if (body.targetAccountId && !(await accountExists(ctx.db, body.targetAccountId))) {
    issues.push({ path: 'body.targetAccountId', message: 'Select an existing customer account.' });
  }
  if (issues.length > 0) throw validationFailed(issues);
  const streams = intervalsOf(connector, body.pollingIntervalMinutes, body.streamIntervals);
  let id: string;
  try {
    id = await ctx.db.transaction().execute(async (trx) => {
      if (await isIntegrationNameTaken(trx, body.name, null)) throw nameTaken(body.name);
      const integrationId = await insertIntegration(trx, {
        connector: connector.id,
        name: body.name,
        settings: checked.settings,
        secrets: sealSecrets(ctx.config.secrets.masterKey, checked.secrets),
        enabled: body.enabled,
        targetAccountId: body.targetAccountId,
        ownerUserId,
      });
      await insertStreams(trx, integrationId, streams, body.enabled);
      await recordAudit(
        { ...ctx, db: trx },
        {
          action: 'integration.created',
          targetType: 'integration',
          targetId: integrationId,
          accountId: body.targetAccountId,
          details: {
            name: body.name,
            connector: connector.id,
            enabled: body.enabled,
            targetAccountId: body.targetAccountId,
            intervals: Object.fromEntries(streams.map((stream) => [stream.stream, stream.intervalMinutes])),
            // Which secret fields were set, never their values.
            secretFields: Object.keys(checked.secrets),
          },
        },
      );
      return integrationId;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nameTaken(body.name);
    throw error;
  }
  return getIntegration(ctx, connectors, id);
}

/** Ends the integration's running runs (on every node: the others notice at their next heartbeat). */
async function stopRuns(
  ctx: ServiceContext,
  connectors: readonly ConnectorDefinition[],
  row: { id: string; connector: string },
): Promise<void> {
  abortLocalRuns(row.id);
  const stopped = await stopRunningRuns(ctx.db, row.id, 'cancelled', 'The integration was disabled while the run was in progress.');
  await logEndedRuns(ctx, connectors, stopped, async () => row.connector);
}

/**
 * Changes an integration. Audited per kind of change: enabled or disabled, secrets changed (the
 * names of the secret fields only), and updated (the names of the other changed fields).
 */
export async function updateIntegrationSettings(
  ctx: ServiceContext,
  connectors: readonly ConnectorDefinition[],
  id: string,
  body: UpdateInput,
): Promise<IntegrationResponse> {
  actorIdOf(ctx);
  const current = await requireIntegration(ctx, id);
  const connector = connectorOf(connectors, current.connector);
  const storedSecrets = openSecrets(ctx.config.secrets.masterKey, current.secrets);
  const checked = checkValues(connector, body.values, { settings: current.settings, secrets: storedSecrets });
  const issues = [...checked.issues, ...checkStreamNames(connector, body.streamIntervals)];
  if (body.targetAccountId && body.targetAccountId !== current.target_account_id && !(await accountExists(ctx.db, body.targetAccountId))) {
    issues.push({ path: 'body.targetAccountId', message: 'Select an existing customer account.' });
  }
  if (issues.length > 0) throw validationFailed(issues);

  const changes: IntegrationChanges = {};
  const changedFields: string[] = [];
  if (body.name !== undefined && body.name !== current.name) {
    changes.name = body.name;
    changedFields.push('name');
  }
  const changedSettings = connector.fields
    .filter((field) => field.kind !== 'secret' && (checked.settings[field.name] ?? '') !== (current.settings[field.name] ?? ''))
    .map((field) => field.name);
  if (changedSettings.length > 0) {
    changes.settings = checked.settings;
    changedFields.push(...changedSettings.map((name) => `values.${name}`));
  }
  const changedSecrets = connector.fields
    .filter((field) => field.kind === 'secret' && (checked.secrets[field.name] ?? '') !== (storedSecrets[field.name] ?? ''))
    .map((field) => field.name);
  if (changedSecrets.length > 0) changes.secrets = sealSecrets(ctx.config.secrets.masterKey, checked.secrets);
  if (body.targetAccountId !== undefined && body.targetAccountId !== current.target_account_id) {
    changes.targetAccountId = body.targetAccountId;
    changedFields.push('targetAccountId');
  }
  const isEnabledChanged = body.enabled !== undefined && body.enabled !== current.enabled;
  if (isEnabledChanged) changes.enabled = body.enabled;

  const streams = await findStreams(ctx.db, [id]);
  const intervalOf = (name: string) => streams.find((stream) => stream.stream === name)?.interval_minutes;
  const firstStream = connector.streams[0]?.name;
  const oldPolling = firstStream ? intervalOf(firstStream) : undefined;
  const newIntervals: { stream: string; intervalMinutes: number }[] = [];
  connector.streams.forEach((stream, index) => {
    const currentInterval = intervalOf(stream.name);
    let next = currentInterval;
    if (index === 0) next = body.pollingIntervalMinutes ?? currentInterval;
    else if (body.streamIntervals?.[stream.name] !== undefined) next = body.streamIntervals[stream.name];
    // A stream still at the default (twice the Polling Interval) follows a new Polling Interval.
    else if (body.pollingIntervalMinutes !== undefined && oldPolling !== undefined && currentInterval === oldPolling * 2) {
      next = body.pollingIntervalMinutes * 2;
    }
    if (next !== undefined && next !== currentInterval) newIntervals.push({ stream: stream.name, intervalMinutes: next });
  });
  for (const interval of newIntervals) changedFields.push(`intervals.${interval.stream}`);

  try {
    await ctx.db.transaction().execute(async (trx) => {
      if (!(await lockIntegration(trx, id))) throw new AppError('not_found', 'Integration not found.');
      if (changes.name && (await isIntegrationNameTaken(trx, changes.name, id))) throw nameTaken(changes.name);
      if (Object.keys(changes).length > 0 || newIntervals.length > 0) await updateIntegration(trx, id, changes);
      for (const interval of newIntervals) await setStreamInterval(trx, id, interval.stream, interval.intervalMinutes);
      if (isEnabledChanged) await scheduleStreams(trx, id, body.enabled === true);
      const audit = { ...ctx, db: trx };
      const target = { targetType: 'integration', targetId: id, accountId: changes.targetAccountId ?? current.target_account_id };
      if (changedFields.length > 0) {
        await recordAudit(audit, {
          action: 'integration.updated',
          ...target,
          details: { name: changes.name ?? current.name, changedFields },
        });
      }
      if (changedSecrets.length > 0) {
        await recordAudit(audit, {
          action: 'integration.secrets_changed',
          ...target,
          details: { name: current.name, fields: changedSecrets },
        });
      }
      if (isEnabledChanged) {
        await recordAudit(audit, {
          action: body.enabled ? 'integration.enabled' : 'integration.disabled',
          ...target,
          details: { name: changes.name ?? current.name },
        });
      }
    });
  } catch (error) {
    if (isUniqueViolation(error) && changes.name) throw nameTaken(changes.name);
    throw error;
  }
  if (isEnabledChanged && body.enabled === false) await stopRuns(ctx, connectors, current);
  return getIntegration(ctx, connectors, id);
}

export async function deleteIntegrationById(ctx: ServiceContext, id: string): Promise<void> {
  actorIdOf(ctx);
  const current = await requireIntegration(ctx, id);
  abortLocalRuns(id);
  await ctx.db.transaction().execute(async (trx) => {
    await deleteIntegration(trx, id);
    await recordAudit(
      { ...ctx, db: trx },
      {
        action: 'integration.deleted',
        targetType: 'integration',
        targetId: id,
        accountId: current.target_account_id,
        details: { name: current.name, connector: current.connector },
      },
    );
  });
}

/**
 * Tries the form's values against the source with one cheap request. A saved integration's stored
 * secrets fill the secret fields left empty. Answers the outcome (never throws for the source's
 * failures) and audits that a test ran, without any value.
 */
export async function testConnection(
  ctx: ServiceContext,
  connectors: readonly ConnectorDefinition[],
  body: TestInput,
): Promise<TestConnectionResponse> {
  actorIdOf(ctx);
  const connector = connectorOf(connectors, body.connector);
  let stored: { settings: Record<string, string | null>; secrets: Record<string, string> } | null = null;
  if (body.integrationId) {
    const integration = await requireIntegration(ctx, body.integrationId);
    if (integration.connector !== connector.id)
      throw validationFailed([{ path: 'body.connector', message: 'This is not the connector of that integration.' }]);
    stored = { settings: {}, secrets: openSecrets(ctx.config.secrets.masterKey, integration.secrets) };
  }
  const checked = checkValues(connector, body.values, stored);
  if (checked.issues.length > 0) throw validationFailed(checked.issues);
  const values = { ...checked.settings, ...checked.secrets };
  const redact = (text: string) => redactSecrets(text, checked.secrets);
  const fields = { integrationId: body.integrationId, connector: connector.id };
  let result: TestConnectionResponse;
  try {
    const { message } = await connector.testConnection({
      ...connectorEnvironment(ctx, fields, redact),
      values,
      signal: AbortSignal.timeout(TEST_CONNECTION_TIMEOUT_MS),
    });
    result = { ok: true, message: redact(message), error: null };
  } catch (error) {
    const kind = error instanceof ConnectorError ? error.kind : 'internal';
    if (!(error instanceof ConnectorError)) ctx.log.error({ ...fields, err: error }, 'test connection failed with an internal error');
    const message = error instanceof ConnectorError ? redact(error.message) : 'Bulwark failed while testing the connection.';
    result = { ok: false, message, error: { kind, ...RUN_ERROR_ADVICE[kind] } };
  }
  await recordAudit(ctx, {
    action: 'integration.tested',
    outcome: result.ok ? 'success' : 'failure',
    targetType: body.integrationId ? 'integration' : 'connector',
    targetId: body.integrationId ?? connector.id,
    details: { connector: connector.id, ok: result.ok, errorKind: result.error?.kind ?? null },
  });
  return result;
}

/**
 * Queues a run of every stream not already running; the engine refuses a second live run anyway,
 * and skips a queued one once a run started after it was queued (so pressing it twice runs once).
 */
export async function pollNow(ctx: ServiceContext, connectors: readonly ConnectorDefinition[], id: string): Promise<PollNowResponse> {
  actorIdOf(ctx);
  const integration = await requireIntegration(ctx, id);
  if (!integration.enabled) throw new AppError('conflict', `${integration.name} is disabled: enable it before polling it.`);
  const connector = connectors.find((candidate) => candidate.id === integration.connector);
  const running = await findRunningStreams(ctx.db, [id]);
  const queued = (connector?.streams ?? []).map((stream) => stream.name).filter((stream) => !running.some((run) => run.stream === stream));
  const requestedAt = (await databaseNow(ctx.db)).toISOString();
  for (const stream of queued) {
    const job: IntegrationRunJob = { integrationId: id, stream, trigger: 'poll_now', requestedAt };
    await ctx.jobs.send(QUEUES.integrationRun, job);
  }
  await recordAudit(ctx, {
    action: 'integration.poll_now',
    targetType: 'integration',
    targetId: id,
    accountId: integration.target_account_id,
    details: { name: integration.name, queued, alreadyRunning: running.map((run) => run.stream) },
  });
  return { queued };
}

export async function listRuns(ctx: ServiceContext, id: string, query: z.output<typeof ListRunsQuery>): Promise<RunListResponse> {
  await requireIntegration(ctx, id);
  const { rows, total } = await findRuns(ctx.db, id, query);
  return { runs: rows.map(presentRun), total };
}

export async function listLogLines(ctx: ServiceContext, id: string, query: z.output<typeof ListLogsQuery>): Promise<LogListResponse> {
  await requireIntegration(ctx, id);
  return { lines: (await findLogLines(ctx.db, id, query)).map(presentLogLine) };
}
