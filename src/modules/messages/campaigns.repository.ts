import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';

export interface CampaignSummaryRow {
  id: number;
  template: string;
  messages: number;
  forwards: number;
  senders: number;
  firstSeen: Date;
  lastSeen: Date;
  /** The classifier's mean score over its messages. */
  score: number;
  sharedAt: Date | null;
}

const summaryQuery = (db: Kysely<Database> | Transaction<Database>) =>
  db
    .selectFrom('messages as m')
    .innerJoin('messages as first', 'first.id', 'm.campaign_id')
    .leftJoin('campaign_shares as s', (join) => join.onRef('s.campaign_id', '=', 'm.campaign_id').on('s.withdrawn_at', 'is', null))
    .select((eb) => [
      'm.campaign_id as id',
      'first.template as template',
      eb.fn.countAll<string>().as('messages'),
      eb.fn.sum<string>('m.forwards').as('forwards'),
      sql<string>`(SELECT count(DISTINCT f.sender_key) FROM message_forwards f JOIN messages mm ON mm.id = f.message_id WHERE mm.campaign_id = m.campaign_id)`.as('senders'),
      eb.fn.min('m.first_received_at').as('firstSeen'),
      eb.fn.max('m.last_received_at').as('lastSeen'),
      eb.fn.avg<string>('m.score').as('score'),
      eb.fn.max('s.shared_at').as('sharedAt'),
    ])
    .groupBy(['m.campaign_id', 'first.template']);

type SummaryRaw = { id: number | null; template: string; messages: string | number; forwards: string | number | null; senders: string | number; firstSeen: Date; lastSeen: Date; score: string | number | null; sharedAt: Date | null };

const summaryOf = (r: SummaryRaw): CampaignSummaryRow => ({
  id: Number(r.id),
  template: r.template,
  messages: Number(r.messages),
  forwards: Number(r.forwards ?? 0),
  senders: Number(r.senders),
  firstSeen: r.firstSeen,
  lastSeen: r.lastSeen,
  score: Math.round(Number(r.score ?? 0) * 1000) / 1000,
  sharedAt: r.sharedAt,
});

/** Campaigns with at least `minForwards` forwards in all, the most recently active first. */
export async function listCampaigns(db: Kysely<Database>, options: { minForwards: number; limit: number; offset: number }): Promise<CampaignSummaryRow[]> {
  const rows = await summaryQuery(db)
    .having((eb) => eb.fn.sum('m.forwards'), '>=', options.minForwards)
    .orderBy(sql`max(m.last_received_at)`, 'desc')
    .orderBy('m.campaign_id', 'desc')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return rows.map(summaryOf);
}

export async function findCampaign(db: Kysely<Database> | Transaction<Database>, id: number): Promise<CampaignSummaryRow | null> {
  const row = await summaryQuery(db).where('m.campaign_id', '=', id).executeTakeFirst();
  return row === undefined ? null : summaryOf(row);
}

export interface CampaignParts {
  texts: { id: number; text: string; subject: string | null; channel: string; forwards: number; label: string; score: number; lastSeen: Date }[];
  senderList: { sender: string; forwards: number }[];
  links: { canonical: string; forwards: number }[];
  /** Forwards per hour (UTC), over the campaign's last `hours` hours of activity. */
  perHour: { hour: string; forwards: number }[];
}

/** What a campaign is made of: its most forwarded messages, its senders and links, and its forwards per hour. */
export async function campaignParts(db: Kysely<Database>, id: number, options: { hours: number; limit: number }): Promise<CampaignParts> {
  const messages = await db
    .selectFrom('messages')
    .select(['id', 'text', 'subject', 'channel', 'forwards', 'label', 'score', 'last_received_at'])
    .where('campaign_id', '=', id)
    .orderBy('forwards', 'desc')
    .orderBy('id')
    .limit(options.limit)
    .execute();
  const senders = await db
    .selectFrom('message_forwards as f')
    .innerJoin('messages as m', 'm.id', 'f.message_id')
    .select((eb) => ['f.sender', eb.fn.countAll<string>().as('n')])
    .where('m.campaign_id', '=', id)
    .where('f.sender', 'is not', null)
    .groupBy('f.sender')
    .orderBy('n', 'desc')
    .orderBy('f.sender')
    .limit(options.limit)
    .execute();
  const links = await db
    .selectFrom('message_forwards as f')
    .innerJoin('messages as m', 'm.id', 'f.message_id')
    .innerJoin('report_indicators as i', 'i.report_id', 'f.report_id')
    .select((eb) => ['i.canonical', eb.fn.countAll<string>().as('n')])
    .where('m.campaign_id', '=', id)
    .where('i.role', '=', 'link')
    .groupBy('i.canonical')
    .orderBy('n', 'desc')
    .orderBy('i.canonical')
    .limit(options.limit)
    .execute();
  const hours = await sql<{ hour: string; n: string }>`
    WITH f AS (
      SELECT f.received_at FROM message_forwards f JOIN messages m ON m.id = f.message_id WHERE m.campaign_id = ${id}
    ), last AS (SELECT max(received_at) AS at FROM f)
    SELECT to_char(date_trunc('hour', f.received_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD"T"HH24') AS hour, count(*) AS n
    FROM f, last WHERE f.received_at > last.at - make_interval(hours => ${options.hours})
    GROUP BY 1 ORDER BY 1`.execute(db);
  return {
    texts: messages.map((m) => ({ id: m.id, text: m.text, subject: m.subject, channel: m.channel, forwards: m.forwards, label: m.label, score: m.score, lastSeen: m.last_received_at })),
    senderList: senders.map((s) => ({ sender: s.sender as string, forwards: Number(s.n) })),
    links: links.map((l) => ({ canonical: l.canonical, forwards: Number(l.n) })),
    perHour: hours.rows.map((h) => ({ hour: h.hour, forwards: Number(h.n) })),
  };
}

/** Shares a campaign's template with telcos (again after a withdrawal); false when it is shared already. */
export async function shareCampaign(trx: Transaction<Database>, share: { campaignId: number; template: string; actor: string; reason: string }): Promise<boolean> {
  const result = await sql`
    INSERT INTO campaign_shares (campaign_id, template, shared_by, reason) VALUES (${share.campaignId}, ${share.template}, ${share.actor}, ${share.reason})
    ON CONFLICT (campaign_id) DO UPDATE SET template = excluded.template, shared_by = excluded.shared_by, reason = excluded.reason,
      shared_at = now(), withdrawn_at = NULL, seq = nextval(pg_get_serial_sequence('campaign_shares', 'seq'))
    WHERE campaign_shares.withdrawn_at IS NOT NULL`.execute(trx);
  return Number(result.numAffectedRows ?? 0) > 0;
}

/** Withdraws a shared template (telcos see it gone at their next read); false when it was not shared. */
export async function withdrawCampaignShare(trx: Transaction<Database>, campaignId: number): Promise<boolean> {
  const result = await sql`
    UPDATE campaign_shares SET withdrawn_at = now(), seq = nextval(pg_get_serial_sequence('campaign_shares', 'seq'))
    WHERE campaign_id = ${campaignId} AND withdrawn_at IS NULL`.execute(trx);
  return Number(result.numAffectedRows ?? 0) > 0;
}

export interface SharedTemplateRow {
  campaignId: number;
  template: string;
  sharedAt: Date;
  withdrawnAt: Date | null;
  seq: number;
}

/** Shares changed after `since` (all current ones from 0), in the order they changed. */
export async function sharedTemplatesSince(db: Kysely<Database>, since: number): Promise<SharedTemplateRow[]> {
  const rows = await db
    .selectFrom('campaign_shares')
    .select(['campaign_id', 'template', 'shared_at', 'withdrawn_at', 'seq'])
    .where('seq', '>', since)
    .$if(since === 0, (q) => q.where('withdrawn_at', 'is', null))
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ campaignId: r.campaign_id, template: r.template, sharedAt: r.shared_at, withdrawnAt: r.withdrawn_at, seq: r.seq }));
}
