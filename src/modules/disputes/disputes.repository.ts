import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { IndicatorKind } from '../indicators/index.js';
import type { ClaimantRole, DisputeCount, DisputeRequest, DisputeStatus, StoredDispute } from './disputes.types.js';

/** A new dispute, ready to store (contact encrypted, token hashed). */
export interface NewDisputeRow {
  reference: string;
  request: DisputeRequest;
  key: string;
  kind: IndicatorKind;
  canonical: string;
  levelAtSubmission: string;
  role: ClaimantRole;
  organisation: string | null;
  explanation: string;
  evidence: string;
  links: string[];
  contact: { nonce: Buffer; ciphertext: Buffer };
  statusTokenHash: Buffer;
  receivedAt: Date;
}

/** A stored dispute with what only the service may read: the contact's ciphertext and the token's hash. */
export interface DisputeSecrets {
  statusTokenHash: Buffer;
  contactNonce: Buffer;
  contactCiphertext: Buffer;
}

const COLUMNS = [
  'reference', 'request', 'indicator_key', 'kind', 'canonical', 'level_at_submission', 'claimant_role', 'organisation', 'explanation', 'evidence',
  'evidence_links', 'status', 'decided_by', 'decision_reason', 'decided_at', 'received_at',
] as const;

type Row = Pick<Selectable<Database['disputes']>, (typeof COLUMNS)[number]>;

function fromRow(row: Row): StoredDispute {
  return {
    reference: row.reference,
    request: row.request as DisputeRequest,
    key: row.indicator_key,
    kind: row.kind as IndicatorKind,
    canonical: row.canonical,
    levelAtSubmission: row.level_at_submission,
    role: row.claimant_role as ClaimantRole,
    organisation: row.organisation,
    explanation: row.explanation,
    evidence: row.evidence,
    links: row.evidence_links,
    status: row.status as DisputeStatus,
    decidedBy: row.decided_by,
    decisionReason: row.decision_reason,
    decidedAt: row.decided_at,
    receivedAt: row.received_at,
  };
}

/**
 * Stores a dispute unless its value has `maxOpen` open disputes already (false then). One transaction, with a
 * lock on the value's key, so that concurrent submissions cannot pass the cap together.
 */
export async function insertDispute(db: Kysely<Database>, row: NewDisputeRow, maxOpen: number): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${`dispute:${row.key}`}, 0))`.execute(trx);
    const open = await trx.selectFrom('disputes').select(trx.fn.countAll().as('n')).where('indicator_key', '=', row.key).where('status', '=', 'open').executeTakeFirstOrThrow();
    if (Number(open.n) >= maxOpen) return false;
    await trx
      .insertInto('disputes')
      .values({
        reference: row.reference,
        request: row.request,
        indicator_key: row.key,
        kind: row.kind,
        canonical: row.canonical,
        level_at_submission: row.levelAtSubmission,
        claimant_role: row.role,
        organisation: row.organisation,
        explanation: row.explanation,
        evidence: row.evidence,
        evidence_links: JSON.stringify(row.links),
        contact_nonce: row.contact.nonce,
        contact_ciphertext: row.contact.ciphertext,
        status_token_hash: row.statusTokenHash,
        received_at: row.receivedAt,
      })
      .execute();
    return true;
  });
}

/** One dispute by its reference, with its secrets; null when there is none. */
export async function findDispute(db: Kysely<Database> | Transaction<Database>, reference: string): Promise<(StoredDispute & DisputeSecrets) | null> {
  const row = await db
    .selectFrom('disputes')
    .select([...COLUMNS, 'status_token_hash', 'contact_nonce', 'contact_ciphertext'])
    .where('reference', '=', reference)
    .executeTakeFirst();
  if (row === undefined) return null;
  return { ...fromRow(row), statusTokenHash: row.status_token_hash, contactNonce: row.contact_nonce, contactCiphertext: row.contact_ciphertext };
}

/** Which disputes the queue shows. */
export type QueueFilter = 'open' | 'decided' | 'all';

/** The queue: open disputes first, the longest waiting first; then decided ones, the latest first. */
export async function listDisputes(db: Kysely<Database>, filter: QueueFilter, limit: number, offset: number): Promise<{ disputes: StoredDispute[]; total: number }> {
  let query = db.selectFrom('disputes');
  if (filter === 'open') query = query.where('status', '=', 'open');
  if (filter === 'decided') query = query.where('status', '<>', 'open');
  const [rows, total] = await Promise.all([
    query
      .select([...COLUMNS])
      .orderBy(sql`status <> 'open'`)
      .orderBy(sql`CASE WHEN status = 'open' THEN received_at END`, 'asc')
      .orderBy('decided_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .offset(offset)
      .execute(),
    query.select(db.fn.countAll().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { disputes: rows.map(fromRow), total: Number(total.n) };
}

/** Records an officer's decision on an open dispute; false when it was not open (decided meanwhile). */
export async function recordDecision(trx: Transaction<Database>, reference: string, decision: { status: DisputeStatus; actor: string; reason: string; at: Date }): Promise<boolean> {
  const result = await trx
    .updateTable('disputes')
    .set({ status: decision.status, decided_by: decision.actor, decision_reason: decision.reason, decided_at: decision.at })
    .where('reference', '=', reference)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Disputes received per month (UTC) by request, indicator kind and current status, oldest month first; from
 * `since` on when given. For the transparency report: counts only, no values, no people.
 */
export async function disputeCounts(db: Kysely<Database>, since?: Date, until?: Date): Promise<DisputeCount[]> {
  let query = db
    .selectFrom('disputes')
    .select([sql<string>`to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM')`.as('month'), 'request', 'kind', 'status', db.fn.countAll().as('n')]);
  if (since !== undefined) query = query.where('received_at', '>=', since);
  if (until !== undefined) query = query.where('received_at', '<', until);
  const rows = await query.groupBy(['month', 'request', 'kind', 'status']).orderBy('month').orderBy('request').orderBy('kind').orderBy('status').execute();
  return rows.map((r) => ({ month: r.month, request: r.request as DisputeRequest, kind: r.kind as IndicatorKind, status: r.status as DisputeStatus, count: Number(r.n) }));
}
