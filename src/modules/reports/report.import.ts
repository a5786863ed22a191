import { createWriteStream, openSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { sql, type Kysely } from 'kysely';
import { Compile } from 'typebox/compile';
import type { Database } from '../../storage/schema.js';
import type { Secrets } from '../../storage/secrets.js';
import { IndicatorError, isIndicatorKind } from '../indicators/index.js';
import { scopedEntry } from '../verdicts/evidence-keys.js';
import { RISK } from '../verdicts/verdict.types.js';
import { refreshEvidence } from '../verdicts/verdicts.repository.js';
import { formatOf, readSource, type ByteCounter, type SourceRecord } from './import-source.js';
import { assertCleanText } from './clean-text.js';
import { normalizeGiven } from './report.intake.js';
import { PrepareWorker } from './prepare-worker.js';
import { ReportPreparer, type NumberedReport } from './report.prepare.js';
import { ImportedReport } from './report.schema.js';
import { storeReports, type NewReport } from './reports.repository.js';

export interface ImportProgress {
  records: number;
  stored: number;
  rejected: number;
  bytes: number;
}

export interface ImportOptions {
  region: string;
  /** Where rejected lines go (JSON Lines: line, code, reason); rewritten by every run. */
  rejectsPath: string;
  batchSize?: number;
  /** See StoreOptions.correlate: off only to measure what correlation costs. */
  correlate?: boolean;
  onProgress?: (progress: ImportProgress) => void;
}

export interface ImportSummary {
  records: number;
  /** Newly stored rows (reports or feed entries). */
  stored: number;
  /** Already stored by an earlier run: skipped, so a re-run adds nothing. */
  alreadyPresent: number;
  duplicates: number;
  rejected: number;
  seconds: number;
}

const validReport = Compile(ImportedReport);

/**
 * Reports per transaction. On PostgreSQL 10,000 imported about 8% faster than 2,500 and than 20,000: a
 * campaign's popular entries (its evidence, its cluster) are written once per batch, and the first batch is
 * prepared before anything is written. On PGlite it makes no difference.
 */
export const REPORT_BATCH = 10_000;

class Rejects {
  private readonly out: WriteStream;
  count = 0;
  constructor(path: string) {
    // Opened here, synchronously, so an unwritable path is an error the caller sees before any work.
    this.out = createWriteStream(path, { fd: openSync(path, 'w') });
  }
  async add(line: number, code: string, reason: string): Promise<void> {
    this.count++;
    if (!this.out.write(JSON.stringify({ line, code, reason }) + '\n')) await once(this.out, 'drain');
  }
  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'finish');
  }
}

function firstError(value: unknown): string {
  const [error] = validReport.Errors(value);
  return error === undefined ? 'invalid' : `${error.instancePath || '/'} ${error.message}`;
}

/** A CSV row (flat columns) in the JSON shape: `indicators` is a JSON array or values separated by `|`. */
function fromCsv(row: Record<string, string>): unknown {
  const { lossAmount, lossCurrency, indicators, ...rest } = row;
  const out: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== ''));
  const amount = lossAmount ?? row['loss.amount'];
  const currency = lossCurrency ?? row['loss.currency'];
  delete out['loss.amount'];
  delete out['loss.currency'];
  if (amount !== undefined && amount !== '') out.loss = { amount: Number(amount), currency };
  const list = (indicators ?? '').trim();
  out.indicators = list.startsWith('[') ? (JSON.parse(list) as unknown) : list.split('|').map((v) => v.trim()).filter((v) => v !== '').map((value) => ({ value }));
  return out;
}

/**
 * Imports reports from JSON Lines or CSV. Each batch commits in one transaction, and a report already
 * stored from the same source and external id is skipped, so an import killed at any moment and run again
 * ends with exactly what one uninterrupted run gives. Bad records go to the rejects file; the rest go on.
 * An external id repeated in one file is stored once, the first time; later copies are not stored (counted as
 * already present, or rejected when invalid).
 */
export async function importReports(db: Kysely<Database>, secrets: Secrets, path: string, source: string, options: ImportOptions): Promise<ImportSummary> {
  const started = performance.now();
  const counter: ByteCounter = { bytes: 0 };
  const rejects = new Rejects(options.rejectsPath);
  const batchSize = options.batchSize ?? REPORT_BATCH;
  const summary: ImportSummary = { records: 0, stored: 0, alreadyPresent: 0, duplicates: 0, rejected: 0, seconds: 0 };
  const sourceName = `import:${source}`;
  let pending: NumberedReport[] = [];
  // Batches are prepared in a worker thread while the main thread writes the one before and reads the one
  // after; they still commit one after another, in file order. A single batch is prepared here: a thread
  // costs more than it saves.
  let worker: PrepareWorker | null = null;
  let local: ReportPreparer | null = null;
  let storing: Promise<void> | null = null;
  let failure: unknown = null;
  const store = async (batch: NewReport[], present: number): Promise<void> => {
    const result = await storeReports(db, batch, { correlate: options.correlate });
    summary.stored += result.inserted;
    summary.duplicates += result.duplicates;
    summary.alreadyPresent += present + batch.length - result.inserted;
    options.onProgress?.({ records: summary.records, stored: summary.stored, rejected: rejects.count, bytes: counter.bytes });
  };
  const settle = async (): Promise<void> => {
    if (storing !== null) await storing;
    storing = null;
    if (failure !== null) throw failure;
  };
  let resuming = false;
  // Records stored by an earlier (interrupted) run are skipped before the costly preparation. A first run has
  // none and asks nothing: on the embedded database the question would wait for the batch being written.
  const storedBefore = async (records: NumberedReport[]): Promise<Set<string | null>> => {
    if (!resuming) return new Set();
    const rows = await db
      .selectFrom('reports')
      .select('external_id')
      .where('source', '=', sourceName)
      .where('external_id', 'in', records.map((p) => p.report.externalId))
      .execute();
    return new Set(rows.map((r) => r.external_id));
  };
  const flush = async (last: boolean): Promise<void> => {
    if (pending.length === 0) return;
    const records = pending;
    pending = [];
    const present = await storedBefore(records);
    const fresh = records.filter((p) => !present.has(p.report.externalId));
    if (worker === null && !last) worker = new PrepareWorker(secrets.fingerprintKey, sourceName, options.region);
    const preparing = worker !== null ? worker.prepare(fresh) : Promise.resolve((local ??= new ReportPreparer(secrets.fingerprintKey, sourceName, options.region)).prepareBatch(fresh));
    // Awaited in the store below; if the batch before failed, this one is never stored, and its failure is not news.
    preparing.catch(() => undefined);
    await settle();
    storing = (async () => {
      const prepared = await preparing;
      for (const bad of prepared.rejects) await rejects.add(bad.line, bad.code, bad.reason);
      await store(prepared.reports, records.length - fresh.length);
    })().catch((error: unknown) => {
      failure = error;
    });
  };
  try {
    resuming = (await db.selectFrom('reports').select('id').where('source', '=', sourceName).limit(1).executeTakeFirst()) !== undefined;
    const format = formatOf(path, 'jsonl');
    for await (const record of readSource(path, format, counter)) {
      summary.records++;
      const parsed = parse(record, format !== 'jsonl');
      if ('code' in parsed) await rejects.add(record.line, parsed.code, parsed.reason);
      else {
        pending.push({ line: record.line, report: parsed });
        if (pending.length >= batchSize) await flush(false);
      }
    }
    await flush(true);
    await settle();
  } finally {
    await (storing as Promise<void> | null)?.catch(() => undefined);
    await (worker as PrepareWorker | null)?.close();
    await rejects.close();
  }
  summary.rejected = rejects.count;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/** A record as a report that matches the import schema, or why not. */
function parse(record: SourceRecord, csv: boolean): ImportedReport | { code: string; reason: string } {
  if (record.error !== undefined) return { code: csv ? 'MALFORMED_CSV' : 'MALFORMED_JSON', reason: record.error };
  let value: unknown;
  try {
    value = csv ? fromCsv(record.value as Record<string, string>) : record.value;
  } catch {
    return { code: 'MALFORMED_JSON', reason: 'the indicators column is not a JSON array' };
  }
  if (!validReport.Check(value)) return { code: 'VALIDATION_FAILED', reason: firstError(value) };
  try {
    assertCleanText(value);
  } catch (error) {
    return { code: 'INVALID_ENCODING', reason: (error as Error).message };
  }
  return value;
}

export interface FeedOptions extends ImportOptions {
  level: 'suspicious' | 'high_risk';
  /** For CSV/TSV with a header row: the column holding the values (default `value`). */
  column?: string;
}

/**
 * Where kind and value sit in a CSV/TSV feed: a header row naming the value column (and maybe `kind`), or
 * no header and `kind,value` (two cells) or just the value (one cell).
 */
function feedLayout(first: string[], column: string): { header: boolean; kind: number; value: number } {
  const named = first.indexOf(column);
  if (named !== -1) return { header: true, kind: first.indexOf('kind'), value: named };
  return first.length >= 2 ? { header: false, kind: 0, value: 1 } : { header: false, kind: -1, value: 0 };
}

/**
 * Imports a trusted source's list: one value per line, or CSV `kind,value`. A listed link covers that link
 * only (feeds list exact phishing URLs, often on hacked or shared sites); a listed domain covers its site.
 */
export async function importFeed(db: Kysely<Database>, path: string, feed: string, options: FeedOptions): Promise<ImportSummary> {
  const started = performance.now();
  const counter: ByteCounter = { bytes: 0 };
  const rejects = new Rejects(options.rejectsPath);
  const batchSize = options.batchSize ?? 5000;
  const level = options.level === 'high_risk' ? RISK.high_risk : RISK.suspicious;
  const summary: ImportSummary = { records: 0, stored: 0, alreadyPresent: 0, duplicates: 0, rejected: 0, seconds: 0 };
  const listedAt = new Date();
  let batch = new Map<string, { kind: string; canonical: string }>();
  const flush = async (): Promise<void> => {
    if (batch.size === 0) return;
    const entries = [...batch.keys()];
    const rows = [...batch.values()];
    const stored = await db.transaction().execute(async (trx) => {
      const result = await sql<{ evidence_key: string }>`
        INSERT INTO feed_entries (feed, evidence_key, kind, canonical, level, listed_at)
        SELECT ${feed}, * FROM unnest(${entries}::text[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.canonical)}::text[],
          ${rows.map(() => level)}::smallint[], ${rows.map(() => listedAt)}::timestamptz[])
        ON CONFLICT (feed, evidence_key) DO UPDATE SET level = excluded.level WHERE feed_entries.level <> excluded.level
        RETURNING evidence_key`.execute(trx);
      await refreshEvidence(trx, entries);
      return result.rows.length;
    });
    summary.stored += stored;
    summary.alreadyPresent += batch.size - stored;
    batch = new Map();
    options.onProgress?.({ records: summary.records, stored: summary.stored, rejected: rejects.count, bytes: counter.bytes });
  };
  try {
    const format = formatOf(path, 'lines');
    let layout: ReturnType<typeof feedLayout> | null = null;
    for await (const record of readSource(path, format, counter, false)) {
      summary.records++;
      if (record.error !== undefined) {
        await rejects.add(record.line, 'MALFORMED_CSV', record.error);
        continue;
      }
      let kind: string | undefined;
      let value: string;
      if (typeof record.value === 'string') value = record.value;
      else {
        const cells = record.value as string[];
        if (layout === null) {
          layout = feedLayout(cells, options.column ?? 'value');
          if (layout.header) {
            summary.records--;
            continue;
          }
        }
        kind = layout.kind === -1 ? undefined : cells[layout.kind];
        value = cells[layout.value] ?? '';
      }
      if (kind !== undefined && kind !== '' && !isIndicatorKind(kind)) {
        await rejects.add(record.line, 'UNKNOWN_KIND', `unknown kind “${kind}”`);
        continue;
      }
      try {
        const indicator = normalizeGiven(value, kind === '' ? undefined : (kind as Parameters<typeof normalizeGiven>[1]), options.region);
        const entry = scopedEntry(indicator, 'url');
        if (entry === null) await rejects.add(record.line, 'SHARED_HOST', 'a whole shared host cannot be listed; list the exact link');
        else batch.set(entry, { kind: indicator.kind, canonical: indicator.canonical });
      } catch (error) {
        if (!(error instanceof IndicatorError)) throw error;
        await rejects.add(record.line, error.code, error.message);
      }
      if (batch.size >= batchSize) await flush();
    }
    await flush();
  } finally {
    await rejects.close();
  }
  summary.rejected = rejects.count;
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
