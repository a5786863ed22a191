import type { Kysely } from 'kysely';
import { Compile } from 'typebox/compile';
import { DEFAULT_VERDICT_POLICY, type VerdictPolicy } from '../../config.js';
import type { Database } from '../../storage/schema.js';
import type { Secrets } from '../../storage/secrets.js';
import { EvidenceMemo } from '../verdicts/evidence-memo.js';
import type { JudgeContext } from '../verdicts/verdicts.repository.js';
import { Rejects } from './import-rejects.js';
import { formatOf, readSource, type ByteCounter, type SourceRecord } from './import-source.js';
import { assertCleanText } from './clean-text.js';
import { PrepareWorker } from './prepare-worker.js';
import { ReportPreparer, type NumberedReport } from './report.prepare.js';
import { ImportedReport } from './report.schema.js';
import { sourceHasReports, storedExternalIds, storeReports, type NewReport, type StoreResult } from './reports.repository.js';

/** PostgreSQL's SQLSTATE for a unique index refusing a row. */
const UNIQUE_VIOLATION = '23505';

export { importFeed, type FeedOptions } from './feed.import.js';

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
  /** The deployment's verdict policy, which the levels written are judged by (default: the default policy). */
  policy?: VerdictPolicy;
  /** The time of the import (default: now); feed listings are made and renewed at it. */
  now?: Date;
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

function judgeContext(options: ImportOptions): JudgeContext {
  return { policy: options.policy ?? DEFAULT_VERDICT_POLICY, now: (options.now?.getTime() ?? Date.now()) / 1000 };
}

/**
 * Reports per transaction. On PostgreSQL 10,000 imported about 8% faster than 2,500 and than 20,000: a
 * campaign's popular entries (its evidence, its cluster) are written once per batch, and the first batch is
 * prepared before anything is written. On PGlite it makes no difference.
 */
export const REPORT_BATCH = 10_000;

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
  const memo = new EvidenceMemo();
  let pending: NumberedReport[] = [];
  // Batches are prepared in a worker thread while the main thread writes the one before and reads the one
  // after; they still commit one after another, in file order. A single batch is prepared here: a thread
  // costs more than it saves.
  let worker: PrepareWorker | null = null;
  let local: ReportPreparer | null = null;
  let storing: Promise<void> | null = null;
  let failure: unknown = null;
  const store = async (batch: NewReport[], present: number): Promise<void> => {
    // A first import asserts that its batches are new; a batch another importer of the source stored
    // meanwhile is refused whole and stored again the careful way, as is every batch after it.
    let result: StoreResult;
    try {
      result = await storeReports(db, batch, judgeContext(options), { correlate: options.correlate, conflictFree: !resuming, memo });
    } catch (error) {
      if (resuming || (error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
      resuming = true;
      result = await storeReports(db, batch, judgeContext(options), { correlate: options.correlate, memo });
    }
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
    return storedExternalIds(db, sourceName, records.map((p) => p.report.externalId));
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
    resuming = await sourceHasReports(db, sourceName);
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

