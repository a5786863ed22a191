import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { recluster } from '../clusters/clusters.repository.js';

type Trx = Transaction<Database>;

/** What erasing a report touched: the references erased (the report's and its repeats'), the evidence entries to recompute. */
export interface Erased {
  reports: number;
  references: string[];
  entries: string[];
}

/** Whether a legal hold in force on `today` keeps this report or one of its repeats (which erasure takes with it). */
export async function isHeld(trx: Trx, reportId: number, today: string): Promise<boolean> {
  const row = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM legal_holds
    WHERE report_id IN (SELECT id FROM reports WHERE id = ${reportId} OR duplicate_of = ${reportId}) AND lifted_at IS NULL AND until >= ${today}::date`.execute(trx);
  return (row.rows[0]?.n ?? 0) > 0;
}

/**
 * Erases a report and its repeats (the same reporter's same report) from every table that holds them:
 * reports, report_indicators, report_evidence, reporter_contacts, report_notes, referrals, type_labels,
 * legal_holds and message_forwards (the last five by cascade), report_clusters (its cluster re-clustered
 * from the reports that remain), correlation keys no report names any more, and a forwarded message no one
 * else forwarded. The caller recomputes the returned entries' evidence, counted pairs included, in the same
 * transaction.
 */
export async function eraseReport(trx: Trx, reportId: number): Promise<Erased> {
  const erased = (await sql<{ id: number; reference: string }>`SELECT id, reference FROM reports WHERE id = ${reportId} OR duplicate_of = ${reportId}`.execute(trx)).rows;
  const ids = erased.map((r) => r.id);
  const entries = (await sql<{ e: string }>`SELECT DISTINCT evidence_key AS e FROM report_evidence WHERE report_id = ANY(${ids}::bigint[])`.execute(trx)).rows.map((r) => r.e);
  const keys = (await sql<{ k: string }>`SELECT DISTINCT key AS k FROM report_indicators WHERE report_id = ANY(${ids}::bigint[])`.execute(trx)).rows.map((r) => r.k);
  const clusters = (await sql<{ c: number }>`SELECT DISTINCT cluster_id AS c FROM report_clusters WHERE report_id = ANY(${ids}::bigint[])`.execute(trx)).rows.map((r) => r.c);
  const messages = (await sql<{ m: number }>`SELECT DISTINCT message_id AS m FROM message_forwards WHERE report_id = ANY(${ids}::bigint[])`.execute(trx)).rows.map((r) => r.m);

  await sql`DELETE FROM report_indicators WHERE report_id = ANY(${ids}::bigint[])`.execute(trx);
  await sql`DELETE FROM report_evidence WHERE report_id = ANY(${ids}::bigint[])`.execute(trx);
  await sql`DELETE FROM report_clusters WHERE report_id = ANY(${ids}::bigint[])`.execute(trx);
  await sql`DELETE FROM reports WHERE id = ANY(${ids}::bigint[])`.execute(trx);

  // A key no report names any more links nothing; its row goes unless it records an officer's block.
  await sql`
    DELETE FROM correlation_keys ck WHERE ck.key = ANY(${keys}::text[]) AND ck.blocked = 0
      AND NOT EXISTS (SELECT 1 FROM report_indicators ri WHERE ri.key = ck.key)`.execute(trx);
  await sql`UPDATE correlation_keys SET cluster_id = NULL WHERE key = ANY(${keys}::text[])
      AND NOT EXISTS (SELECT 1 FROM report_indicators ri WHERE ri.key = correlation_keys.key)`.execute(trx);
  await recluster(trx, clusters);

  for (const messageId of messages) {
    const left = await sql<{ n: number }>`SELECT count(*)::int AS n FROM message_forwards WHERE message_id = ${messageId}`.execute(trx);
    const forwards = left.rows[0]?.n ?? 0;
    if (forwards > 0) {
      await sql`UPDATE messages SET forwards = ${forwards} WHERE id = ${messageId}`.execute(trx);
      continue;
    }
    // No one else forwarded it: the message goes too. Its campaign passes to its next message (each node's
    // campaign index regroups when it meets the missing name, CampaignTracker).
    const next = (await sql<{ id: number | null }>`SELECT min(id) AS id FROM messages WHERE campaign_id = ${messageId} AND id <> ${messageId}`.execute(trx)).rows[0]?.id ?? null;
    if (next !== null) await sql`UPDATE messages SET campaign_id = ${next} WHERE campaign_id = ${messageId} AND id <> ${messageId}`.execute(trx);
    // A share of the campaign under the old name is withdrawn for the telcos that follow the feed, keeping
    // nothing of the erased message; a live one is shared again under the new name, in that message's words.
    const share = (await sql<{ live: boolean; shared_by: string; reason: string }>`SELECT withdrawn_at IS NULL AS live, shared_by, reason FROM campaign_shares WHERE campaign_id = ${messageId}`.execute(trx)).rows[0];
    if (share !== undefined) {
      await sql`
        UPDATE campaign_shares SET template = '', withdrawn_at = coalesce(withdrawn_at, now()), seq = nextval(pg_get_serial_sequence('campaign_shares', 'seq'))
        WHERE campaign_id = ${messageId}`.execute(trx);
    }
    if (share?.live === true && next !== null) {
      await sql`
        INSERT INTO campaign_shares (campaign_id, template, shared_by, reason)
        SELECT id, template, ${share.shared_by}, ${share.reason} FROM messages WHERE id = ${next}
        ON CONFLICT (campaign_id) DO NOTHING`.execute(trx);
    }
    await sql`DELETE FROM messages WHERE id = ${messageId}`.execute(trx);
  }
  return { reports: ids.length, references: erased.map((r) => r.reference), entries };
}

/** Stores a report's contact ciphertext anew (a reporter correcting, or first giving, their details). */
export async function replaceContact(trx: Trx, reportId: number, sealed: { nonce: Buffer; ciphertext: Buffer }): Promise<void> {
  await sql`
    INSERT INTO reporter_contacts (report_id, nonce, ciphertext) VALUES (${reportId}, ${sealed.nonce}, ${sealed.ciphertext})
    ON CONFLICT (report_id) DO UPDATE SET nonce = excluded.nonce, ciphertext = excluded.ciphertext`.execute(trx);
}

/** Removes a report's contact details (a reporter taking them back). */
export async function removeContact(trx: Trx, reportId: number): Promise<void> {
  await sql`DELETE FROM reporter_contacts WHERE report_id = ${reportId}`.execute(trx);
}

/** How many times officers read this report and its contact (the audit log's rows about it). */
export async function accessCounts(db: Kysely<Database> | Trx, reference: string): Promise<{ reads: number; contactReads: number }> {
  const rows = await sql<{ action: string; n: number }>`
    SELECT action, count(*)::int AS n FROM audit_log WHERE subject = ${reference} AND action IN ('report.read', 'contact.read') GROUP BY action`.execute(db);
  const of = (action: string) => rows.rows.find((r) => r.action === action)?.n ?? 0;
  return { reads: of('report.read'), contactReads: of('contact.read') };
}

/** The forwarded message a report came from, if it is a forward. */
export async function messageOfReport(db: Kysely<Database> | Trx, reportId: number): Promise<{ channel: string; text: string; subject: string | null; sender: string | null } | null> {
  const row = await db
    .selectFrom('message_forwards as f')
    .innerJoin('messages as m', 'm.id', 'f.message_id')
    .select(['m.channel', 'm.text', 'm.subject', 'f.sender'])
    .where('f.report_id', '=', reportId)
    .executeTakeFirst();
  return row ?? null;
}
