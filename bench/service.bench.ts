import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { normalize } from '../src/modules/indicators/index.js';
import { importFeed, importReports } from '../src/modules/reports/report.import.js';
import { openStorage, type Storage } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { deriveSecrets } from '../src/storage/secrets.js';
import { rng, writeReports } from '../test/helpers/report-generator.js';
import { openPhishUrls } from '../test/helpers/shared-data.js';
import type { Comparison } from './harness.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECRET = Buffer.alloc(32, 7);
const INDICATORS = 1_000_000;
const OPENPHISH = join(ROOT, '..', 'shared', 'data', 'openphish', 'urls.tsv.gz');

function log(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

/** The n-th generated HK mobile number (+852 5/6/9xxx xxxx), or null where that number is not a valid one. */
export function benchPhone(n: number): string | null {
  const value = `+852${'965'[n % 3]}${String(1_000_000 + Math.floor(n / 3))}`;
  try {
    normalize('phone', value);
    return value;
  } catch {
    return null;
  }
}

/** Fills a data directory with the OpenPhish URLs (high risk) and generated numbers and accounts: 1,000,000 entries. */
export async function buildDatabase(dir: string): Promise<number> {
  const storage = await openStorage({ databaseUrl: null, dataDir: dir });
  try {
    await migrateToLatest(storage.db);
    const options = { region: 'HK', rejectsPath: join(dir, 'rejects.jsonl') };
    const started = performance.now();
    await importFeed(storage.db, OPENPHISH, 'openphish', { ...options, level: 'high_risk', column: 'url' });
    const have = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM evidence`.execute(storage.db)).rows[0]?.n);
    const generated = join(dir, 'generated.csv');
    const out = createWriteStream(generated);
    const random = rng(11);
    // HK mobiles (those libphonenumber deems valid) and HK bank accounts, distinct by construction.
    for (let i = 0, n = 0, written = 0; written < INDICATORS - have; i++) {
      let line: string;
      if (i % 3 === 2) line = `bank_account,${String(3 + (i % 40)).padStart(3, '0')}-${String(100 + Math.floor(random() * 900))}-${String(i).padStart(9, '0')}\n`;
      else {
        const phone = benchPhone(n++);
        if (phone === null) continue;
        line = `phone,${phone}\n`;
      }
      written++;
      if (!out.write(line)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    await importFeed(storage.db, generated, 'bench-generated', { ...options, level: 'suspicious' });
    const total = Number((await sql<{ n: number }>`SELECT count(*) AS n FROM evidence`.execute(storage.db)).rows[0]?.n);
    log(`database: ${total.toLocaleString('en-US')} entries in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    return total;
  } finally {
    await storage.close();
  }
}

export interface Server {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn to the first answered check. */
  coldStartMs: number;
  /** What the server said as it started (its start-up line gives the index's entries and size). */
  startLine: string;
}

export async function startServer(args: string[], env: Record<string, string>, probe: string): Promise<Server> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+).*\n/.exec(err);
      if (match) resolve(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  const response = await fetch(url + probe);
  if (!response.ok) throw new Error(`first answer: ${response.status}`);
  return { child, url, coldStartMs: performance.now() - started, startLine: err };
}

export async function stopServer(server: Server): Promise<void> {
  const exited = once(server.child, 'exit');
  server.child.kill('SIGTERM');
  await exited;
}

/** Heap bytes per entry of the obvious alternative: a Map from entry to an evidence object (200,000 entries). */
function mapBytesPerEntry(): number {
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  const map = new Map<string, object>();
  for (let i = 0; i < 200_000; i++) {
    map.set(`phone:+8529${String(1_000_000 + i)}`, { reportCount: 1, firstSeen: i, lastSeen: i, lastReport: i, scamTypes: 2, feedLevel: 1, feedName: 'bench', decision: 0, decidedAt: null, protection: 0 });
  }
  globalThis.gc?.();
  const bytes = (process.memoryUsage().heapUsed - before) / map.size;
  return map.size > 0 ? bytes : 0;
}

export interface Load {
  rps: number;
  p99: number;
}

/** 50 connections for `seconds` over the given paths (each connection walks the list). */
export async function load(url: string, paths: string[], seconds: number): Promise<Load> {
  const result = await autocannon({
    url,
    connections: 50,
    duration: seconds,
    requests: [
      {
        setupRequest: (request, context) => {
          const state = context as { i?: number };
          state.i = ((state.i ?? Math.floor(Math.random() * paths.length)) + 1) % paths.length;
          return { ...request, path: paths[state.i] as string };
        },
      },
    ],
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${result.non2xx} non-2xx answers, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

function firstPhone(): string {
  for (let n = 0; ; n++) {
    const phone = benchPhone(n);
    if (phone !== null) return phone;
  }
}

/**
 * What people check repeats: a Zipf-distributed stream (a few values checked very often, most once) over
 * 400,000 values, a quarter each listed links, listed numbers, unlisted numbers and unknown links. The
 * 300,000 requests hold about 100,000 distinct values, more than the server's cache of normal forms.
 */
export function checkMix(): string[] {
  const random = rng(5);
  const urls = openPhishUrls();
  const pool = 400_000;
  const valueAt = (rank: number): string => {
    const i = Math.floor(rank / 4);
    switch (rank % 4) {
      case 0:
        return urls[i % urls.length] as string;
      case 1:
        return benchPhone(i * 3) ?? '+852 9123 4567'; // listed
      case 2:
        return benchPhone(3_000_000 + i) ?? '+852 5123 4567'; // not listed
      default:
        return `https://unknown-${i}.example.com/x`;
    }
  };
  const order = Array.from({ length: pool }, (_, i) => i).sort(() => random() - 0.5);
  return Array.from({ length: 300_000 }, () => {
    const rank = Math.min(pool - 1, Math.floor(Math.exp(random() * Math.log(pool + 1))) - 1);
    return `/api/v1/check?value=${encodeURIComponent(valueAt(order[rank] as number))}`;
  });
}

/** The check service against a 1,000,000-entry index: throughput, p99, memory and cold start. */
export async function checkServiceBenchmarks(): Promise<Comparison[]> {
  const dir = mkdtempSync(join(tmpdir(), 'scamgraph-bench-'));
  const empty = mkdtempSync(join(tmpdir(), 'scamgraph-bench-empty-'));
  try {
    const entries = await buildDatabase(dir);
    const env = { SCAMGRAPH_SECRET_KEY: SECRET.toString('base64'), SCAMGRAPH_CHECK_RATE: '0', DATABASE_URL: '' };
    const probe = `/api/v1/check?value=${encodeURIComponent(firstPhone())}`;
    // The baseline start: the same server on an empty database that already exists (no initdb in the figure).
    await stopServer(await startServer(['bin/scamgraph.js', 'serve', '--port', '0', '--data', empty], env, probe));
    const bare = await startServer(['bin/scamgraph.js', 'serve', '--port', '0', '--data', empty], env, probe);
    await stopServer(bare);
    const server = await startServer(['bin/scamgraph.js', 'serve', '--port', '0', '--data', dir], env, probe);
    // Not from an HTTP route: the public health route says only that the server is up.
    const indexLine = /([\d,]+) entries indexed \(([\d.]+) MB\)/.exec(server.startLine);
    if (indexLine === null) throw new Error(`no index size in the start-up line: ${server.startLine}`);
    const indexed = Number((indexLine[1] as string).replaceAll(',', ''));
    const bytesPerEntry = (Number(indexLine[2]) * 1e6) / indexed;
    log(`cold start ${(server.coldStartMs / 1000).toFixed(1)} s (empty database ${(bare.coldStartMs / 1000).toFixed(1)} s); index ${indexed.toLocaleString('en-US')} entries, ${bytesPerEntry.toFixed(0)} B/entry`);

    const paths = checkMix();
    log(`check mix: ${paths.length.toLocaleString('en-US')} requests over ${new Set(paths).size.toLocaleString('en-US')} distinct values`);
    const hello = await startServer(['--import', 'tsx', 'bench/hello-server.ts'], {}, '/hello');
    const helloRuns: Load[] = [];
    const checkRuns: Load[] = [];
    await load(hello.url, ['/hello'], 2); // warm-up of both
    // A serving process is warm: it has seen the popular values. The first 5 s from a cold start are shown
    // for comparison; the rounds measure after 20 s of traffic.
    const cold = await load(server.url, paths, 5);
    await load(server.url, paths, 15);
    log(`check, first 5 s after start: ${cold.rps.toFixed(0)} req/s, p99 ${cold.p99} ms`);
    for (let round = 0; round < 3; round++) {
      helloRuns.push(await load(hello.url, ['/hello'], 5));
      checkRuns.push(await load(server.url, paths, 5));
    }
    await stopServer(hello);
    await stopServer(server);
    const helloRps = median(helloRuns.map((r) => r.rps));
    const checkRps = median(checkRuns.map((r) => r.rps));
    const helloP99 = median(helloRuns.map((r) => r.p99));
    const checkP99 = median(checkRuns.map((r) => r.p99));
    return [
      { name: `GET /api/v1/check, ${entries.toLocaleString('en-US')} entries, 50 conns`, unit: 'req/s', baselineName: 'Fastify hello-world', baseline: helloRps, candidate: checkRps, target: '≥ 0.60×', pass: checkRps / helloRps >= 0.6 },
      { name: 'GET /api/v1/check p99 latency', unit: 'ms', baselineName: 'hello-world p99', baseline: helloP99, candidate: checkP99, target: '< 10 ms', pass: checkP99 < 10 },
      { name: 'lookup index memory per entry', unit: 'B', baselineName: 'a Map<string, object>', baseline: mapBytesPerEntry(), candidate: bytesPerEntry, target: '< 200 B', pass: bytesPerEntry < 200 },
      { name: 'cold start to first answer', unit: 's', baselineName: 'empty database', baseline: bare.coldStartMs / 1000, candidate: server.coldStartMs / 1000, target: '< 15 s', pass: server.coldStartMs < 15_000 },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  }
}

/** Rows per second of a bare multi-row insert of the same reports into an unindexed table: the machine's pace. */
async function bareInsertRate(storage: Storage, count: number): Promise<number> {
  await sql`CREATE TEMP TABLE bare (reference text, received_at timestamptz, channel text, scam_type text, narrative text)`.execute(storage.db);
  const started = performance.now();
  for (let at = 0; at < count; at += 1000) {
    const n = Math.min(1000, count - at);
    const refs = Array.from({ length: n }, (_, i) => `SG-${at + i}`);
    await sql`INSERT INTO bare SELECT * FROM unnest(${refs}::text[], ${refs.map(() => new Date())}::timestamptz[], ${refs.map(() => 'sms')}::text[],
      ${refs.map(() => 'investment')}::text[], ${refs.map((r) => `narrative ${r}`)}::text[])`.execute(storage.db);
  }
  return count / ((performance.now() - started) / 1000);
}

async function importRate(storage: Storage, file: string, count: number): Promise<{ rate: number; baseline: number }> {
  await migrateToLatest(storage.db);
  const baseline = await bareInsertRate(storage, count);
  const summary = await importReports(storage.db, deriveSecrets(SECRET), file, 'bench', { region: 'HK', rejectsPath: `${file}.rejects` });
  if (summary.stored + summary.rejected !== count) throw new Error(`import stored ${summary.stored} of ${count}`);
  return { rate: count / summary.seconds, baseline };
}

/** Report import into PGlite and into PostgreSQL (a fresh database on the local server). */
export async function importBenchmarks(): Promise<Comparison[]> {
  const dir = mkdtempSync(join(tmpdir(), 'scamgraph-bench-import-'));
  const count = 100_000;
  const file = join(dir, 'reports.jsonl');
  await writeReports(file, { count, seed: 3 });
  const rows: Comparison[] = [];
  try {
    const lite = await openStorage({ databaseUrl: null, dataDir: join(dir, 'pglite') });
    try {
      const r = await importRate(lite, file, count);
      rows.push({ name: `import ${count.toLocaleString('en-US')} reports into PGlite`, unit: 'reports/s', baselineName: 'bare insert, same rows', baseline: r.baseline, candidate: r.rate, target: '≥ 5,000/s', pass: r.rate >= 5000 });
    } finally {
      await lite.close();
    }
    const admin = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
    const name = `scamgraph_bench_${process.pid}`;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const server = await openStorage({ databaseUrl: url.toString(), dataDir: dir });
    try {
      const r = await importRate(server, file, count);
      rows.push({ name: `import ${count.toLocaleString('en-US')} reports into PostgreSQL`, unit: 'reports/s', baselineName: 'bare insert, same rows', baseline: r.baseline, candidate: r.rate, target: '≥ 10,000/s', pass: r.rate >= 10_000 });
    } finally {
      await server.close();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
