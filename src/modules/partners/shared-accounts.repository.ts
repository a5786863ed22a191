import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';

/** The SQL of accounts banks share with each other (FINEST); SharedAccounts holds the rules. */

type Db = Kysely<Database> | Transaction<Database>;

export interface SharedAccountRow {
  entry: string;
  kind: string;
  reason: string;
  confidence: string;
  amount: string | null;
  currency: string | null;
}

/** The advisory lock that orders shared-account changes (beside the change log's 7_261_001, the audit log's 7_261_002, users' 7_261_003). */
const SHARED_ACCOUNTS_LOCK = 7_261_004;

/**
 * Takes the shared-accounts lock for the rest of the transaction: rows get their `seq` in commit order, so a
 * node that has read up to a `seq` never meets a smaller one committed later.
 */
export async function lockSharedAccounts(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${SHARED_ACCOUNTS_LOCK})`.execute(trx);
}

/** Shares (or shares again, renewing) accounts of one organisation; returns how many rows changed. */
export async function upsertShared(trx: Transaction<Database>, organisationId: number, rows: SharedAccountRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await sql`
    INSERT INTO shared_accounts (organisation_id, entry, kind, reason, confidence, amount, currency)
    SELECT ${organisationId}::bigint, * FROM unnest(${rows.map((r) => r.entry)}::text[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.reason)}::text[],
      ${rows.map((r) => r.confidence)}::text[], ${rows.map((r) => r.amount)}::numeric[], ${rows.map((r) => r.currency)}::text[])
    ON CONFLICT (organisation_id, entry) DO UPDATE SET kind = excluded.kind, reason = excluded.reason, confidence = excluded.confidence,
      amount = excluded.amount, currency = excluded.currency, shared_at = now(), withdrawn_at = NULL, seq = nextval('shared_accounts_seq')`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** Withdraws an organisation's shares of these entries; returns how many were live. */
export async function withdrawShared(trx: Transaction<Database>, organisationId: number, entries: string[]): Promise<number> {
  if (entries.length === 0) return 0;
  const result = await trx
    .updateTable('shared_accounts')
    .set({ withdrawn_at: new Date(), seq: sql`nextval('shared_accounts_seq')` })
    .where('organisation_id', '=', organisationId)
    .where('entry', 'in', entries)
    .where('withdrawn_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Shares changed after `seq`, oldest first: what a node's copy applies. */
export async function sharedSince(db: Db, seq: number, limit: number) {
  return db
    .selectFrom('shared_accounts')
    .select(['organisation_id', 'entry', 'withdrawn_at', 'seq'])
    .where('seq', '>', seq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/** One organisation's live shares, newest first (its own list; never another bank's). */
export async function sharedBy(db: Db, organisationId: number, limit: number, after?: number) {
  let query = db
    .selectFrom('shared_accounts')
    .select(['entry', 'kind', 'reason', 'confidence', 'amount', 'currency', 'shared_at', 'seq'])
    .where('organisation_id', '=', organisationId)
    .where('withdrawn_at', 'is', null)
    .orderBy('seq', 'desc')
    .limit(limit);
  if (after !== undefined) query = query.where('seq', '<', after);
  return query.execute();
}
