import { sql, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { URL_EXPRESSION_PREFIX } from '../verdicts/evidence-keys.js';
import { lockChangeLog } from '../verdicts/verdicts.repository.js';
import { componentIds, reportComponents } from './components.js';
import { BLOCKED, blockedState, familyOf, protectionEntries, shapeOf, type Blocked } from './correlation-rules.js';

type Trx = Transaction<Database>;

/** A stored report and its indicator keys, to be put into a cluster. */
export interface ReportKeys {
  id: number;
  keys: readonly string[];
}

/**
 * Why each key links nothing, from what is stored: an officer's exclusion, the warning list, a protection that
 * covers it; 0 when it correlates.
 */
export async function blockedStates(trx: Trx, keys: readonly string[]): Promise<Map<string, Blocked>> {
  const states = new Map<string, Blocked>();
  if (keys.length === 0) return states;
  const excluded = await sql<{ key: string }>`SELECT key FROM correlation_exclusions WHERE key = ANY(${keys as string[]}::text[])`.execute(trx);
  const entries = [...new Set(keys.flatMap(protectionEntries))];
  const covered = await sql<{ evidence_key: string }>`SELECT evidence_key FROM protected_entities WHERE evidence_key = ANY(${entries}::text[])`.execute(trx);
  const excludedKeys = new Set(excluded.rows.map((e) => e.key));
  const protectedEntries = new Set(covered.rows.map((p) => p.evidence_key));
  for (const key of keys) states.set(key, blockedState(key, excludedKeys, protectedEntries));
  return states;
}

async function clusterSizes(trx: Trx, ids: readonly number[]): Promise<Map<number, number>> {
  if (ids.length === 0) return new Map();
  const rows = await trx.selectFrom('clusters').select(['id', 'report_count']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.report_count]));
}

/**
 * Puts newly stored reports into clusters, inside the transaction that stored them (change-log lock held):
 * a report joins the clusters of the keys it shares; when it joins several, they merge into the largest and
 * only the smaller ones are relabelled, so each report is relabelled at most log2(N) times in all. A report
 * sharing nothing is a cluster of its own.
 */
export async function correlateReports(trx: Trx, reports: readonly ReportKeys[]): Promise<void> {
  if (reports.length === 0) return;
  const keys = [...new Set(reports.flatMap((r) => r.keys))];
  // One round trip: the stored keys with their clusters' sizes, and which protections cover any of the keys.
  const found = await sql<{ key: string; cluster_id: number | null; blocked: number; report_count: number | null }>`
    SELECT ck.key, ck.cluster_id, ck.blocked, c.report_count FROM correlation_keys ck LEFT JOIN clusters c ON c.id = ck.cluster_id
    WHERE ck.key = ANY(${keys}::text[])
    UNION ALL
    SELECT evidence_key, NULL, -1, NULL FROM protected_entities WHERE evidence_key = ANY(${[...new Set(keys.flatMap(protectionEntries))]}::text[])`.execute(trx);
  const known = new Map<string, { cluster: number | null; blocked: number }>();
  const sizes = new Map<number, number>();
  const protectedEntries = new Set<string>();
  for (const row of found.rows) {
    if (row.blocked === -1) protectedEntries.add(row.key);
    else known.set(row.key, { cluster: row.cluster_id, blocked: row.blocked });
    if (row.cluster_id !== null && row.report_count !== null) sizes.set(row.cluster_id, row.report_count);
  }
  // A key never stored cannot carry an officer's mark: marking stores the key.
  const fresh = keys.filter((k) => !known.has(k));
  const freshState = new Map(fresh.map((k) => [k, blockedState(k, NO_KEYS, protectedEntries)]));
  // Nodes: the reports, the clusters they touch ("#id") and the keys that correlate but have no cluster yet.
  const links: [number, string][] = [];
  for (const r of reports) {
    for (const key of r.keys) {
      const stored = known.get(key);
      if (stored === undefined) {
        if (freshState.get(key) === BLOCKED.no) links.push([r.id, key]);
      } else if (stored.blocked === BLOCKED.no) links.push([r.id, stored.cluster === null ? key : `#${stored.cluster}`]);
    }
  }
  const components = reportComponents(
    reports.map((r) => r.id),
    links,
  );
  const touchedBy = new Map<number, Set<number>>();
  for (const [report, node] of links) {
    if (!node.startsWith('#')) continue;
    let set = touchedBy.get(report);
    if (set === undefined) touchedBy.set(report, (set = new Set()));
    set.add(Number(node.slice(1)));
  }
  const clusterOfReport = new Map<number, number>();
  const from: number[] = [];
  const to: number[] = [];
  const growth = new Map<number, number>();
  const sizeOf = (c: number): number => sizes.get(c) ?? 0;
  for (const members of components) {
    const existing = new Set<number>();
    for (const id of members) for (const c of touchedBy.get(id) ?? []) existing.add(c);
    let target = Math.min(...members);
    if (existing.size > 0) target = [...existing].reduce((best, c) => (sizeOf(c) > sizeOf(best) || (sizeOf(c) === sizeOf(best) && c < best) ? c : best));
    let added = members.length;
    for (const c of existing) {
      if (c === target) continue;
      from.push(c);
      to.push(target);
      added += sizeOf(c);
    }
    growth.set(target, added);
    for (const id of members) clusterOfReport.set(id, target);
  }
  // Keys that correlate and had no cluster yet: new ones, and stored ones no report had (marked, then unmarked).
  const clusterOfKey = new Map<string, number>();
  for (const [report, node] of links) if (!node.startsWith('#')) clusterOfKey.set(node, clusterOfReport.get(report) as number);
  const orphans = [...clusterOfKey.keys()].filter((k) => known.has(k));
  // One statement for every write. Its parts touch disjoint rows (relabelled rows are stored ones, inserted rows
  // new; merged clusters are deleted, targets upserted), so that they all see one snapshot does not matter.
  await sql`
    WITH moves AS (SELECT * FROM unnest(${from}::bigint[], ${to}::bigint[]) AS m(source, target)),
    moved_reports AS (UPDATE report_clusters rc SET cluster_id = m.target FROM moves m WHERE rc.cluster_id = m.source),
    moved_keys AS (UPDATE correlation_keys ck SET cluster_id = m.target FROM moves m WHERE ck.cluster_id = m.source),
    merged AS (DELETE FROM clusters WHERE id IN (SELECT source FROM moves)),
    added_reports AS (
      INSERT INTO report_clusters (report_id, cluster_id)
      SELECT * FROM unnest(${[...clusterOfReport.keys()]}::bigint[], ${[...clusterOfReport.values()]}::bigint[])),
    adopted_keys AS (
      UPDATE correlation_keys ck SET cluster_id = n.cluster FROM unnest(${orphans}::text[], ${orphans.map((k) => clusterOfKey.get(k) as number)}::bigint[]) AS n(key, cluster)
      WHERE ck.key = n.key),
    added_keys AS (
      INSERT INTO correlation_keys (key, cluster_id, blocked, family, shape)
      SELECT * FROM unnest(${fresh}::text[], ${fresh.map((k) => clusterOfKey.get(k) ?? null)}::bigint[], ${fresh.map((k) => freshState.get(k) as number)}::smallint[],
        ${fresh.map(familyOf)}::text[], ${fresh.map(shapeOf)}::text[]))
    INSERT INTO clusters (id, report_count)
    SELECT * FROM unnest(${[...growth.keys()]}::bigint[], ${[...growth.values()]}::int[])
    ON CONFLICT (id) DO UPDATE SET report_count = clusters.report_count + excluded.report_count, updated_at = now()`.execute(trx);
}

const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * Recomputes the clusters holding the given ones' reports from their links (after a key stopped or started
 * correlating) and stores the result: a split keeps the old id with the part holding that report, a merge
 * keeps the largest cluster's id.
 */
export async function recluster(trx: Trx, clusterIds: readonly number[]): Promise<void> {
  if (clusterIds.length === 0) return;
  const ids = [...new Set(clusterIds)];
  const members = (await sql<{ report_id: number }>`SELECT report_id FROM report_clusters WHERE cluster_id = ANY(${ids}::bigint[])`.execute(trx)).rows.map((r) => r.report_id);
  const links = await sql<{ report_id: number; key: string }>`
    SELECT ri.report_id, ri.key FROM report_indicators ri JOIN correlation_keys ck ON ck.key = ri.key AND ck.blocked = 0
    WHERE ri.report_id = ANY(${members}::bigint[])`.execute(trx);
  const components = reportComponents(members, links.rows.map((l) => [l.report_id, l.key] as const));
  const newIds = componentIds(components, await clusterSizes(trx, ids));
  const reportIds: number[] = [];
  const reportCluster: number[] = [];
  const clusterOf = new Map<number, number>();
  components.forEach((component, i) => {
    for (const id of component) {
      reportIds.push(id);
      reportCluster.push(newIds[i] as number);
      clusterOf.set(id, newIds[i] as number);
    }
  });
  const keyCluster = new Map<string, number>();
  for (const l of links.rows) keyCluster.set(l.key, clusterOf.get(l.report_id) as number);
  await sql`UPDATE report_clusters rc SET cluster_id = n.cluster FROM unnest(${reportIds}::bigint[], ${reportCluster}::bigint[]) AS n(report, cluster)
    WHERE rc.report_id = n.report AND rc.cluster_id <> n.cluster`.execute(trx);
  await sql`UPDATE correlation_keys ck SET cluster_id = n.cluster FROM unnest(${[...keyCluster.keys()]}::text[], ${[...keyCluster.values()]}::bigint[]) AS n(key, cluster)
    WHERE ck.key = n.key AND ck.cluster_id IS DISTINCT FROM n.cluster`.execute(trx);
  await sql`DELETE FROM clusters WHERE id = ANY(${ids}::bigint[])`.execute(trx);
  await sql`INSERT INTO clusters (id, report_count) SELECT * FROM unnest(${newIds}::bigint[], ${components.map((c) => c.length)}::int[])`.execute(trx);
}

/**
 * Re-reads why these keys link nothing (after an exclusion or protection changed) and re-clusters what that
 * changes: the cluster a newly blocked key held together may split; the reports of a key that correlates
 * again merge. Finding the reports of a key that was blocked reads the whole link table (officer actions are
 * rare; no index on key is kept for them).
 */
export async function reevaluateKeys(trx: Trx, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await lockChangeLog(trx);
  const states = await blockedStates(trx, keys);
  const stored = new Map(
    (await sql<{ key: string; cluster_id: number | null; blocked: number }>`SELECT key, cluster_id, blocked FROM correlation_keys WHERE key = ANY(${keys as string[]}::text[])`.execute(trx)).rows.map((r) => [r.key, r]),
  );
  const affected = new Set<number>();
  const unblocked: string[] = [];
  const changed: string[] = [];
  for (const key of keys) {
    const state = states.get(key) as Blocked;
    const row = stored.get(key);
    if (row !== undefined && row.blocked === state) continue;
    changed.push(key);
    if (state !== BLOCKED.no && row?.cluster_id != null) affected.add(row.cluster_id);
    if (state === BLOCKED.no && row !== undefined) unblocked.push(key);
  }
  // One statement for every changed key (a protected site can cover thousands of links); recluster below
  // gives the keys that correlate their cluster.
  await sql`
    INSERT INTO correlation_keys (key, cluster_id, blocked, family, shape)
    SELECT * FROM unnest(${changed}::text[], ${changed.map(() => null)}::bigint[], ${changed.map((k) => states.get(k) as number)}::smallint[],
      ${changed.map(familyOf)}::text[], ${changed.map(shapeOf)}::text[])
    ON CONFLICT (key) DO UPDATE SET blocked = excluded.blocked, cluster_id = NULL`.execute(trx);
  if (unblocked.length > 0) {
    const rows = await sql<{ cluster_id: number }>`
      SELECT DISTINCT rc.cluster_id FROM report_indicators ri JOIN report_clusters rc ON rc.report_id = ri.report_id WHERE ri.key = ANY(${unblocked}::text[])`.execute(trx);
    for (const r of rows.rows) affected.add(r.cluster_id);
  }
  await recluster(trx, [...affected]);
}

/** The stored keys a protection entry covers: its own key, or for a site every link and domain on it. */
export async function keysCoveredBy(trx: Trx, entry: string): Promise<string[]> {
  if (!entry.startsWith(URL_EXPRESSION_PREFIX)) return [entry];
  const host = entry.slice(URL_EXPRESSION_PREFIX.length, -1);
  const family = familyOf(`domain:${host}`);
  if (family === null) return [];
  const rows = await trx.selectFrom('correlation_keys').select('key').where('family', '=', family).execute();
  return rows.map((r) => r.key).filter((key) => protectionEntries(key).includes(entry));
}

/** Lifts a "do not correlate" mark; whether there was one. */
export async function removeExclusion(trx: Trx, key: string): Promise<boolean> {
  const removed = await trx.deleteFrom('correlation_exclusions').where('key', '=', key).executeTakeFirst();
  return removed.numDeletedRows > 0n;
}

/** Marks a key "do not correlate", with why and by whom (again: the reason is replaced). */
export async function upsertExclusion(trx: Trx, key: string, reason: string, actor: string): Promise<void> {
  await trx
    .insertInto('correlation_exclusions')
    .values({ key, reason, created_by: actor })
    .onConflict((oc) => oc.column('key').doUpdateSet({ reason, created_by: actor }))
    .execute();
}

/** Why a correlation key links nothing now (a Blocked code; 0 when it links). */
export async function storedBlock(trx: Trx, key: string): Promise<number> {
  return (await trx.selectFrom('correlation_keys').select('blocked').where('key', '=', key).executeTakeFirstOrThrow()).blocked;
}
