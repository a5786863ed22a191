import type { Kysely } from 'kysely';
import { DEFAULT_VERDICT_POLICY } from '../../config.js';
import type { Database } from '../../storage/schema.js';
import { IndicatorError, isIndicatorKind, type IndicatorKind } from '../indicators/index.js';
import { scopedEntry } from '../verdicts/evidence-keys.js';
import { feedTtl, removeListings, upsertListings, type FeedListing } from '../verdicts/feeds.repository.js';
import { RISK } from '../verdicts/verdict.types.js';
import { refreshEvidence } from '../verdicts/verdicts.repository.js';
import { Rejects } from './import-rejects.js';
import { formatOf, readSource, type ByteCounter } from './import-source.js';
import { normalizeGiven } from './report.intake.js';
import type { ImportOptions, ImportSummary } from './report.import.js';

/**
 * How long a listing counts after it is made or renewed, when its feed sets no time to live: phishing links
 * and sites move on within days (a link listed in 2024 must not stay high risk), numbers and accounts last.
 */
export const DEFAULT_TTL_DAYS = { link: 30, other: 180 } as const;
const LINK_KINDS: ReadonlySet<string> = new Set(['url', 'domain', 'ip']);
const DAY_MS = 86_400_000;
/** A listing renewed within the last day is not written again: re-running an import changes nothing. */
const RENEW_AFTER_MS = DAY_MS;

export interface FeedOptions extends ImportOptions {
  level: 'suspicious' | 'high_risk';
  /** For CSV/TSV with a header row: the column holding the values (default `value`). */
  column?: string;
  /** Days a listing of this feed counts after it is made or renewed; remembered for the feed's later imports. */
  ttlDays?: number;
  /** Some records are listed at suspicious only (atMostSuspicious): a value met at both levels keeps the higher. */
  mixedLevels?: boolean;
  /** Add to the rejects file instead of starting it again (an import made of several calls, page by page). */
  appendRejects?: boolean;
}

interface FeedLayout {
  header: boolean;
  kind: number;
  value: number;
  firstSeen: number;
  lastSeen: number;
}

const FIRST_SEEN = /^(first[ _-]?seen.*|date[ _-]?added)$/i;
const LAST_SEEN = /^last[ _-]?seen.*$/i;

/**
 * Where kind, value and the source's dates sit in a CSV/TSV feed: a header row naming the value column (and
 * maybe `kind`, `first_seen`/`last_seen` or the like), or no header and `kind,value` (two cells) or just the
 * value (one cell).
 */
function feedLayout(first: string[], column: string): FeedLayout {
  const named = first.indexOf(column);
  if (named !== -1) {
    return { header: true, kind: first.indexOf('kind'), value: named, firstSeen: first.findIndex((c) => FIRST_SEEN.test(c)), lastSeen: first.findIndex((c) => LAST_SEEN.test(c)) };
  }
  return first.length >= 2 ? { header: false, kind: 0, value: 1, firstSeen: -1, lastSeen: -1 } : { header: false, kind: -1, value: 0, firstSeen: -1, lastSeen: -1 };
}

/** A date and time with no offset, as URLhaus writes its `dateadded` ("2024-05-01 10:00:00", UTC). */
const WITHOUT_OFFSET = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/;

/**
 * A source's date cell: null when absent or empty; an error message when it is not a date. A time without
 * an offset is read as UTC, as a date alone is: never in the zone of the machine that imports it.
 */
function sourceDate(cells: string[], index: number, name: string): Date | null | string {
  const cell = index === -1 ? '' : (cells[index] ?? '').trim();
  if (cell === '') return null;
  const date = new Date(cell.replace(WITHOUT_OFFSET, '$1T$2Z'));
  return Number.isNaN(date.getTime()) ? `the ${name} column “${cell.slice(0, 40)}” is not a date` : date;
}

/** One value of a trusted source as the source gives it, or why the source's record was refused. */
export type FeedRecord =
  | {
      line: number;
      value: string;
      kind?: string;
      firstSeen?: Date | null;
      lastSeen?: Date | null;
      /** Listed at suspicious whatever the import's level (a MISP attribute not meant for blocking). */
      atMostSuspicious?: boolean;
      /** Where in the source it is, for the rejects file when `line` alone does not say (a MISP event and attribute). */
      where?: string;
    }
  | { line: number; refused: { code: string; reason: string } };

/**
 * Imports a trusted source's list: one value per line, or CSV/TSV `kind,value` or with a header. A listed
 * link covers that link only (feeds list exact phishing URLs, often on hacked or shared sites); a listed
 * domain covers its site. Each listing keeps the source's first/last seen dates when the file has them and
 * expires its feed's time to live after it was listed; listing it again renews it.
 */
export async function importFeed(db: Kysely<Database>, path: string, feed: string, options: FeedOptions): Promise<ImportSummary> {
  const counter: ByteCounter = { bytes: 0 };
  return importFeedRecords(db, fileRecords(path, options.column ?? 'value', counter), feed, options, counter);
}

/** The records of a feed file, with the header row (if any) read for where the values and dates are. */
async function* fileRecords(path: string, column: string, counter: ByteCounter): AsyncGenerator<FeedRecord | 'header'> {
  let layout: FeedLayout | null = null;
  for await (const record of readSource(path, formatOf(path, 'lines'), counter, false)) {
    if (record.error !== undefined) {
      yield { line: record.line, refused: { code: 'MALFORMED_CSV', reason: record.error } };
      continue;
    }
    if (typeof record.value === 'string') {
      yield { line: record.line, value: record.value };
      continue;
    }
    const cells = record.value as string[];
    if (layout === null) {
      layout = feedLayout(cells, column);
      if (layout.header) {
        yield 'header';
        continue;
      }
    }
    const firstSeen = sourceDate(cells, layout.firstSeen, 'first seen');
    const lastSeen = sourceDate(cells, layout.lastSeen, 'last seen');
    const badDate = typeof firstSeen === 'string' ? firstSeen : typeof lastSeen === 'string' ? lastSeen : null;
    if (badDate !== null) yield { line: record.line, refused: { code: 'VALIDATION_FAILED', reason: badDate } };
    else yield { line: record.line, kind: layout.kind === -1 ? undefined : cells[layout.kind], value: cells[layout.value] ?? '', firstSeen: firstSeen as Date | null, lastSeen: lastSeen as Date | null };
  }
}

/**
 * Lists the records' values in a feed, in batches that each commit in one transaction; a listing already
 * made and renewed within the day is not written again, so a second run adds nothing and a run killed at
 * any moment completes when run again. `counter` is what progress reports as bytes read.
 */
export async function importFeedRecords(
  db: Kysely<Database>,
  records: AsyncIterable<FeedRecord | 'header'>,
  feed: string,
  options: FeedOptions,
  counter: ByteCounter = { bytes: 0 },
): Promise<ImportSummary> {
  const started = performance.now();
  const rejects = new Rejects(options.rejectsPath, options.appendRejects === true);
  const batchSize = options.batchSize ?? 5000;
  const given = options.level === 'high_risk' ? RISK.high_risk : RISK.suspicious;
  const summary: ImportSummary = { records: 0, stored: 0, alreadyPresent: 0, duplicates: 0, rejected: 0, seconds: 0 };
  const listedAt = options.now ?? new Date();
  const ctx = { policy: options.policy ?? DEFAULT_VERDICT_POLICY, now: listedAt.getTime() / 1000 };
  const renewBefore = new Date(listedAt.getTime() - RENEW_AFTER_MS);
  let ttl: number | null = null;
  let batch = new Map<string, { listing: FeedListing; level: number }>();
  // Where one run lists a value at two levels (a MISP feed naming it in two events), the higher one stands:
  // a later, lower record must not undo it. Only such sources pay for remembering every value.
  const highest = options.mixedLevels === true ? new Map<string, number>() : null;
  const expiry = (kind: string): Date => new Date(listedAt.getTime() + (ttl ?? (LINK_KINDS.has(kind) ? DEFAULT_TTL_DAYS.link : DEFAULT_TTL_DAYS.other)) * DAY_MS);
  const flush = async (): Promise<void> => {
    if (batch.size === 0) return;
    const byLevel = new Map<number, FeedListing[]>();
    for (const { listing, level } of batch.values()) byLevel.set(level, [...(byLevel.get(level) ?? []), listing]);
    const added = await db.transaction().execute(async (trx) => {
      let count = 0;
      const written: string[] = [];
      for (const [level, listings] of byLevel) {
        const result = await upsertListings(trx, feed, level, listedAt, renewBefore, listings);
        written.push(...result.written);
        count += result.added;
      }
      await refreshEvidence(trx, written, ctx);
      return count;
    });
    summary.stored += added;
    summary.alreadyPresent += batch.size - added;
    batch = new Map();
    options.onProgress?.({ records: summary.records, stored: summary.stored, rejected: rejects.count, bytes: counter.bytes });
  };
  try {
    ttl = await feedTtl(db, feed, options.ttlDays);
    for await (const record of records) {
      if (record === 'header') continue;
      summary.records++;
      if ('refused' in record) {
        await rejects.add(record.line, record.refused.code, record.refused.reason);
        continue;
      }
      const { kind } = record;
      if (kind !== undefined && kind !== '' && !isIndicatorKind(kind)) {
        await rejects.add(record.line, 'UNKNOWN_KIND', `unknown kind “${kind}”`);
        continue;
      }
      try {
        const indicator = normalizeGiven(record.value, kind === '' ? undefined : (kind as IndicatorKind | undefined), options.region);
        const entry = scopedEntry(indicator, 'url');
        if (entry === null) await rejects.add(record.line, 'SHARED_HOST', 'a whole shared host cannot be listed; list the exact link');
        else {
          const level = record.atMostSuspicious === true ? RISK.suspicious : given;
          if (highest !== null && (highest.get(entry) ?? -1) > level) summary.alreadyPresent++;
          else {
            highest?.set(entry, level);
            batch.set(entry, { listing: { entry, kind: indicator.kind, canonical: indicator.canonical, firstSeen: record.firstSeen ?? null, lastSeen: record.lastSeen ?? null, expiresAt: expiry(indicator.kind) }, level });
          }
        }
      } catch (error) {
        if (!(error instanceof IndicatorError)) throw error;
        await rejects.add(record.line, error.code, record.where === undefined ? error.message : `${record.where}: ${error.message}`);
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

/**
 * Ends the listings of values in a feed, because the source revoked them (a TAXII peer's revoked indicator):
 * the evidence is recomputed and the verdict log says so in the same transaction. Values not listed, or not
 * valid, change nothing. Returns how many listings ended.
 */
export async function delistFeedValues(db: Kysely<Database>, feed: string, values: readonly { value: string; kind?: IndicatorKind }[], options: Pick<FeedOptions, 'region' | 'policy' | 'now'>): Promise<number> {
  const entries = new Set<string>();
  for (const { value, kind } of values) {
    try {
      const entry = scopedEntry(normalizeGiven(value, kind, options.region), 'url');
      if (entry !== null) entries.add(entry);
    } catch (error) {
      if (!(error instanceof IndicatorError)) throw error;
    }
  }
  if (entries.size === 0) return 0;
  const ctx = { policy: options.policy ?? DEFAULT_VERDICT_POLICY, now: (options.now ?? new Date()).getTime() / 1000 };
  return db.transaction().execute(async (trx) => {
    const ended = await removeListings(trx, feed, [...entries]);
    await refreshEvidence(trx, ended, ctx);
    return ended.length;
  });
}
