import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { normalize } from '../src/modules/indicators/index.js';
import { importFeed } from '../src/modules/reports/report.import.js';
import { openStorage } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import { openPhishUrls } from '../test/helpers/shared-data.js';
import type { Comparison } from './harness.js';

// `npm run bench -- cli`: a one-off `scamgraph check` process against a data directory of 350,000 entries,
// beside a `scamgraph normalize` process of the same value (the same start-up, no database). A one-off check
// must open the database and read the few entries the value names, never load the whole index.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'scamgraph.js');
const OPENPHISH = join(ROOT, '..', 'shared', 'data', 'openphish', 'urls.tsv.gz');
const ENTRIES = 350_000;
const SECRET = Buffer.alloc(32, 7).toString('base64');

function log(message: string): void {
  process.stderr.write(`  ${message}\n`);
}

/** The OpenPhish links as a high-risk feed, topped up with generated HK numbers to `ENTRIES` entries. */
async function buildDataDir(dir: string): Promise<number> {
  const storage = await openStorage({ databaseUrl: null, dataDir: dir });
  try {
    await migrateToLatest(storage.db);
    const options = { region: 'HK', rejectsPath: join(dir, 'rejects.jsonl') };
    await importFeed(storage.db, OPENPHISH, 'openphish', { ...options, level: 'high_risk', column: 'url' });
    const count = async (): Promise<number> => Number((await sql<{ n: number }>`SELECT count(*) AS n FROM evidence`.execute(storage.db)).rows[0]?.n);
    const missing = ENTRIES - (await count());
    const generated = join(dir, 'numbers.csv');
    const out = createWriteStream(generated);
    // HK numbers from +852 5100 0000 up, those libphonenumber deems valid: one entry each.
    for (let n = 0, written = 0; written < missing; n++) {
      const phone = `+8525${String(1_000_000 + n)}`;
      try {
        normalize('phone', phone);
      } catch {
        continue;
      }
      written++;
      if (!out.write(`phone,${phone}\n`)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    await importFeed(storage.db, generated, 'bench-numbers', { ...options, level: 'suspicious' });
    return await count();
  } finally {
    await storage.close();
  }
}

/** Seconds from spawn to exit of one `scamgraph` process; throws unless it printed what `expect` matches. */
function run(args: string[], expect: RegExp): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SCAMGRAPH_SECRET_KEY: SECRET, DATABASE_URL: '' } });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0 || !expect.test(result.stdout)) throw new Error(`scamgraph ${args.join(' ')}: exit ${result.status}\n${result.stdout}${result.stderr}`);
  return seconds;
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

/** One-off `check` processes against 350,000 entries, in rounds alternating with `normalize` of the same value. */
export async function cliCheckBenchmarks(): Promise<Comparison[]> {
  const dir = mkdtempSync(join(tmpdir(), 'scamgraph-bench-cli-'));
  try {
    const started = performance.now();
    const entries = await buildDataDir(dir);
    log(`data directory: ${entries.toLocaleString('en-US')} entries in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    const value = openPhishUrls()[1000] as string; // a listed link: the check finds its entry
    const normalize = (): number => run(['normalize', value], /"kind":"url"/);
    const check = (): number => run(['check', value, '--data', dir], /HIGH RISK/);
    normalize(); // warm-up of both (tsx's cache of the transformed sources, the page cache)
    check();
    const baseline: number[] = [];
    const candidate: number[] = [];
    for (let round = 0; round < 7; round++) {
      baseline.push(normalize());
      candidate.push(check());
    }
    log(`check: ${candidate.map((s) => s.toFixed(2)).join(', ')} s; normalize: ${baseline.map((s) => s.toFixed(2)).join(', ')} s`);
    const seconds = median(candidate);
    return [
      {
        name: `one-off scamgraph check, ${entries.toLocaleString('en-US')} entries (PGlite)`,
        unit: 's',
        baselineName: 'scamgraph normalize, same value',
        baseline: median(baseline),
        candidate: seconds,
        target: '< 1.5 s',
        pass: seconds < 1.5,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
