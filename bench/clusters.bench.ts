import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import { clusterSuggestions, clusterSummary } from '../src/modules/clusters/cluster-queries.repository.js';
import { rebuildClusters } from '../src/modules/clusters/clusters-rebuild.repository.js';
import { importReports } from '../src/modules/reports/report.import.js';
import { openStorage, type Storage } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import type { Database } from '../src/storage/schema.js';
import { deriveSecrets } from '../src/storage/secrets.js';
import { rng, writeReports } from '../test/helpers/report-generator.js';
import type { Comparison } from './harness.js';

const REPORTS = 1_000_000;
/** Mule-account clusters: every report pays one account. The 10,000 one is the cluster whose detail is timed. */
const MULES = [40_000, 20_000, 10_000];
const CHANNELS = ['call', 'sms', 'whatsapp', 'website', 'social_media'];
const TYPES = ['investment', 'online_shopping', 'employment', 'phishing_bank', 'romance', 'impersonating_officials'];

function log(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

/** A fresh PostgreSQL database for one benchmark, dropped by the returned function. */
export async function freshServerDatabase(tag: string): Promise<{ storage: Storage; drop: () => Promise<void> }> {
  const admin = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `scamgraph_bench_${tag}_${process.pid}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const storage = await openStorage({ databaseUrl: url.toString(), dataDir: 'memory://' });
  await migrateToLatest(storage.db);
  return {
    storage,
    async drop() {
      await storage.close();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/**
 * Reports and their indicator links shaped like real campaigns: campaign sizes heavy-tailed (Pareto, most
 * reported once or twice, a few thousands of times), a few huge mule-account clusters, each report naming 2–3
 * of its campaign's numbers, accounts and links and about one value of its own (a narrative's number), and 1%
 * mentioning the police hotline (warning-listed: it must join nothing).
 */
export async function fillCampaigns(db: Kysely<Database>): Promise<{ links: number; muleIds: number[] }> {
  const random = rng(17);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const phone = () => `phone:+852${pick(['5', '6', '9'])}${String(Math.floor(random() * 1e7)).padStart(7, '0')}`;
  // A report's own value (a number in its narrative): landline numbers, one each, never shared.
  let own = 0;
  const ownPhone = () => `phone:+8522${String(own++).padStart(7, '0')}`;
  const account = () => `bank_account:hk:${String(Math.floor(random() * 1e12)).padStart(12, '0')}`;
  let campaign = 0;
  const link = () => `url:https://c${campaign}-${Math.floor(random() * 1e6)}.example/${pick(['login', 'pay', 'track'])}`;
  const ids: number[] = [];
  const reportKeys: string[][] = [];
  const muleIds: number[] = [];
  let id = 0;
  for (const size of MULES) {
    campaign++;
    const mule = account();
    const phones = Array.from({ length: 200 }, phone);
    muleIds.push(id + 1);
    for (let i = 0; i < size; i++) reportKeys[id++] = [mule, pick(phones), ownPhone()];
  }
  while (id < REPORTS) {
    campaign++;
    const size = Math.min(REPORTS - id, Math.min(5000, Math.floor(1 / Math.pow(1 - random(), 1 / 1.2))));
    const pool = [...Array.from({ length: 1 + Math.floor(random() * 3) }, phone), ...Array.from({ length: Math.floor(random() * 2) }, account), ...Array.from({ length: Math.floor(random() * 3) }, link)];
    for (let i = 0; i < size; i++) {
      const keys = new Set([pick(pool), pick(pool), ownPhone()]);
      if (random() < 0.75) keys.add(pick(pool));
      if (random() < 0.01) keys.add('phone:+85225277177');
      reportKeys[id++] = [...keys];
    }
  }
  for (let i = 1; i <= REPORTS; i++) ids.push(i);
  const start = Date.parse('2026-05-01T00:00:00Z');
  let links = 0;
  const CHUNK = 25_000;
  for (let at = 0; at < REPORTS; at += CHUNK) {
    const part = ids.slice(at, at + CHUNK);
    await sql`
      INSERT INTO reports (id, reference, source, external_id, fingerprint, independence, content_hash, received_at, channel, scam_type, narrative, loss_amount, loss_currency)
      SELECT id, 'B-' || id, 'import:bench', id::text, decode(lpad(to_hex(id), 32, '0'), 'hex'), decode(lpad(to_hex(id), 32, '0'), 'hex'), decode(md5(id::text), 'hex'),
        ${new Date(start)}::timestamptz + (id % 180) * interval '1 day' + (id % 86400) * interval '1 second',
        (${CHANNELS}::text[])[1 + id % 5], (${TYPES}::text[])[1 + id % 6], '', (id % 5000)::numeric, 'HKD'
      FROM unnest(${part}::bigint[]) AS id`.execute(db);
    const reportIds: number[] = [];
    const keys: string[] = [];
    for (const rid of part) {
      for (const key of reportKeys[rid - 1] as string[]) {
        reportIds.push(rid);
        keys.push(key);
      }
    }
    links += keys.length;
    await sql`
      INSERT INTO report_indicators (report_id, key, kind, canonical, role, extracted)
      SELECT r, k, split_part(k, ':', 1), substr(k, strpos(k, ':') + 1), NULL, false FROM unnest(${reportIds}::bigint[], ${keys}::text[]) AS l(r, k)`.execute(db);
  }
  await sql`SELECT setval('reports_id_seq', ${REPORTS})`.execute(db);
  await sql`ANALYZE`.execute(db);
  return { links, muleIds };
}

async function sizeOf(db: Kysely<Database>, tables: string[]): Promise<number> {
  const result = await sql<{ bytes: string }>`SELECT sum(pg_total_relation_size(t::regclass))::text AS bytes FROM unnest(${tables}::text[]) AS t`.execute(db);
  return Number(result.rows[0]?.bytes ?? 0);
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

/** Import rate of the same file into a fresh database, with or without correlation. */
async function importRate(file: string, count: number, correlate: boolean): Promise<number> {
  const { storage, drop } = await freshServerDatabase(correlate ? 'with' : 'without');
  try {
    const summary = await importReports(storage.db, deriveSecrets(Buffer.alloc(32, 7)), file, 'bench', { region: 'HK', rejectsPath: `${file}.rejects`, correlate });
    if (summary.stored !== count) throw new Error(`import stored ${summary.stored} of ${count}`);
    return count / summary.seconds;
  } finally {
    await drop();
  }
}

/** Correlation at scale on PostgreSQL: full rebuild, a large cluster's detail, storage, and the cost in ingest. */
export async function clusterBenchmarks(): Promise<Comparison[]> {
  const rows: Comparison[] = [];
  const { storage, drop } = await freshServerDatabase('clusters');
  try {
    const db = storage.db;
    let started = performance.now();
    const { links, muleIds } = await fillCampaigns(db);
    log(`clusters: ${REPORTS.toLocaleString('en-US')} reports with ${links.toLocaleString('en-US')} indicator links in ${((performance.now() - started) / 1000).toFixed(0)} s`);

    started = performance.now();
    const linkRows = await sql<{ n: number }>`SELECT count(*)::int AS n FROM (SELECT report_id, key FROM report_indicators ORDER BY report_id) l`.execute(db);
    const readSeconds = (performance.now() - started) / 1000;
    const rebuilt = await rebuildClusters(db);
    log(`rebuild: ${rebuilt.clusters.toLocaleString('en-US')} clusters, ${rebuilt.clustered.toLocaleString('en-US')} reports in shared clusters, ${rebuilt.seconds.toFixed(1)} s (reading the ${Number(linkRows.rows[0]?.n).toLocaleString('en-US')} links alone ${readSeconds.toFixed(1)} s)`);
    rows.push({ name: `clusters rebuild, ${(REPORTS / 1e6).toFixed(0)}M reports / ${(links / 1e6).toFixed(1)}M links (PostgreSQL)`, unit: 's', baselineName: 'sorted scan of the link table', baseline: readSeconds, candidate: rebuilt.seconds, target: '< 60 s', pass: rebuilt.seconds < 60 });

    const mule = await db.selectFrom('report_clusters as rc').innerJoin('clusters as c', 'c.id', 'rc.cluster_id').select(['c.id', 'c.report_count']).where('rc.report_id', '=', muleIds[2] as number).executeTakeFirstOrThrow();
    const detail: number[] = [];
    const bare: number[] = [];
    for (let i = 0; i < 7; i++) {
      let t = performance.now();
      await sql`SELECT r.* FROM report_clusters rc JOIN reports r ON r.id = rc.report_id WHERE rc.cluster_id = ${mule.id}`.execute(db);
      bare.push(performance.now() - t);
      t = performance.now();
      const summary = await clusterSummary(db, mule.id);
      await clusterSuggestions(db, mule.id);
      detail.push(performance.now() - t);
      if (summary?.reportCount !== mule.report_count) throw new Error('cluster summary does not count its reports');
    }
    rows.push({ name: `cluster detail, ${mule.report_count.toLocaleString('en-US')}-report cluster (median of 7)`, unit: 'ms', baselineName: "fetching its reports' rows", baseline: median(bare), candidate: median(detail), target: '< 200 ms', pass: median(detail) < 200 });

    const linkBytes = await sizeOf(db, ['report_indicators']);
    const correlationBytes = await sizeOf(db, ['clusters', 'report_clusters', 'correlation_keys', 'correlation_exclusions']);
    log(`storage: ${(await sql<{ t: string; mb: string }>`SELECT t, (pg_total_relation_size(t::regclass) / 1e6)::numeric(10, 1)::text AS mb FROM unnest(${['report_indicators', 'report_clusters', 'clusters', 'correlation_keys']}::text[]) AS t`.execute(db)).rows.map((r) => `${r.t} ${r.mb} MB`).join(', ')}`);
    rows.push({ name: 'correlation storage (tables and indexes)', unit: 'MB', baselineName: 'report–indicator link table', baseline: linkBytes / 1e6, candidate: correlationBytes / 1e6, target: '≤ link table', pass: correlationBytes <= linkBytes });
  } finally {
    await drop();
  }

  const dir = mkdtempSync(join(tmpdir(), 'scamgraph-bench-clusters-'));
  try {
    const count = 100_000;
    const file = join(dir, 'reports.jsonl');
    await writeReports(file, { count, seed: 3 });
    const without: number[] = [];
    const withCorrelation: number[] = [];
    // Alternating, twice each, best of each: the machine's pace drifts between runs.
    for (let round = 0; round < 2; round++) {
      without.push(await importRate(file, count, false));
      withCorrelation.push(await importRate(file, count, true));
    }
    const w = Math.max(...withCorrelation);
    const wo = Math.max(...without);
    log(`ingest: with correlation ${withCorrelation.map((r) => Math.round(r)).join(', ')}/s; without ${without.map((r) => Math.round(r)).join(', ')}/s`);
    rows.push({ name: `import ${count.toLocaleString('en-US')} reports with correlation (PostgreSQL)`, unit: 'reports/s', baselineName: 'same import without correlation', baseline: wo, candidate: w, target: '≥ 0.80×', pass: w >= 0.8 * wo });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
