import { sql, type Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { storeReportsIn, type NewReport } from '../reports/reports.repository.js';
import type { JudgeContext } from '../verdicts/verdicts.repository.js';

/** A message's own row, written the first time anyone forwards it. */
export interface NewMessage {
  textHash: Buffer;
  channel: string;
  text: string;
  subject: string | null;
  template: string;
  signature: Buffer;
  signatureVersion: number;
  label: string;
  score: number;
}

export interface NewForward {
  forwarder: Buffer;
  sender: { key: string; display: string } | null;
  receivedAt: Date;
  awaitingSenderUntil: Date | null;
}

export interface StoredForward {
  messageId: number;
  reportId: number;
  /** This forwarder had forwarded the message before: their report repeats the first and counts nowhere. */
  repeated: boolean;
  /** The forward now waits for its sender (asked for and not known yet). */
  awaiting: boolean;
  changes: number;
}

/**
 * Stores one forward in one transaction: the message (once, whoever forwards it), the forwarder's report
 * with its evidence, and the forward linking them. A forwarder who forwards the same message again adds no
 * forward: they are one reporter of it. Any forward, a repeat too, ends that forwarder's wait for a sender
 * elsewhere, so a number texted later cannot land on an older message; a repeat whose sender is not known
 * yet waits for it in its turn.
 */
export async function storeForward(db: Kysely<Database>, message: NewMessage, forward: NewForward, report: NewReport, ctx: JudgeContext): Promise<StoredForward> {
  return db.transaction().execute(async (trx) => {
    const { id: messageId } = await trx
      .insertInto('messages')
      .values({
        text_hash: message.textHash,
        channel: message.channel,
        text: message.text,
        subject: message.subject,
        template: message.template,
        signature: message.signature,
        signature_version: message.signatureVersion,
        label: message.label,
        score: message.score,
        first_received_at: forward.receivedAt,
        last_received_at: forward.receivedAt,
      })
      .onConflict((oc) => oc.column('text_hash').doUpdateSet({ last_received_at: sql`greatest(messages.last_received_at, excluded.last_received_at)` }))
      .returning('id')
      .executeTakeFirstOrThrow();
    // A forward again by the same forwarder is stored as their report too (a repeat of their first, which
    // counts nowhere), so that the answer to it is the same as to a first forward and reveals nothing.
    const stored = await storeReportsIn(trx, [report], ctx);
    const reportId = stored.ids.get(report.reference) as number;
    await trx.updateTable('message_forwards').set({ awaiting_sender_until: null }).where('forwarder', '=', forward.forwarder).where('awaiting_sender_until', 'is not', null).execute();
    const before = await trx.selectFrom('message_forwards').select('sender_key').where('message_id', '=', messageId).where('forwarder', '=', forward.forwarder).executeTakeFirst();
    if (before !== undefined) {
      const awaiting = forward.awaitingSenderUntil !== null && before.sender_key === null;
      if (awaiting) await trx.updateTable('message_forwards').set({ awaiting_sender_until: forward.awaitingSenderUntil }).where('message_id', '=', messageId).where('forwarder', '=', forward.forwarder).execute();
      return { messageId, reportId, repeated: true, awaiting, changes: stored.changes };
    }
    await trx
      .insertInto('message_forwards')
      .values({
        message_id: messageId,
        forwarder: forward.forwarder,
        report_id: reportId,
        sender_key: forward.sender?.key ?? null,
        sender: forward.sender?.display ?? null,
        received_at: forward.receivedAt,
        awaiting_sender_until: forward.awaitingSenderUntil,
      })
      .execute();
    await trx.updateTable('messages').set({ forwards: sql`forwards + 1` }).where('id', '=', messageId).execute();
    return { messageId, reportId, repeated: false, awaiting: forward.awaitingSenderUntil !== null, changes: stored.changes };
  });
}

export interface AwaitingForward {
  messageId: number;
  text: string;
  channel: string;
}

/** The forward still waiting for its sender from this forwarder, if its time has not run out. */
export async function findAwaitingForward(db: Kysely<Database>, forwarder: Buffer, now: Date): Promise<AwaitingForward | null> {
  const row = await db
    .selectFrom('message_forwards')
    .innerJoin('messages', 'messages.id', 'message_forwards.message_id')
    .select(['message_forwards.message_id', 'messages.text', 'messages.channel'])
    .where('message_forwards.forwarder', '=', forwarder)
    .where('message_forwards.awaiting_sender_until', '>', now)
    .orderBy('message_forwards.received_at', 'desc')
    .executeTakeFirst();
  return row === undefined ? null : { messageId: row.message_id, text: row.text, channel: row.channel };
}

/**
 * The sender a forwarder named after forwarding: its report (the sender as evidence, same reporter) and the
 * forward's sender, in one transaction; null when the wait ended meanwhile (nothing is written).
 */
export async function completeAwaitingForward(
  db: Kysely<Database>,
  forward: { messageId: number; forwarder: Buffer; sender: { key: string; display: string } },
  report: NewReport,
  now: Date,
  ctx: JudgeContext,
): Promise<{ reportId: number; changes: number } | null> {
  return db.transaction().execute(async (trx) => {
    const waiting = await trx
      .updateTable('message_forwards')
      .set({ sender_key: forward.sender.key, sender: forward.sender.display, awaiting_sender_until: null })
      .where('message_id', '=', forward.messageId)
      .where('forwarder', '=', forward.forwarder)
      .where('awaiting_sender_until', '>', now)
      .returning('report_id')
      .executeTakeFirst();
    if (waiting === undefined) return null;
    const stored = await storeReportsIn(trx, [report], ctx);
    return { reportId: stored.ids.get(report.reference) as number, changes: stored.changes };
  });
}

/**
 * Messages the campaign index has not seen, in id order: those after `afterId`, and any without a campaign
 * yet (a message whose transaction committed after a later one's was read).
 */
export async function messageSignaturesAfter(db: Kysely<Database>, afterId: number, limit: number): Promise<{ id: number; signature: Buffer; campaignId: number | null }[]> {
  const rows = await db
    .selectFrom('messages')
    .select(['id', 'signature', 'campaign_id'])
    .where((eb) => eb.or([eb('id', '>', afterId), eb('campaign_id', 'is', null)]))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ id: r.id, signature: r.signature, campaignId: r.campaign_id }));
}

/** Those of the given message ids that are not stored (erased). */
export async function missingMessages(db: Kysely<Database>, ids: number[]): Promise<number[]> {
  if (ids.length === 0) return [];
  const found = new Set((await db.selectFrom('messages').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
  return ids.filter((id) => !found.has(id));
}

/** Records the campaign of each message whose stored campaign differs. */
export async function setMessageCampaigns(db: Kysely<Database>, assignments: { id: number; campaignId: number }[]): Promise<void> {
  if (assignments.length === 0) return;
  await sql`
    UPDATE messages SET campaign_id = a.campaign_id
    FROM unnest(${assignments.map((a) => a.id)}::bigint[], ${assignments.map((a) => a.campaignId)}::bigint[]) AS a(id, campaign_id)
    WHERE messages.id = a.id AND messages.campaign_id IS DISTINCT FROM a.campaign_id`.execute(db);
}
