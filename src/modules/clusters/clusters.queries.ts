import { sql, type Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

type Db = Kysely<Database>;

export interface ClusterIndicator {
  key: string;
  kind: string;
  /** Reports of the cluster this key appears in. */
  reports: number;
}

/** What a cluster amounts to, from its member reports (duplicates count as reports, not as reporters or loss). */
export interface ClusterSummary {
  id: number;
  reportCount: number;
  reporterCount: number;
  loss: { currency: string; amount: string }[];
  firstSeen: Date | null;
  lastSeen: Date | null;
  perDay: { day: string; reports: number }[];
  scamTypes: { scamType: string; reports: number }[];
  channels: { channel: string; reports: number }[];
  statuses: { status: string; reports: number }[];
  /** The keys that hold the cluster together, most linking first. */
  topIndicators: ClusterIndicator[];
  /** new while any report is new, else triaged while any is triaged, else referred while any is, else closed. */
  status: string;
}

export interface ClusterListItem {
  id: number;
  reportCount: number;
}

/** The largest clusters first: at least `minReports` reports. */
export async function listClusters(db: Db, minReports: number, limit: number, offset = 0): Promise<ClusterListItem[]> {
  const rows = await db
    .selectFrom('clusters')
    .select(['id', 'report_count'])
    .where('report_count', '>=', minReports)
    .orderBy('report_count', 'desc')
    .orderBy('id')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({ id: r.id, reportCount: r.report_count }));
}

const STATUS_ORDER = ['new', 'triaged', 'referred', 'closed'];

/** One round trip: every figure of a cluster's summary, aggregated in the database. */
export async function clusterSummary(db: Db, id: number, topIndicators = 10): Promise<ClusterSummary | null> {
  const result = await sql<{
    report_count: number;
    reporter_count: number;
    first_seen: Date | null;
    last_seen: Date | null;
    loss: { currency: string; amount: string }[] | null;
    per_day: { day: string; reports: number }[] | null;
    scam_types: { scamType: string; reports: number }[] | null;
    channels: { channel: string; reports: number }[] | null;
    statuses: { status: string; reports: number }[] | null;
    indicators: ClusterIndicator[] | null;
  }>`
    WITH m AS MATERIALIZED (
      SELECT r.id, r.fingerprint, r.duplicate_of, r.received_at, r.scam_type, r.channel, r.status, r.loss_amount, r.loss_currency
      FROM report_clusters rc JOIN reports r ON r.id = rc.report_id WHERE rc.cluster_id = ${id})
    SELECT
      (SELECT count(*)::int FROM m) AS report_count,
      (SELECT count(DISTINCT fingerprint)::int FROM m WHERE duplicate_of IS NULL) AS reporter_count,
      (SELECT min(received_at) FROM m) AS first_seen,
      (SELECT max(received_at) FROM m) AS last_seen,
      (SELECT json_agg(json_build_object('currency', c, 'amount', a) ORDER BY c) FROM (
        SELECT loss_currency AS c, sum(loss_amount)::text AS a FROM m WHERE duplicate_of IS NULL AND loss_currency IS NOT NULL GROUP BY 1) l) AS loss,
      (SELECT json_agg(json_build_object('day', d, 'reports', n) ORDER BY d) FROM (
        SELECT to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS d, count(*)::int AS n FROM m GROUP BY 1) p) AS per_day,
      (SELECT json_agg(json_build_object('scamType', t, 'reports', n) ORDER BY n DESC, t) FROM (SELECT scam_type AS t, count(*)::int AS n FROM m GROUP BY 1) s) AS scam_types,
      (SELECT json_agg(json_build_object('channel', t, 'reports', n) ORDER BY n DESC, t) FROM (SELECT channel AS t, count(*)::int AS n FROM m GROUP BY 1) s) AS channels,
      (SELECT json_agg(json_build_object('status', t, 'reports', n) ORDER BY t) FROM (SELECT status AS t, count(*)::int AS n FROM m GROUP BY 1) s) AS statuses,
      (SELECT json_agg(json_build_object('key', key, 'kind', kind, 'reports', n) ORDER BY n DESC, key) FROM (
        SELECT ri.key, min(ri.kind) AS kind, count(*)::int AS n FROM report_indicators ri
        JOIN correlation_keys ck ON ck.key = ri.key AND ck.cluster_id = ${id}
        WHERE ri.report_id IN (SELECT id FROM m) GROUP BY ri.key ORDER BY n DESC, ri.key LIMIT ${topIndicators}) k) AS indicators`.execute(db);
  const row = result.rows[0];
  if (row === undefined || row.report_count === 0) return null;
  const statuses = row.statuses ?? [];
  const status = STATUS_ORDER.find((s) => statuses.some((x) => x.status === s)) ?? 'new';
  return {
    id,
    reportCount: row.report_count,
    reporterCount: row.reporter_count,
    loss: row.loss ?? [],
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    perDay: row.per_day ?? [],
    scamTypes: row.scam_types ?? [],
    channels: row.channels ?? [],
    statuses,
    topIndicators: row.indicators ?? [],
    status,
  };
}

/** The cluster a report is in. */
export async function clusterOfReport(db: Db, reportId: number): Promise<number | null> {
  const row = await db.selectFrom('report_clusters').select('cluster_id').where('report_id', '=', reportId).executeTakeFirst();
  return row?.cluster_id ?? null;
}

export interface ClusterSuggestion {
  cluster: number;
  /** Why: numbers from one block of 100, links on one site, or look-alike site names. */
  relation: 'number_block' | 'same_site' | 'lookalike_site';
  key: string;
  /** This cluster's key it relates to. */
  via: string;
}

/**
 * Other clusters related by weaker evidence, never merged: numbers from the same block of 100 reported within
 * four weeks of this cluster's reports, links or domains on the same site, sites whose names look alike.
 */
export async function clusterSuggestions(db: Db, id: number, limit = 20): Promise<ClusterSuggestion[]> {
  const rows = await sql<{ cluster: number; relation: ClusterSuggestion['relation']; key: string; via: string }>`
    WITH mine AS (SELECT key, family, shape FROM correlation_keys WHERE cluster_id = ${id} AND (family IS NOT NULL OR shape IS NOT NULL)),
    span AS (
      SELECT min(r.received_at) - interval '28 days' AS from_at, max(r.received_at) + interval '28 days' AS to_at
      FROM report_clusters rc JOIN reports r ON r.id = rc.report_id WHERE rc.cluster_id = ${id}),
    related AS (
      SELECT o.cluster_id AS cluster, CASE WHEN m.family LIKE 'phone:%' THEN 'number_block' ELSE 'same_site' END AS relation, o.key, m.key AS via
      FROM mine m JOIN correlation_keys o ON o.family = m.family
      WHERE o.blocked = 0 AND o.cluster_id <> ${id}
      UNION ALL
      SELECT o.cluster_id, 'lookalike_site', o.key, m.key
      FROM mine m JOIN correlation_keys o ON o.shape = m.shape AND o.family IS DISTINCT FROM m.family
      WHERE o.blocked = 0 AND o.cluster_id <> ${id})
    SELECT DISTINCT ON (cluster, relation) cluster, relation, key, via FROM related
    WHERE relation <> 'number_block' OR EXISTS (
      SELECT 1 FROM report_clusters rc JOIN reports r ON r.id = rc.report_id, span
      WHERE rc.cluster_id = related.cluster AND r.received_at BETWEEN span.from_at AND span.to_at)
    ORDER BY cluster, relation, key
    LIMIT ${limit}`.execute(db);
  return rows.rows;
}
