import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ConnectorRecord } from '../integrations/connector.js';

export interface StoreArtifactsInput {
  integration: { id: string; name: string };
  stream: string;
  /** The integration's target account, or null. */
  accountId: string | null;
  observedAt: Date;
  records: readonly ConnectorRecord[];
}

export interface StoreArtifactsResult {
  stored: number;
  duplicates: number;
  /** The records that were new (not already stored under their fingerprint), in input order. */
  newRecords: ConnectorRecord[];
}

/**
 * Stores one chunk's records as signal artifacts inside the caller's transaction: one artifact
 * per (integration, fingerprint), so a record fetched again by an overlapping window is a duplicate.
 */
export async function storeSignalArtifacts(trx: Transaction<Database>, input: StoreArtifactsInput): Promise<StoreArtifactsResult> {
  void trx;
  void input;
  throw new Error('storeSignalArtifacts: not built yet');
}
