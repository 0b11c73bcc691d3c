import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ConnectorRecord } from './connector.js';

export interface MergeSource {
  integrationName: string;
  observedAt: Date;
}

export interface MergeResult {
  assetsCreated: number;
  assetsUpdated: number;
  findingsCreated: number;
  findingsUpdated: number;
}

/**
 * Merges fetched records into a customer account's instance inside the caller's transaction:
 * assets matched by the import's identity rule (imports/asset-identity.ts) or created, plugins
 * upserted, findings upserted with the state and dates the source reports.
 */
export async function mergeIntoInstance(
  trx: Transaction<Database>,
  accountId: string,
  records: readonly ConnectorRecord[],
  source: MergeSource,
): Promise<MergeResult> {
  void trx;
  void accountId;
  void records;
  void source;
  throw new Error('mergeIntoInstance: not built yet');
}
