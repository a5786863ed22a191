import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';

type Trx = Transaction<Database>;

/** Reports under a legal hold in force on `today` (YYYY-MM-DD): retention leaves them whole. */
const HELD = (today: string) => sql`SELECT report_id FROM legal_holds WHERE lifted_at IS NULL AND until >= ${today}::date`;

/** Contacts of reports closed before `cutoff`, not held: deleted (or counted, for a dry run). */
export async function expiredContacts(trx: Trx, cutoff: Date, today: string, dryRun: boolean): Promise<{ count: number; references: string[] }> {
  const where = sql`rc.report_id = r.id AND r.status = 'closed' AND r.status_changed_at < ${cutoff} AND r.id NOT IN (${HELD(today)})`;
  if (dryRun) {
    const counted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM reporter_contacts rc JOIN reports r ON ${where}`.execute(trx);
    return { count: counted.rows[0]?.n ?? 0, references: [] };
  }
  const gone = await sql<{ reference: string }>`DELETE FROM reporter_contacts rc USING reports r WHERE ${where} RETURNING r.reference`.execute(trx);
  return { count: gone.rows.length, references: gone.rows.map((r) => r.reference) };
}

/** Narratives of reports received before `cutoff`, not held: emptied (their indicators and counts stay). */
export async function expiredNarratives(trx: Trx, cutoff: Date, today: string, now: Date, dryRun: boolean): Promise<number> {
  const where = sql`received_at < ${cutoff} AND narrative <> '' AND id NOT IN (${HELD(today)})`;
  const result = dryRun
    ? await sql<{ n: number }>`SELECT count(*)::int AS n FROM reports WHERE ${where}`.execute(trx)
    : await sql<{ n: number }>`WITH gone AS (UPDATE reports SET narrative = '', narrative_redacted_at = ${now} WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM gone`.execute(trx);
  return result.rows[0]?.n ?? 0;
}

/** Texts of messages last forwarded before `cutoff` with no held forward: emptied (the masked template stays). */
export async function expiredMessageTexts(trx: Trx, cutoff: Date, today: string, now: Date, dryRun: boolean): Promise<number> {
  const where = sql`last_received_at < ${cutoff} AND text_redacted_at IS NULL
    AND id NOT IN (SELECT message_id FROM message_forwards WHERE report_id IN (${HELD(today)}))`;
  const result = dryRun
    ? await sql<{ n: number }>`SELECT count(*)::int AS n FROM messages WHERE ${where}`.execute(trx)
    : await sql<{ n: number }>`WITH gone AS (UPDATE messages SET text = '', subject = NULL, text_redacted_at = ${now} WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM gone`.execute(trx);
  return result.rows[0]?.n ?? 0;
}

/** Console sessions that ended before `cutoff`. */
export async function expiredSessions(trx: Trx, cutoff: Date, dryRun: boolean): Promise<number> {
  const result = dryRun
    ? await sql<{ n: number }>`SELECT count(*)::int AS n FROM sessions WHERE expires_at < ${cutoff}`.execute(trx)
    : await sql<{ n: number }>`WITH gone AS (DELETE FROM sessions WHERE expires_at < ${cutoff} RETURNING 1) SELECT count(*)::int AS n FROM gone`.execute(trx);
  return result.rows[0]?.n ?? 0;
}

/**
 * Disputes decided before `cutoff`: the person's contact, explanation and evidence erased; the request, the
 * value and the outcome stay, so the dispute is still counted.
 */
export async function expiredDisputeContacts(trx: Trx, cutoff: Date, now: Date, dryRun: boolean): Promise<{ count: number; references: string[] }> {
  const where = sql`status <> 'open' AND decided_at < ${cutoff} AND redacted_at IS NULL`;
  if (dryRun) {
    const counted = await sql<{ n: number }>`SELECT count(*)::int AS n FROM disputes WHERE ${where}`.execute(trx);
    return { count: counted.rows[0]?.n ?? 0, references: [] };
  }
  const gone = await sql<{ reference: string }>`
    UPDATE disputes SET contact_nonce = ''::bytea, contact_ciphertext = ''::bytea, explanation = '', evidence = '', evidence_links = '[]'::jsonb, redacted_at = ${now}
    WHERE ${where} RETURNING reference`.execute(trx);
  return { count: gone.rows.length, references: gone.rows.map((r) => r.reference) };
}

/** Partners' daily call counts (request summaries) for days before `cutoff`. */
export async function expiredUsage(trx: Trx, cutoff: Date, dryRun: boolean): Promise<number> {
  const day = cutoff.toISOString().slice(0, 10);
  const result = dryRun
    ? await sql<{ n: number }>`SELECT count(*)::int AS n FROM partner_usage WHERE day < ${day}::date`.execute(trx)
    : await sql<{ n: number }>`WITH gone AS (DELETE FROM partner_usage WHERE day < ${day}::date RETURNING 1) SELECT count(*)::int AS n FROM gone`.execute(trx);
  return result.rows[0]?.n ?? 0;
}

/** Failed sign-in counts whose last failure is before `cutoff` and whose lock, if any, has ended: they throttle nothing any more. */
export async function expiredThrottles(trx: Trx, cutoff: Date, now: Date, dryRun: boolean): Promise<number> {
  const where = sql`last_failure_at < ${cutoff} AND (locked_until IS NULL OR locked_until < ${now})`;
  const result = dryRun
    ? await sql<{ n: number }>`SELECT count(*)::int AS n FROM login_throttle WHERE ${where}`.execute(trx)
    : await sql<{ n: number }>`WITH gone AS (DELETE FROM login_throttle WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM gone`.execute(trx);
  return result.rows[0]?.n ?? 0;
}

/**
 * Fingerprints (or independence keys) whose every report arrived before `cutoff`, none held and none re-keyed
 * yet: a reporter's reports are re-keyed together, so that they stay one reporter among themselves.
 */
export async function staleKeys(trx: Trx, column: 'fingerprint' | 'independence', cutoff: Date, today: string, limit: number): Promise<Buffer[]> {
  const marker = column === 'fingerprint' ? sql.ref('fingerprint_rekeyed_at') : sql.ref('independence_rekeyed_at');
  const result = await sql<{ k: Buffer }>`
    SELECT ${sql.ref(column)} AS k FROM reports
    GROUP BY ${sql.ref(column)}
    HAVING max(received_at) < ${cutoff} AND bool_and(${marker} IS NULL) AND NOT bool_or(id IN (${HELD(today)}))
    LIMIT ${limit}`.execute(trx);
  return result.rows.map((r) => r.k);
}

/**
 * Replaces fingerprints (or independence keys) by their re-keyed values everywhere they are compared: the
 * reports, the counted pairs, and the forwards of messages. Distinct stay distinct, equal stay equal, so
 * every count and repeat link is unchanged.
 */
export async function rekey(trx: Trx, column: 'fingerprint' | 'independence', from: Buffer[], to: Buffer[], now: Date): Promise<void> {
  const pairs = sql`unnest(${from}::bytea[], ${to}::bytea[]) AS m(old, new)`;
  if (column === 'fingerprint') {
    await sql`UPDATE reports SET fingerprint = m.new, fingerprint_rekeyed_at = ${now} FROM ${pairs} WHERE reports.fingerprint = m.old`.execute(trx);
    await sql`UPDATE evidence_reporters SET fingerprint = m.new FROM ${pairs} WHERE evidence_reporters.fingerprint = m.old`.execute(trx);
    await sql`UPDATE message_forwards SET forwarder = m.new FROM ${pairs} WHERE message_forwards.forwarder = m.old`.execute(trx);
  } else {
    await sql`UPDATE reports SET independence = m.new, independence_rekeyed_at = ${now} FROM ${pairs} WHERE reports.independence = m.old`.execute(trx);
    await sql`UPDATE evidence_sources SET independence = m.new FROM ${pairs} WHERE evidence_sources.independence = m.old`.execute(trx);
  }
}

/** Takes the retention job's lock for this transaction: false when another node runs it now. */
export async function lockRetention(trx: Trx): Promise<boolean> {
  const result = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext('scamgraph retention')) AS locked`.execute(trx);
  return result.rows[0]?.locked === true;
}

export interface LegalHoldRow {
  id: number;
  reference: string;
  reason: string;
  until: string;
  placedBy: string;
  placedAt: Date;
}

/** Places a hold on a report; null when no report has this reference. */
export async function placeHold(trx: Trx, hold: { reference: string; reason: string; until: string; actor: string }): Promise<number | null> {
  const result = await sql<{ id: number }>`
    INSERT INTO legal_holds (report_id, reason, until, placed_by)
    SELECT id, ${hold.reason}, ${hold.until}::date, ${hold.actor} FROM reports WHERE reference = ${hold.reference}
    RETURNING id`.execute(trx);
  return result.rows[0]?.id ?? null;
}

/** Lifts a report's holds in force; how many were lifted. */
export async function liftHolds(trx: Trx, reference: string, now: Date): Promise<number> {
  const result = await sql`
    UPDATE legal_holds SET lifted_at = ${now}
    WHERE lifted_at IS NULL AND report_id = (SELECT id FROM reports WHERE reference = ${reference})`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** The holds in force on `today`, newest first. */
export async function holdsInForce(db: Kysely<Database> | Trx, today: string): Promise<LegalHoldRow[]> {
  const result = await sql<{ id: number; reference: string; reason: string; until: string; placed_by: string; placed_at: Date }>`
    SELECT h.id, r.reference, h.reason, to_char(h.until, 'YYYY-MM-DD') AS until, h.placed_by, h.placed_at
    FROM legal_holds h JOIN reports r ON r.id = h.report_id
    WHERE h.lifted_at IS NULL AND h.until >= ${today}::date ORDER BY h.placed_at DESC, h.id DESC`.execute(db);
  return result.rows.map((r) => ({ id: r.id, reference: r.reference, reason: r.reason, until: r.until, placedBy: r.placed_by, placedAt: r.placed_at }));
}
