import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';

/** The SQL of webhook subscriptions and their outbox; Webhooks holds the rules. */

type Db = Kysely<Database> | Transaction<Database>;

const SUBSCRIPTION_COLUMNS = ['id', 'organisation_id', 'url', 'secret_nonce', 'secret_ciphertext', 'kinds', 'levels', 'cursor', 'created_at', 'disabled_at'] as const;

export async function insertSubscription(db: Db, s: { organisationId: number; url: string; nonce: Buffer; ciphertext: Buffer; kinds: string[] | null; levels: string[] | null; cursor: number }) {
  return db
    .insertInto('webhook_subscriptions')
    .values({ organisation_id: s.organisationId, url: s.url, secret_nonce: s.nonce, secret_ciphertext: s.ciphertext, kinds: s.kinds, levels: s.levels, cursor: s.cursor, disabled_at: null })
    .returning(SUBSCRIPTION_COLUMNS)
    .executeTakeFirstOrThrow();
}

export async function subscriptionsOf(db: Db, organisationId: number) {
  return db.selectFrom('webhook_subscriptions').select(SUBSCRIPTION_COLUMNS).where('organisation_id', '=', organisationId).orderBy('id').execute();
}

/**
 * Subscriptions that are delivered to: not disabled, of an organisation that is not disabled and still holds
 * a live key with webhooks:manage (revoking a partner's keys stops its webhooks too).
 */
export async function activeSubscriptions(db: Db) {
  return db
    .selectFrom('webhook_subscriptions as w')
    .innerJoin('organisations as o', 'o.id', 'w.organisation_id')
    .select(SUBSCRIPTION_COLUMNS.map((c) => `w.${c}` as const))
    .where('w.disabled_at', 'is', null)
    .where('o.disabled_at', 'is', null)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('partner_keys as k')
          .select('k.id')
          .whereRef('k.organisation_id', '=', 'w.organisation_id')
          .where('k.revoked_at', 'is', null)
          .where('k.expires_at', '>', new Date())
          .where(sql<boolean>`'webhooks:manage' = ANY(k.scopes)`),
      ),
    )
    .orderBy('w.id')
    .execute();
}

/** A subscription locked for the rest of the transaction (one node enqueues for it at a time); skipped when another holds it. */
export async function lockSubscription(trx: Transaction<Database>, id: number) {
  return trx.selectFrom('webhook_subscriptions').select(SUBSCRIPTION_COLUMNS).where('id', '=', id).where('disabled_at', 'is', null).forUpdate().skipLocked().executeTakeFirst();
}

export async function setCursor(db: Db, id: number, cursor: number): Promise<void> {
  await db.updateTable('webhook_subscriptions').set({ cursor }).where('id', '=', id).execute();
}

export async function disableSubscription(db: Db, id: number, organisationId: number): Promise<boolean> {
  const result = await db.updateTable('webhook_subscriptions').set({ disabled_at: new Date() }).where('id', '=', id).where('organisation_id', '=', organisationId).where('disabled_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Adds events to the outbox; one there already (a replay reset it) is left as it is. */
export async function enqueue(trx: Transaction<Database>, rows: { subscriptionId: number; seq: number; eventId: string; payload: string }[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO webhook_deliveries (subscription_id, seq, event_id, payload)
    SELECT * FROM unnest(${rows.map((r) => r.subscriptionId)}::bigint[], ${rows.map((r) => r.seq)}::bigint[], ${rows.map((r) => r.eventId)}::text[], ${rows.map((r) => r.payload)}::text[])
    ON CONFLICT (subscription_id, seq) DO NOTHING`.execute(trx);
}

/** A replay: the subscription's events after `fromSeq` are due again (with their ids), and its cursor goes back. */
export async function rewind(trx: Transaction<Database>, subscriptionId: number, fromSeq: number): Promise<void> {
  await trx
    .updateTable('webhook_deliveries')
    .set({ delivered_at: null, failed_at: null, attempts: 0, next_attempt_at: new Date(), created_at: new Date() })
    .where('subscription_id', '=', subscriptionId)
    .where('seq', '>', fromSeq)
    .execute();
  await trx.updateTable('webhook_subscriptions').set({ cursor: fromSeq }).where('id', '=', subscriptionId).execute();
}

/**
 * Claims up to `limit` due deliveries for `leaseMs`: their next attempt moves past the lease, so no other node
 * sends them meanwhile, and a node that dies while sending leaves them due again when the lease lapses.
 */
export async function claimDue(db: Db, leaseMs: number, limit: number) {
  const { rows } = await sql<{ subscription_id: number; seq: number; event_id: string; payload: string; attempts: number; created_at: Date }>`
    UPDATE webhook_deliveries d SET attempts = d.attempts + 1, next_attempt_at = now() + ${`${leaseMs} milliseconds`}::interval
    FROM (SELECT subscription_id, seq FROM webhook_deliveries WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
          ORDER BY next_attempt_at LIMIT ${limit} FOR UPDATE SKIP LOCKED) due
    WHERE d.subscription_id = due.subscription_id AND d.seq = due.seq
    RETURNING d.subscription_id, d.seq, d.event_id, d.payload, d.attempts, d.created_at`.execute(db);
  return rows;
}

/** Records a delivery's result, unless another claim of it came since (`attempts` moved on) or it is settled. */
export async function markDelivered(db: Db, subscriptionId: number, seq: number, attempts: number, status: number): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ delivered_at: new Date(), last_status: status })
    .where('subscription_id', '=', subscriptionId)
    .where('seq', '=', seq)
    .where('attempts', '=', attempts)
    .where('delivered_at', 'is', null)
    .execute();
}

export async function markRetry(db: Db, subscriptionId: number, seq: number, attempts: number, status: number | null, next: Date | null): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set(next === null ? { failed_at: new Date(), last_status: status } : { next_attempt_at: next, last_status: status })
    .where('subscription_id', '=', subscriptionId)
    .where('seq', '=', seq)
    .where('attempts', '=', attempts)
    .where('delivered_at', 'is', null)
    .execute();
}

/** A subscription's latest deliveries, newest first. */
export async function deliveriesOf(db: Db, subscriptionId: number, limit: number) {
  return db
    .selectFrom('webhook_deliveries')
    .select(['seq', 'event_id', 'created_at', 'attempts', 'next_attempt_at', 'delivered_at', 'failed_at', 'last_status'])
    .where('subscription_id', '=', subscriptionId)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}
