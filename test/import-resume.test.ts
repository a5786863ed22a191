import assert from 'node:assert/strict';
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { openScamgraph, type Scamgraph } from '../src/main.js';
import type { IndicatorKind } from '../src/modules/indicators/index.js';
import { REPORT_BATCH } from '../src/modules/reports/report.import.js';
import type { Database } from '../src/storage/schema.js';
import { childEnv, testConfig } from './helpers/database.js';
import { startChild, stopChildren } from './helpers/processes.js';
import { generateReports, type GeneratedSummary } from './helpers/report-generator.js';

// An import killed with SIGKILL part-way, twice, and run again must end with exactly what one uninterrupted
// run gives: the default embedded database (PGlite on disk), through the real CLI in child processes.
// This takes a few minutes (200,000 reports imported twice, the two runs side by side).

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'scamgraph.js');
const COUNT = 200_000;
const BATCH = REPORT_BATCH; // the importer's default batch size: batches commit whole
const BAD_EVERY = 10_000;

/**
 * COUNT generated reports, and after every BAD_EVERY-th a line the parser refuses (alternately not JSON and a
 * bad channel). Those never enter a batch, so batches still store REPORT_BATCH reports each.
 */
async function writeImportFile(path: string, end: Date): Promise<{ summary: GeneratedSummary; badLines: [number, string][] }> {
  const summary: GeneratedSummary = { lines: 0, withReporter: 0, repeats: 0, campaigns: 0, largestCampaign: 0 };
  const badLines: [number, string][] = [];
  const out = createWriteStream(path);
  let chunk = '';
  let line = 0;
  for (const report of generateReports({ count: COUNT, seed: 2026, end }, summary)) {
    chunk += JSON.stringify(report) + '\n';
    line++;
    if (line % (BAD_EVERY + 1) === BAD_EVERY) {
      const json = badLines.length % 2 === 0;
      chunk += json ? `{"externalId": "cut-off-${line}", "receivedAt": \n` : JSON.stringify({ ...report, externalId: `bad-${line}`, channel: 'fax' }) + '\n';
      line++;
      badLines.push([line, json ? 'MALFORMED_JSON' : 'VALIDATION_FAILED']);
    }
    if (chunk.length > 64 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return { summary, badLines };
}

function rejectsOf(path: string): [number, string][] {
  return readFileSync(path, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l) as { line: number; code: string })
    .map((r): [number, string] => [r.line, r.code])
    .sort((x, y) => x[0] - y[0]);
}

interface Run {
  pid: number;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The largest `stored` a progress line showed. */
  progressStored: number;
}

/**
 * Runs `scamgraph import FILE --data DIR` in a child process (killed when this file's tests end, should a test
 * fail first). With `killAfterProgressMs`, the child is killed with SIGKILL that many milliseconds after the
 * first progress line showing reports stored: a batch has then been committed, however slow the machine.
 * Never on a clock alone: killed before its first batch, a run proves nothing about resuming.
 */
function runImport(file: string, dataDir: string, rejects: string, killAfterProgressMs?: number): Promise<Run> {
  const child = startChild(process.execPath, [BIN, 'import', file, '--data', dataDir, '--rejects', rejects], { cwd: ROOT, env: childEnv({ SCAMGRAPH_REGION: 'HK' }) });
  const run: Run = { pid: child.process.pid as number, code: null, signal: null, stdout: '', stderr: '', progressStored: 0 };
  let timer: NodeJS.Timeout | null = null;
  child.process.stderr?.on('data', (text: string) => {
    for (const m of text.matchAll(/importing: ([\d,]+) records read, ([\d,]+) stored/g)) {
      run.progressStored = Math.max(run.progressStored, Number((m[2] as string).replace(/,/g, '')));
      if (killAfterProgressMs !== undefined && run.progressStored > 0 && timer === null) timer = setTimeout(() => void child.stop('SIGKILL'), killAfterProgressMs);
    }
  });
  // Resolved once the child has exited (and been reaped, so its pid no longer counts as running) and its pipes are drained.
  return child.exited.then((code) => {
    if (timer !== null) clearTimeout(timer);
    return { ...run, code, signal: child.process.signalCode, stdout: child.stdout, stderr: child.stderr };
  });
}

interface Summary {
  records: number;
  added: number;
  present: number;
  duplicates: number;
  rejected: number;
}

function parseSummary(stdout: string): Summary {
  const m = /([\d,]+) records in [\d.]+ s \([\d,]+\/s\): ([\d,]+) reports added, ([\d,]+) already present, ([\d,]+) linked as duplicates, ([\d,]+) rejected/.exec(stdout);
  assert.ok(m, `no summary in ${JSON.stringify(stdout)}`);
  const n = (i: number): number => Number((m[i] as string).replace(/,/g, ''));
  return { records: n(1), added: n(2), present: n(3), duplicates: n(4), rejected: n(5) };
}

const open = (dataDir: string): Promise<Scamgraph> => openScamgraph(testConfig(null, { dataDir }), { loadIndex: false });

async function reportCount(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A report's batch is stored whole: its indicators and evidence links are there too. */
async function reportsWithoutIndicators(db: Kysely<Database>): Promise<number> {
  const r = await sql<{ n: number }>`SELECT count(*)::int AS n FROM reports r WHERE NOT EXISTS (SELECT 1 FROM report_indicators i WHERE i.report_id = r.id AND NOT i.extracted)`.execute(db);
  return r.rows[0]?.n ?? -1;
}

interface TableDigest {
  rows: number;
  hash: string;
  /** The first row that differs from the other database, when one does. */
  firstDifference: string | null;
}

type Page = (db: Kysely<Database>, after: string, upTo: string | null) => Promise<string[]>;

/** Reports (with the reference of what each duplicates), their indicators, evidence links and clusters, by reference. */
const REPORT_TABLES: Record<string, Page> = {
  reports: async (db, after, upTo) =>
    (
      await sql<{ row: string }>`
        SELECT json_build_array(r.reference, r.source, r.external_id, encode(r.fingerprint, 'hex'), encode(r.content_hash, 'hex'), d.reference,
          r.received_at, r.occurred_at, r.channel, r.scam_type, r.narrative, r.loss_amount, r.loss_currency, r.status, r.status_token_hash IS NULL)::text AS row
        FROM reports r LEFT JOIN reports d ON d.id = r.duplicate_of
        WHERE r.reference > ${after} AND (${upTo}::text IS NULL OR r.reference <= ${upTo})
        ORDER BY r.reference`.execute(db)
    ).rows.map((r) => r.row),
  report_indicators: async (db, after, upTo) =>
    (
      await sql<{ row: string }>`
        SELECT json_build_array(r.reference, i.key, i.kind, i.canonical, i.role, i.extracted)::text AS row
        FROM reports r JOIN report_indicators i ON i.report_id = r.id
        WHERE r.reference > ${after} AND (${upTo}::text IS NULL OR r.reference <= ${upTo})
        ORDER BY r.reference, i.key`.execute(db)
    ).rows.map((r) => r.row),
  report_evidence: async (db, after, upTo) =>
    (
      await sql<{ row: string }>`
        SELECT json_build_array(r.reference, e.evidence_key)::text AS row
        FROM reports r JOIN report_evidence e ON e.report_id = r.id
        WHERE r.reference > ${after} AND (${upTo}::text IS NULL OR r.reference <= ${upTo})
        ORDER BY r.reference, e.evidence_key`.execute(db)
    ).rows.map((r) => r.row),
  // Clusters as partitions: each report with the first reference of its cluster (ids differ between runs).
  report_clusters: async (db, after, upTo) =>
    (
      await sql<{ row: string }>`
        WITH firsts AS (SELECT rc.cluster_id, min(r.reference) AS first FROM report_clusters rc JOIN reports r ON r.id = rc.report_id GROUP BY rc.cluster_id)
        SELECT json_build_array(r.reference, f.first)::text AS row
        FROM reports r JOIN report_clusters rc ON rc.report_id = r.id JOIN firsts f ON f.cluster_id = rc.cluster_id
        WHERE r.reference > ${after} AND (${upTo}::text IS NULL OR r.reference <= ${upTo})
        ORDER BY r.reference`.execute(db)
    ).rows.map((r) => r.row),
};

const evidencePage: Page = async (db, after, upTo) =>
  (
    await sql<{ row: string }>`
      SELECT json_build_array(key, report_count, first_seen, last_seen, last_report, scam_types, feed_level, feed_name, decision, decided_at, protection)::text AS row
      FROM evidence WHERE key > ${after} AND (${upTo}::text IS NULL OR key <= ${upTo}) ORDER BY key`.execute(db)
  ).rows.map((r) => r.row);

/**
 * Walks both databases in the same key ranges (taken from `a`, a page of `pageSize` keys at a time, the last
 * range open-ended so that nothing in `b` is missed), hashing every row; keeps the first row that differs.
 */
async function compareTables(a: Kysely<Database>, b: Kysely<Database>, boundaries: (after: string) => Promise<string | null>, tables: Record<string, Page>): Promise<Record<string, [TableDigest, TableDigest]>> {
  const state: Record<string, { hashes: [Hash, Hash]; rows: [number, number]; diff: string | null }> = {};
  for (const name of Object.keys(tables)) state[name] = { hashes: [createHash('sha256'), createHash('sha256')], rows: [0, 0], diff: null };
  let after = '';
  for (;;) {
    const upTo = await boundaries(after);
    for (const [name, page] of Object.entries(tables)) {
      const s = state[name]!;
      const [ra, rb] = await Promise.all([page(a, after, upTo), page(b, after, upTo)]);
      for (const row of ra) s.hashes[0].update(row + '\n');
      for (const row of rb) s.hashes[1].update(row + '\n');
      s.rows[0] += ra.length;
      s.rows[1] += rb.length;
      if (s.diff === null) {
        const i = ra.findIndex((row, j) => row !== rb[j]);
        if (i !== -1 || ra.length !== rb.length) {
          const at = i === -1 ? Math.min(ra.length, rb.length) : i;
          s.diff = `A: ${ra[at] ?? '(none)'}\nB: ${rb[at] ?? '(none)'}`;
        }
      }
    }
    if (upTo === null) break;
    after = upTo;
  }
  const out: Record<string, [TableDigest, TableDigest]> = {};
  for (const [name, s] of Object.entries(state)) {
    out[name] = [
      { rows: s.rows[0], hash: s.hashes[0].digest('hex'), firstDifference: s.diff },
      { rows: s.rows[1], hash: s.hashes[1].digest('hex'), firstDifference: s.diff },
    ];
  }
  return out;
}

/** The upper bound of the page of `size` keys after `after` in `column` of `table` (null: the rest). */
function pagesOf(db: Kysely<Database>, table: 'reports' | 'evidence', column: 'reference' | 'key', size: number): (after: string) => Promise<string | null> {
  return async (after) => {
    const r = await sql<{ k: string }>`SELECT ${sql.ref(column)} AS k FROM ${sql.table(table)} WHERE ${sql.ref(column)} > ${after} ORDER BY ${sql.ref(column)} OFFSET ${size - 1} LIMIT 1`.execute(db);
    return r.rows[0]?.k ?? null;
  };
}

describe('import killed with SIGKILL and resumed (PGlite on disk, through the CLI)', { timeout: 10 * 60_000 }, () => {
  let work: string;
  let file: string;
  let dirA: string;
  let dirB: string;
  let generated: GeneratedSummary;
  let badLines: [number, string][];
  const started = performance.now();
  const seconds = (): string => ((performance.now() - started) / 1000).toFixed(1);

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'scamgraph-resume-'));
    file = join(work, 'reports.jsonl');
    dirA = join(work, 'a');
    dirB = join(work, 'b');
    // Received over the last 120 days, so report-based verdicts have not lapsed.
    ({ summary: generated, badLines } = await writeImportFile(file, new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000)));
  });
  after(async () => {
    await stopChildren(); // a run still going would write into what is deleted here
    rmSync(work, { recursive: true, force: true });
  });

  /** Set once every run ended as it should: the comparison below needs both directories finished. */
  let importsDone = false;

  it('ends with the same data after two kills and a re-run as after one uninterrupted run', async (t) => {
    try {
      await killTwiceAndResume(t);
      importsDone = true;
    } finally {
      // A failed assertion must not leave the uninterrupted run writing (and locking) its directory.
      if (!importsDone) await stopChildren();
    }
  });

  async function killTwiceAndResume(t: { diagnostic(message: string): void }): Promise<void> {
    assert.equal(generated.lines, COUNT);
    assert.equal(badLines.length, Math.floor(COUNT / BAD_EVERY));
    assert.ok(generated.repeats > 1000 && generated.largestCampaign > 1000, JSON.stringify(generated));
    t.diagnostic(`generated ${COUNT} reports at ${seconds()} s: ${JSON.stringify(generated)}`);

    // The uninterrupted run goes on beside the interrupted ones (each is one process on one core).
    const uninterrupted = runImport(file, dirA, join(work, 'a.rejects.jsonl'));

    // Kill 1, shortly after the first batches are stored.
    const first = await runImport(file, dirB, join(work, 'b.rejects.jsonl'), 300);
    assert.equal(first.signal, 'SIGKILL', `run 1 was not killed: exit ${first.code}, ${first.stdout}${first.stderr}`);
    t.diagnostic(`run 1 killed at ${seconds()} s after a progress line showing ${first.progressStored} stored`);
    const lock = join(dirB, 'scamgraph.lock');
    assert.equal(readFileSync(lock, 'utf8').split(' ')[0], String(first.pid), 'the killed process left its lock (pid and token)');

    // Opening the directory takes the stale lock over; the database recovers with whole batches only.
    const b1 = await open(dirB);
    let afterKill1: number;
    try {
      afterKill1 = await reportCount(b1.db);
      assert.ok(afterKill1 > 0 && afterKill1 < COUNT, `${afterKill1} reports after kill 1`);
      assert.equal(afterKill1 % BATCH, 0, `${afterKill1} reports: a batch was stored in part`);
      assert.equal(await reportsWithoutIndicators(b1.db), 0);
    } finally {
      await b1.close();
    }
    assert.equal(existsSync(lock), false, 'closing released the lock');

    // Kill 2, later in a batch.
    const second = await runImport(file, dirB, join(work, 'b.rejects.jsonl'), 1700);
    assert.equal(second.signal, 'SIGKILL', `run 2 was not killed: exit ${second.code}, ${second.stdout}${second.stderr}`);
    assert.equal(readFileSync(lock, 'utf8').split(' ')[0], String(second.pid), 'the killed process left its lock (pid and token)');
    t.diagnostic(`run 2 killed at ${seconds()} s after a progress line showing ${second.progressStored} stored`);

    // Run 3 takes the stale lock over and finishes the import.
    const third = await runImport(file, dirB, join(work, 'b.rejects.jsonl'));
    assert.equal(third.code, 0, `run 3 failed: ${third.stderr}`);
    const resumed = parseSummary(third.stdout);
    t.diagnostic(`run 3 done at ${seconds()} s: ${third.stdout.trim()}`);
    assert.equal(resumed.records, COUNT + badLines.length);
    assert.equal(resumed.rejected, badLines.length);
    assert.equal(resumed.added + resumed.present, COUNT);
    assert.ok(resumed.present > afterKill1 && resumed.present < COUNT, `${resumed.present} present after kill 2 (${afterKill1} after kill 1)`);
    assert.equal(resumed.present % BATCH, 0, `${resumed.present} reports after kill 2: a batch was stored in part`);
    assert.equal(existsSync(lock), false);

    const whole = await uninterrupted;
    assert.equal(whole.code, 0, `the uninterrupted run failed: ${whole.stderr}`);
    t.diagnostic(`uninterrupted run done at ${seconds()} s: ${whole.stdout.trim()}`);
    assert.deepEqual(parseSummary(whole.stdout), { records: COUNT + badLines.length, added: COUNT, present: 0, duplicates: generated.repeats, rejected: badLines.length });
    // Every run rewrites the rejects file: the last one lists every bad line, as the uninterrupted run does.
    assert.deepEqual(rejectsOf(join(work, 'a.rejects.jsonl')), badLines);
    assert.deepEqual(rejectsOf(join(work, 'b.rejects.jsonl')), badLines);
  }

  it('has identical reports, indicators, evidence links, clusters, evidence and verdicts in both directories', async (t) => {
    assert.ok(importsDone, 'the imports above did not end as they should: nothing to compare');
    const a = await open(dirA);
    const b = await open(dirB);
    try {
      assert.equal(await reportCount(a.db), COUNT);
      assert.equal(await reportCount(b.db), COUNT);
      const reports = await compareTables(a.db, b.db, pagesOf(a.db, 'reports', 'reference', 20_000), REPORT_TABLES);
      const evidence = await compareTables(a.db, b.db, pagesOf(a.db, 'evidence', 'key', 20_000), { evidence: evidencePage });
      const digests = { ...reports, ...evidence };
      t.diagnostic(`compared at ${seconds()} s: ${Object.entries(digests).map(([name, [d]]) => `${name} ${d.rows} rows ${d.hash.slice(0, 12)}`).join(', ')}`);
      for (const [name, [da, db]] of Object.entries(digests)) {
        assert.equal(db.rows, da.rows, `${name}: row counts differ`);
        assert.equal(db.hash, da.hash, `${name} differs; first difference:\n${da.firstDifference}`);
      }
      assert.equal(digests.reports![0].rows, COUNT);
      assert.equal(digests.report_clusters![0].rows, COUNT);
      assert.ok(digests.report_indicators![0].rows > COUNT && digests.report_evidence![0].rows > COUNT && digests.evidence![0].rows > 10_000);
      const duplicates = await sql<{ n: number }>`SELECT count(*)::int AS n FROM reports WHERE duplicate_of IS NOT NULL`.execute(b.db);
      assert.equal(duplicates.rows[0]?.n, generated.repeats);

      // Verdicts of 200 indicators spread over the key space.
      await Promise.all([a.verdicts.load(), b.verdicts.load()]);
      const given = (await sql<{ key: string; kind: IndicatorKind; canonical: string }>`SELECT DISTINCT key, kind, canonical FROM report_indicators WHERE NOT extracted`.execute(a.db)).rows.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
      const step = Math.floor(given.length / 200);
      const sample = Array.from({ length: 200 }, (_, i) => given[i * step]!);
      const levels = new Map<string, number>();
      for (const { kind, canonical } of sample) {
        const va = a.verdicts.check(canonical, kind);
        const vb = b.verdicts.check(canonical, kind);
        assert.deepEqual(vb, va, `${kind} ${canonical}`);
        levels.set(va.verdict.level, (levels.get(va.verdict.level) ?? 0) + 1);
      }
      t.diagnostic(`verdicts of the sample: ${JSON.stringify(Object.fromEntries(levels))}; done at ${seconds()} s`);
      assert.ok((levels.get('high_risk') ?? 0) > 0 && (levels.get('suspicious') ?? 0) > 0, JSON.stringify(Object.fromEntries(levels)));
    } finally {
      await a.close();
      await b.close();
    }
  });
});
