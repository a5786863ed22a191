import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { GROWTH_DAYS, type PriorityParts } from './triage.priority.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface QueueFilter {
  statuses: readonly string[];
  scamType?: string;
  /** A user id, or null for unassigned reports. */
  assignedTo?: number | null;
  cluster?: number;
  /** Just this report (its priority in its cluster's context). */
  reference?: string;
  sort: 'priority' | 'newest' | 'loss';
  limit: number;
  offset: number;
  now: Date;
}

export interface QueueRow {
  id: number;
  reference: string;
  receivedAt: Date;
  channel: string;
  scamType: string;
  status: string;
  lossAmount: string | null;
  lossCurrency: string | null;
  vulnerable: boolean;
  assignee: string | null;
  duplicate: boolean;
  cluster: number;
  clusterReports: number;
  clusterRecent: number;
  /** A forwarded message's classifier score (null for other reports). */
  messageScore: number | null;
  priority: number;
  parts: PriorityParts;
}

/**
 * The triage queue with each report's priority points (see triage.priority.ts): loss on a log scale, the
 * cluster's size and its growth this week, recency, the vulnerable flag, and a forwarded message's wording.
 */
export async function queue(db: Db, f: QueueFilter): Promise<{ rows: QueueRow[]; total: number }> {
  const where = [sql`r.status = ANY(${f.statuses as string[]}::text[])`];
  if (f.scamType !== undefined) where.push(sql`r.scam_type = ${f.scamType}`);
  if (f.assignedTo === null) where.push(sql`r.assigned_to IS NULL`);
  else if (f.assignedTo !== undefined) where.push(sql`r.assigned_to = ${f.assignedTo}`);
  if (f.cluster !== undefined) where.push(sql`rc.cluster_id = ${f.cluster}`);
  if (f.reference !== undefined) where.push(sql`r.reference = ${f.reference}`);
  const order = f.sort === 'newest' ? sql`received_at DESC, id DESC` : f.sort === 'loss' ? sql`loss_amount DESC NULLS LAST, id DESC` : sql`priority DESC, received_at DESC, id DESC`;
  const result = await sql<{
    id: number; reference: string; received_at: Date; channel: string; scam_type: string; status: string; loss_amount: string | null; loss_currency: string | null;
    vulnerable: boolean; assignee: string | null; duplicate: boolean; cluster: number; cluster_reports: number; cluster_recent: number;
    message_score: number | null; p_loss: number; p_cluster: number; p_growth: number; p_recency: number; p_vulnerable: number; p_wording: number; priority: number; total: number;
  }>`
    WITH growth AS (
      SELECT rc.cluster_id, count(*)::int AS recent FROM reports r JOIN report_clusters rc ON rc.report_id = r.id
      WHERE r.received_at > ${f.now}::timestamptz - ${`${GROWTH_DAYS} days`}::interval AND r.received_at <= ${f.now}::timestamptz GROUP BY rc.cluster_id),
    scored AS (
      SELECT r.id, r.reference, r.received_at, r.channel, r.scam_type, r.status, r.loss_amount, r.loss_currency, r.vulnerable,
        u.username AS assignee, r.duplicate_of IS NOT NULL AS duplicate, rc.cluster_id AS cluster, c.report_count AS cluster_reports, coalesce(g.recent, 0) AS cluster_recent,
        CASE WHEN r.loss_amount > 0 THEN least(30, round(6 * log(r.loss_amount + 1)))::int ELSE 0 END AS p_loss,
        least(25, round(8 * log(2, c.report_count::numeric)))::int AS p_cluster,
        least(20, round(6 * log(2, 1 + coalesce(g.recent, 0)::numeric)))::int AS p_growth,
        greatest(0, 15 - floor(extract(epoch FROM (${f.now}::timestamptz - r.received_at)) / 86400 * 1.5))::int AS p_recency,
        CASE WHEN r.vulnerable THEN 25 ELSE 0 END AS p_vulnerable,
        -- A forward whose wording the classifier reads as a scam's ranks higher; the score never judges a value.
        m.score AS message_score, coalesce(round(15 * m.score), 0)::int AS p_wording
      FROM reports r
      JOIN report_clusters rc ON rc.report_id = r.id
      JOIN clusters c ON c.id = rc.cluster_id
      LEFT JOIN growth g ON g.cluster_id = rc.cluster_id
      LEFT JOIN users u ON u.id = r.assigned_to
      LEFT JOIN message_forwards mf ON mf.report_id = r.id
      LEFT JOIN messages m ON m.id = mf.message_id
      WHERE ${sql.join(where, sql` AND `)})
    SELECT *, p_loss + p_cluster + p_growth + p_recency + p_vulnerable + p_wording AS priority, count(*) OVER ()::int AS total
    FROM scored ORDER BY ${order} LIMIT ${f.limit} OFFSET ${f.offset}`.execute(db);
  let total = result.rows[0]?.total ?? 0;
  if (result.rows.length === 0 && f.offset > 0) {
    // A page past the end still says how many there are.
    const counted = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM reports r JOIN report_clusters rc ON rc.report_id = r.id WHERE ${sql.join(where, sql` AND `)}`.execute(db);
    total = counted.rows[0]?.n ?? 0;
  }
  return {
    total,
    rows: result.rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      receivedAt: r.received_at,
      channel: r.channel,
      scamType: r.scam_type,
      status: r.status,
      lossAmount: r.loss_amount,
      lossCurrency: r.loss_currency,
      vulnerable: r.vulnerable,
      assignee: r.assignee,
      duplicate: r.duplicate,
      cluster: r.cluster,
      clusterReports: r.cluster_reports,
      clusterRecent: r.cluster_recent,
      messageScore: r.message_score,
      priority: r.priority,
      parts: { loss: r.p_loss, cluster: r.p_cluster, growth: r.p_growth, recency: r.p_recency, vulnerable: r.p_vulnerable, wording: r.p_wording },
    })),
  };
}

/** Sets status (and its time) and other triage fields of reports, in the caller's transaction. */
export async function updateReports(
  trx: Transaction<Database>,
  ids: readonly number[],
  change: { status?: string; assignedTo?: number | null; vulnerable?: boolean; outcome?: string | null },
): Promise<void> {
  const set = {
    ...(change.status === undefined ? {} : { status: change.status, status_changed_at: new Date() }),
    ...(change.assignedTo === undefined ? {} : { assigned_to: change.assignedTo }),
    ...(change.vulnerable === undefined ? {} : { vulnerable: change.vulnerable }),
    ...(change.outcome === undefined ? {} : { outcome: change.outcome }),
  };
  if (ids.length === 0 || Object.keys(set).length === 0) return;
  await trx
    .updateTable('reports')
    .set(set)
    .where(sql<boolean>`id = ANY(${ids as number[]}::bigint[])`)
    .execute();
}

/**
 * The reports of a cluster in one of the given statuses, locked for the rest of the transaction: a report
 * closed by another officer meanwhile is re-checked after the wait and left out.
 */
export async function lockClusterReports(trx: Transaction<Database>, cluster: number, statuses: readonly string[]): Promise<number[]> {
  const rows = await sql<{ id: number }>`
    SELECT r.id FROM reports r JOIN report_clusters rc ON rc.report_id = r.id
    WHERE rc.cluster_id = ${cluster} AND r.status = ANY(${statuses as string[]}::text[])
    ORDER BY r.id FOR UPDATE OF r`.execute(trx);
  return rows.rows.map((r) => r.id);
}

export interface NoteRow {
  author: string;
  body: string;
  createdAt: Date;
}

export interface ReferralRow {
  targetKind: string;
  target: string;
  reason: string;
  referredBy: string;
  referredAt: Date;
  cluster: number | null;
}

export async function notesOf(db: Db, reportId: number): Promise<NoteRow[]> {
  const rows = await db.selectFrom('report_notes').select(['author', 'body', 'created_at']).where('report_id', '=', reportId).orderBy('id').execute();
  return rows.map((r) => ({ author: r.author, body: r.body, createdAt: r.created_at }));
}

export async function referralsOf(db: Db, reportId: number): Promise<ReferralRow[]> {
  const rows = await db.selectFrom('referrals').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
  return rows.map((r) => ({ targetKind: r.target_kind, target: r.target, reason: r.reason, referredBy: r.referred_by, referredAt: r.referred_at, cluster: r.cluster_id }));
}

/** The id of the user with this name (any role, disabled or not: the queue is filtered by who holds a report), or null. */
export async function userIdByName(db: Db, username: string): Promise<number | null> {
  const row = await db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst();
  return row?.id ?? null;
}

/** What a report's working view adds to its details: assignee, vulnerable flag, outcome, officers' label, cluster. */
export async function workState(db: Db, reportId: number): Promise<{ username: string | null; vulnerable: boolean; outcome: string | null; label: string | null; cluster_id: number | null }> {
  return db
    .selectFrom('reports as r')
    .leftJoin('users as u', 'u.id', 'r.assigned_to')
    .leftJoin('type_labels as t', 't.report_id', 'r.id')
    .leftJoin('report_clusters as rc', 'rc.report_id', 'r.id')
    .select(['u.username', 'r.vulnerable', 'r.outcome', 't.scam_type as label', 'rc.cluster_id'])
    .where('r.id', '=', reportId)
    .executeTakeFirstOrThrow();
}

/** An internal note on a report; its id. */
export async function insertNote(trx: Transaction<Database>, reportId: number, author: string, body: string): Promise<number> {
  const note = await trx.insertInto('report_notes').values({ report_id: reportId, author, body }).returning('id').executeTakeFirstOrThrow();
  return note.id;
}

/** An enabled user's id and role by name. */
export async function activeUserByName(db: Db, username: string): Promise<{ id: number; role: string } | undefined> {
  return db.selectFrom('users').select(['id', 'role']).where('username', '=', username).where('disabled_at', 'is', null).executeTakeFirst();
}

/** A report by reference, its row locked for the rest of the transaction. */
export async function lockReport(trx: Transaction<Database>, reference: string): Promise<{ id: number; status: string; outcome: string | null } | undefined> {
  return trx.selectFrom('reports').select(['id', 'status', 'outcome']).where('reference', '=', reference).forUpdate().executeTakeFirst();
}

/** Reports by reference, locked in id order (so two bulk actions cannot deadlock on each other). */
export async function lockReports(trx: Transaction<Database>, references: readonly string[]): Promise<{ id: number; reference: string; status: string }[]> {
  return trx.selectFrom('reports').select(['id', 'reference', 'status']).where('reference', 'in', [...references]).orderBy('id').forUpdate().execute();
}

export async function clusterExists(db: Db, cluster: number): Promise<boolean> {
  return (await db.selectFrom('clusters').select('id').where('id', '=', cluster).executeTakeFirst()) !== undefined;
}

/** One referral row per report, all to one target (a cluster's, when `cluster` is given). */
export async function insertReferrals(trx: Transaction<Database>, ids: readonly number[], r: { cluster: number | null; kind: string; target: string; reason: string; by: string }): Promise<void> {
  await sql`
    INSERT INTO referrals (report_id, cluster_id, target_kind, target, reason, referred_by)
    SELECT id, ${r.cluster}::bigint, ${r.kind}, ${r.target}, ${r.reason}, ${r.by} FROM unnest(${ids as number[]}::bigint[]) AS id`.execute(trx);
}

/** An officer's scam type for a report, with the suggestion shown at the time (replacing an earlier label). */
export async function upsertTypeLabel(trx: Transaction<Database>, reportId: number, l: { scamType: string; suggested: string | null; by: string }): Promise<void> {
  await trx
    .insertInto('type_labels')
    .values({ report_id: reportId, scam_type: l.scamType, suggested: l.suggested, labelled_by: l.by })
    .onConflict((oc) => oc.column('report_id').doUpdateSet({ scam_type: l.scamType, suggested: l.suggested, labelled_by: l.by, labelled_at: new Date() }))
    .execute();
}
