import { createHmac } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { AuditVerification } from './audit.types.js';
import { openDetails, personalFields, sealDetails, sealedKeyIds, subjectWrapKey } from './audit-crypto.js';
import { destroySubjectKeys, liveSubjectKey, subjectKeysById } from './audit-subject-keys.repository.js';

export type { AuditProblem, AuditVerification } from './audit.types.js';

const AUDIT_LOCK = 7_261_002;
const GENESIS: Buffer = Buffer.alloc(32);

export interface AuditEntry {
  /** Who: `user:alice`, `cli`, `system`. Never a reporter. */
  actor: string;
  /** What: `indicator.decide`, `contact.read`, ... */
  action: string;
  /** On what: an entry, a report reference, a user name. */
  subject: string;
  /** Its personal fields (audit-crypto.ts's PERSONAL_FIELDS) are stored encrypted under the subject's key. */
  details: Record<string, unknown>;
  /**
   * Whose key seals the personal fields, when not the subject's: a contact read's reason ("calling Mr Chan
   * back") is sealed under its contact's own key (contactKeySubject), so that it is shredded when the contact
   * is deleted, while the row stays about its report.
   */
  keySubject?: string;
}

/** The audit key subject of a report's or a dispute's contact details (retention shreds it with them). */
export function contactKeySubject(reference: string): string {
  return `contact:${reference}`;
}

const wrapKeys = new WeakMap<Buffer, Buffer>();
/** The subject-key wrapping key of an audit key, derived once per key. */
function wrapKeyOf(auditKey: Buffer): Buffer {
  let wrapKey = wrapKeys.get(auditKey);
  if (wrapKey === undefined) wrapKeys.set(auditKey, (wrapKey = subjectWrapKey(auditKey)));
  return wrapKey;
}

/** JSON with keys sorted at every level: jsonb reorders keys, so the hash must not depend on order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * A row's link in the chain: HMAC over the previous link and the row's content. The sequence number is left
 * out on purpose: a row moved to another position then shows as out of order (its link no longer follows
 * its predecessor) rather than as altered.
 */
export function chainHash(key: Buffer, prev: Buffer, at: Date, entry: AuditEntry): Buffer {
  return createHmac('sha256', key)
    .update(prev)
    .update(stableJson([at.toISOString(), entry.actor, entry.action, entry.subject, entry.details]))
    .digest();
}

/**
 * Appends one row, chained to the last, inside the caller's transaction (rows are numbered without gaps).
 * Personal fields of the details are encrypted under the subject's key (created on first use) before the
 * row is chained: the chain covers what is stored, so verifying needs no subject key and still works once
 * one is shredded.
 */
export async function appendAudit(trx: Transaction<Database>, key: Buffer, entry: AuditEntry, at = new Date()): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const seq = (last?.seq ?? 0) + 1;
  const prev = last?.hash ?? GENESIS;
  let stored = entry.details;
  if (personalFields(entry.details).length > 0) {
    const subjectKey = await liveSubjectKey(trx, wrapKeyOf(key), entry.keySubject ?? entry.subject);
    stored = sealDetails(entry.details, entry.subject, subjectKey.key, subjectKey.id);
  }
  const details = JSON.parse(stableJson(stored)) as Record<string, unknown>;
  await trx
    .insertInto('audit_log')
    .values({ seq, at, actor: entry.actor, action: entry.action, subject: entry.subject, details: JSON.stringify(details), prev_hash: prev, hash: chainHash(key, prev, at, { ...entry, details }) })
    .execute();
  return seq;
}

/**
 * Crypto-shredding: destroys the keys of `subject`, so that the personal fields of its audit rows read as
 * erased for good, and appends an `audit.shred` row saying so (its details: how many keys, nothing
 * personal). The rows themselves stay and the chain still verifies. In the caller's transaction, under the
 * audit lock (an append about the subject waits, then makes a new key). Returns the number of keys destroyed
 * (0: the subject had none, as when no personal field was ever written about it).
 */
export async function shredSubject(trx: Transaction<Database>, key: Buffer, subject: string, actor = 'system'): Promise<number> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const destroyed = await destroySubjectKeys(trx, [subject]);
  await appendAudit(trx, key, { actor, action: 'audit.shred', subject, details: { keys: destroyed.length } });
  return destroyed.length;
}

/**
 * Destroys the keys of many subjects at once with one audit row (a retention run's expired contacts):
 * shredSubject's row per subject would name each in the log. Returns the keys destroyed.
 */
export async function shredSubjects(trx: Transaction<Database>, key: Buffer, subjects: readonly string[], why: string, actor = 'system'): Promise<number> {
  if (subjects.length === 0) return 0;
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`.execute(trx);
  const destroyed = (await destroySubjectKeys(trx, subjects)).length;
  if (destroyed > 0) await appendAudit(trx, key, { actor, action: 'audit.shred', subject: why, details: { keys: destroyed } });
  return destroyed;
}

/**
 * Audit rows as readers see them (the console's audit page, an indicator's history): each personal field
 * decrypted under its subject key, or ERASED (audit-crypto.ts) when that key was shredded. Rows written
 * before migration 022 hold their fields in clear and are returned as they are.
 */
export async function readableAuditRows<T extends { subject: string; details: unknown }>(db: Kysely<Database>, key: Buffer, rows: T[]): Promise<T[]> {
  const ids = rows.flatMap((r) => sealedKeyIds(r.details));
  if (ids.length === 0) return rows;
  const found = await subjectKeysById(db, wrapKeyOf(key), ids);
  const keys = new Map([...found].map(([id, k]) => [id, k.key]));
  return rows.map((r) => ({ ...r, details: openDetails(r.details, r.subject, keys) }));
}

/** A walk along the chain: what verifyAudit saw. */
export interface ChainWalk extends AuditVerification {
  /** The last row walked and its link: what a checkpoint signs (seq 0 and zero bytes for an empty log). */
  head: { seq: number; hash: Buffer };
  /** The link at row `options.mark`, if the walk reached it. */
  marked: Buffer | null;
}

export interface WalkOptions {
  /** Start after this row, whose link is known (a checked checkpoint): only the rows after it are walked. */
  after?: { seq: number; hash: Buffer };
  /** A row whose link to report (a checkpoint's length). */
  mark?: number;
  pageSize?: number;
}

/**
 * Walks the chain in sequence order and names the first row that was altered, removed or moved. `rows`
 * counts the rows walked (all of them without `after`).
 */
export async function verifyAudit(db: Kysely<Database>, key: Buffer, options: WalkOptions = {}): Promise<ChainWalk> {
  const pageSize = options.pageSize ?? 5000;
  let prev: Buffer = options.after?.hash ?? GENESIS;
  let expected = (options.after?.seq ?? 0) + 1;
  let rows = 0;
  let marked: Buffer | null = options.mark === expected - 1 ? prev : null;
  const walk = (broken: AuditVerification['broken']): ChainWalk => ({ rows, broken, head: { seq: expected - 1, hash: prev }, marked });
  for (;;) {
    const page = await db.selectFrom('audit_log').selectAll().where('seq', '>=', expected).orderBy('seq').limit(pageSize).execute();
    for (const row of page) {
      rows++;
      const entry = { actor: row.actor, action: row.action, subject: row.subject, details: row.details as Record<string, unknown> };
      if (!chainHash(key, row.prev_hash, row.at, entry).equals(row.hash)) {
        return walk({ seq: row.seq, problem: 'altered', detail: `row ${row.seq} does not match its own hash: its content was changed` });
      }
      if (!row.prev_hash.equals(prev)) {
        if (row.seq > expected) {
          return walk({ seq: expected, problem: 'removed', detail: `rows ${expected}..${row.seq - 1} are missing` });
        }
        return walk({ seq: row.seq, problem: 'out_of_order', detail: `row ${row.seq} does not follow row ${row.seq - 1}: rows were moved or inserted` });
      }
      if (row.seq !== expected) {
        return walk({ seq: expected, problem: 'removed', detail: `row ${expected} is missing` });
      }
      prev = row.hash;
      if (row.seq === options.mark) marked = row.hash;
      expected = row.seq + 1;
    }
    if (page.length < pageSize) return walk(null);
  }
}

/** The link stored at row `seq` (zero bytes for 0, the empty log), or null when there is no such row. */
export async function auditLinkAt(db: Kysely<Database>, seq: number): Promise<Buffer | null> {
  if (seq === 0) return GENESIS;
  const row = await db.selectFrom('audit_log').select('hash').where('seq', '=', seq).executeTakeFirst();
  return row?.hash ?? null;
}

/** The log's length: its last row's number (rows are numbered from 1 without gaps while it is whole). */
export async function auditLength(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('audit_log').select((eb) => eb.fn.max('seq').as('last')).executeTakeFirst();
  return Number(row?.last ?? 0);
}

/** Audit rows after `seq`, oldest first, a page at a time. */
export async function auditRowsAfter(db: Kysely<Database>, seq: number, limit: number): Promise<{ seq: number; at: Date; actor: string; action: string; subject: string; details: unknown }[]> {
  return db.selectFrom('audit_log').select(['seq', 'at', 'actor', 'action', 'subject', 'details']).where('seq', '>', seq).orderBy('seq').limit(limit).execute();
}
