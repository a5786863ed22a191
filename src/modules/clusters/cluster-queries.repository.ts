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

/**
 * One round trip: every figure of a cluster's summary, aggregated in the database. The keys holding it
 * together are the most linking of its reports' keys that correlate (blocked ones, few, are skipped among
 * the first ten times as many).
 */
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
        SELECT t.key, t.kind, t.n FROM (
          SELECT ri.key, min(ri.kind) AS kind, count(*)::int AS n FROM report_indicators ri WHERE ri.report_id IN (SELECT id FROM m)
          GROUP BY ri.key ORDER BY n DESC, ri.key LIMIT ${topIndicators * 10}) t
        JOIN correlation_keys ck ON ck.key = t.key AND ck.cluster_id = ${id}
        ORDER BY t.n DESC, t.key LIMIT ${topIndicators}) k) AS indicators`.execute(db);
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
  // Grouped by family and shape first (a cluster of thousands of numbers spans far fewer blocks of 100), then
  // each looked up through its index; the time window is checked per candidate cluster, stopping at one report.
  const candidates = await sql<{ cluster: number; relation: ClusterSuggestion['relation']; key: string; via: string }>`
    WITH mine AS (SELECT key, family, shape FROM correlation_keys WHERE cluster_id = ${id}),
    families AS (SELECT family, min(key) AS via FROM mine WHERE family IS NOT NULL GROUP BY family),
    shapes AS (SELECT shape, min(key) AS via FROM mine WHERE shape IS NOT NULL GROUP BY shape),
    related AS (
      SELECT o.cluster_id AS cluster, CASE WHEN f.family LIKE 'phone:%' THEN 'number_block' ELSE 'same_site' END AS relation, o.key, f.via
      FROM families f CROSS JOIN LATERAL (
        SELECT key, cluster_id FROM correlation_keys WHERE family = f.family AND blocked = 0 AND cluster_id <> ${id} LIMIT ${limit}) o
      UNION ALL
      SELECT o.cluster_id, 'lookalike_site', o.key, s.via
      FROM shapes s CROSS JOIN LATERAL (
        SELECT key, cluster_id FROM correlation_keys WHERE shape = s.shape AND blocked = 0 AND cluster_id <> ${id}
          AND family NOT IN (SELECT family FROM families) LIMIT ${limit}) o)
    SELECT DISTINCT ON (cluster, relation) cluster, relation, key, via FROM related ORDER BY cluster, relation, key`.execute(db);
  const blocks = candidates.rows.filter((c) => c.relation === 'number_block').map((c) => c.cluster);
  const recent = new Set<number>();
  if (blocks.length > 0) {
    const found = await sql<{ cluster: number }>`
      WITH span AS (
        SELECT min(r.received_at) - interval '28 days' AS from_at, max(r.received_at) + interval '28 days' AS to_at
        FROM report_clusters rc JOIN reports r ON r.id = rc.report_id WHERE rc.cluster_id = ${id})
      SELECT c.cluster FROM span, unnest(${blocks}::bigint[]) AS c(cluster) CROSS JOIN LATERAL (
        SELECT 1 FROM report_clusters rc JOIN reports r ON r.id = rc.report_id
        WHERE rc.cluster_id = c.cluster AND r.received_at BETWEEN span.from_at AND span.to_at LIMIT 1) w`.execute(db);
    for (const row of found.rows) recent.add(row.cluster);
  }
  const rows = { rows: candidates.rows.filter((c) => c.relation !== 'number_block' || recent.has(c.cluster)).sort((a, b) => a.relation.localeCompare(b.relation) || a.cluster - b.cluster).slice(0, limit) };
  return rows.rows;
}

export interface ClusterGraph {
  nodes: { id: string; type: 'report' | 'indicator'; label: string; kind?: string }[];
  edges: { source: string; target: string }[];
  /** Whether the cluster has more reports than the graph shows (the most recent are shown). */
  truncated: boolean;
}

/**
 * Reports and the keys that link them, for drawing: the cluster's most recent `maxReports` reports and,
 * of their keys, those that correlate and link two or more of the shown reports (a key one report alone
 * names adds a dot and no structure).
 */
export async function clusterGraph(db: Db, id: number, maxReports = 200): Promise<ClusterGraph> {
  const reports = await sql<{ id: number; reference: string }>`
    SELECT r.id, r.reference FROM report_clusters rc JOIN reports r ON r.id = rc.report_id
    WHERE rc.cluster_id = ${id} ORDER BY r.received_at DESC, r.id DESC LIMIT ${maxReports + 1}`.execute(db);
  const shown = reports.rows.slice(0, maxReports);
  const links = await sql<{ report_id: number; key: string; kind: string }>`
    SELECT ri.report_id, ri.key, ri.kind FROM report_indicators ri JOIN correlation_keys ck ON ck.key = ri.key AND ck.cluster_id = ${id}
    WHERE ri.report_id = ANY(${shown.map((r) => r.id)}::bigint[])`.execute(db);
  const perKey = new Map<string, { kind: string; reports: number[] }>();
  for (const l of links.rows) {
    const entry = perKey.get(l.key) ?? { kind: l.kind, reports: [] };
    entry.reports.push(l.report_id);
    perKey.set(l.key, entry);
  }
  const reference = new Map(shown.map((r) => [r.id, r.reference]));
  const graph: ClusterGraph = { nodes: shown.map((r) => ({ id: r.reference, type: 'report', label: r.reference })), edges: [], truncated: reports.rows.length > maxReports };
  for (const [key, { kind, reports: ids }] of perKey) {
    if (ids.length < 2) continue;
    graph.nodes.push({ id: key, type: 'indicator', label: key.slice(key.indexOf(':') + 1), kind });
    for (const rid of ids) graph.edges.push({ source: reference.get(rid) as string, target: key });
  }
  return graph;
}
