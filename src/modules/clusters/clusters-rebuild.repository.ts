import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { lockChangeLog } from '../verdicts/verdicts.repository.js';
import { componentIds, reportComponents } from './components.js';
import { BLOCKED, blockedState, familyOf, shapeOf } from './correlation-rules.js';

export interface RebuildSummary {
  reports: number;
  keys: number;
  clusters: number;
  /** Reports in clusters of more than one report. */
  clustered: number;
  seconds: number;
}

export interface RebuildProgress {
  step: 'reading' | 'writing';
  done: number;
  total: number;
}

/** Rows per statement when reading links and writing clusters. */
const PAGE = 50_000;

/**
 * Recomputes every cluster from the stored links, in one transaction: why each key is blocked (exclusions,
 * the warning list, protections), the components, and stable ids (a cluster keeps the id of the largest
 * earlier cluster whose id-report it holds). Gives the same clusters as the incremental path.
 */
export async function rebuildClusters(db: Kysely<any> | Transaction<any>, onProgress?: (p: RebuildProgress) => void): Promise<RebuildSummary> {
  const run = (trx: Transaction<Database>) => rebuildIn(trx, onProgress);
  return db.isTransaction ? run(db as Transaction<Database>) : (db as Kysely<Database>).transaction().execute(run);
}

async function rebuildIn(trx: Transaction<Database>, onProgress?: (p: RebuildProgress) => void): Promise<RebuildSummary> {
  const started = performance.now();
  await lockChangeLog(trx);
  const earlier = new Map<number, number>();
  for (const row of (await sql<{ id: number; report_count: number }>`SELECT id, report_count FROM clusters`.execute(trx)).rows) earlier.set(row.id, row.report_count);
  const reports = (await sql<{ id: number }>`SELECT id FROM reports ORDER BY id`.execute(trx)).rows.map((r) => r.id);
  const total = Number((await sql<{ n: number }>`SELECT count(*)::bigint AS n FROM report_indicators`.execute(trx)).rows[0]?.n ?? 0);
  const excluded = new Set((await trx.selectFrom('correlation_exclusions').select('key').execute()).map((r) => r.key));
  const protectedEntries = new Set((await trx.selectFrom('protected_entities').select('evidence_key').execute()).map((r) => r.evidence_key));

  // Every key met, blocked or not, with the reports it links.
  const state = new Map<string, number>();
  for (const key of excluded) state.set(key, BLOCKED.doNotCorrelate);
  const linkReports: number[] = [];
  const linkKeys: string[] = [];
  let after = -1;
  for (;;) {
    const page = await sql<{ report_id: number; key: string }>`
      SELECT report_id, key FROM report_indicators WHERE report_id > ${after} AND report_id <= (
        SELECT max(report_id) FROM (SELECT report_id FROM report_indicators WHERE report_id > ${after} ORDER BY report_id LIMIT ${PAGE}) p)`.execute(trx);
    if (page.rows.length === 0) break;
    for (const { report_id, key } of page.rows) {
      let s = state.get(key);
      if (s === undefined) state.set(key, (s = blockedState(key, excluded, protectedEntries)));
      if (s === BLOCKED.no) {
        linkReports.push(report_id);
        linkKeys.push(key);
      }
      if (report_id > after) after = report_id;
    }
    onProgress?.({ step: 'reading', done: linkReports.length, total });
  }
  const components = reportComponents(reports, {
    *[Symbol.iterator]() {
      for (let i = 0; i < linkReports.length; i++) yield [linkReports[i] as number, linkKeys[i] as string] as const;
    },
  });
  const ids = componentIds(components, earlier);
  const clusterOf = new Map<number, number>();
  components.forEach((members, i) => {
    for (const id of members) clusterOf.set(id, ids[i] as number);
  });
  const keyCluster = new Map<string, number>();
  for (let i = 0; i < linkReports.length; i++) keyCluster.set(linkKeys[i] as string, clusterOf.get(linkReports[i] as number) as number);

  await sql`TRUNCATE clusters, report_clusters, correlation_keys`.execute(trx);
  const steps = components.length + reports.length + state.size;
  let written = 0;
  const wrote = (n: number) => onProgress?.({ step: 'writing', done: (written += n), total: steps });
  for (let i = 0; i < components.length; i += PAGE) {
    const part = ids.slice(i, i + PAGE);
    await sql`INSERT INTO clusters (id, report_count) SELECT * FROM unnest(${part}::bigint[], ${components.slice(i, i + PAGE).map((c) => c.length)}::int[])`.execute(trx);
    wrote(part.length);
  }
  for (let i = 0; i < reports.length; i += PAGE) {
    const part = reports.slice(i, i + PAGE);
    await sql`INSERT INTO report_clusters (report_id, cluster_id) SELECT * FROM unnest(${part}::bigint[], ${part.map((id) => clusterOf.get(id) as number)}::bigint[])`.execute(trx);
    wrote(part.length);
  }
  const keys = [...state.keys()];
  for (let i = 0; i < keys.length; i += PAGE) {
    const part = keys.slice(i, i + PAGE);
    await sql`
      INSERT INTO correlation_keys (key, cluster_id, blocked, family, shape)
      SELECT * FROM unnest(${part}::text[], ${part.map((k) => keyCluster.get(k) ?? null)}::bigint[], ${part.map((k) => state.get(k) as number)}::smallint[],
        ${part.map(familyOf)}::text[], ${part.map(shapeOf)}::text[])`.execute(trx);
    wrote(part.length);
  }
  return {
    reports: reports.length,
    keys: keys.length,
    clusters: components.length,
    clustered: components.reduce((n, c) => (c.length > 1 ? n + c.length : n), 0),
    seconds: (performance.now() - started) / 1000,
  };
}
