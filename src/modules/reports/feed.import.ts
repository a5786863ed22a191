import type { Kysely } from 'kysely';
import { DEFAULT_VERDICT_POLICY } from '../../config.js';
import type { Database } from '../../storage/schema.js';
import { IndicatorError, isIndicatorKind, type IndicatorKind } from '../indicators/index.js';
import { scopedEntry } from '../verdicts/evidence-keys.js';
import { feedTtl, upsertListings, type FeedListing } from '../verdicts/feeds.repository.js';
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

/**
 * Imports a trusted source's list: one value per line, or CSV/TSV `kind,value` or with a header. A listed
 * link covers that link only (feeds list exact phishing URLs, often on hacked or shared sites); a listed
 * domain covers its site. Each listing keeps the source's first/last seen dates when the file has them and
 * expires its feed's time to live after it was listed; listing it again renews it.
 */
export async function importFeed(db: Kysely<Database>, path: string, feed: string, options: FeedOptions): Promise<ImportSummary> {
  const started = performance.now();
  const counter: ByteCounter = { bytes: 0 };
  const rejects = new Rejects(options.rejectsPath);
  const batchSize = options.batchSize ?? 5000;
  const level = options.level === 'high_risk' ? RISK.high_risk : RISK.suspicious;
  const summary: ImportSummary = { records: 0, stored: 0, alreadyPresent: 0, duplicates: 0, rejected: 0, seconds: 0 };
  const listedAt = options.now ?? new Date();
  const ctx = { policy: options.policy ?? DEFAULT_VERDICT_POLICY, now: listedAt.getTime() / 1000 };
  const renewBefore = new Date(listedAt.getTime() - RENEW_AFTER_MS);
  let ttl: number | null = null;
  let batch = new Map<string, FeedListing>();
  const expiry = (kind: string): Date => new Date(listedAt.getTime() + (ttl ?? (LINK_KINDS.has(kind) ? DEFAULT_TTL_DAYS.link : DEFAULT_TTL_DAYS.other)) * DAY_MS);
  const flush = async (): Promise<void> => {
    if (batch.size === 0) return;
    const listings = [...batch.values()];
    const added = await db.transaction().execute(async (trx) => {
      const result = await upsertListings(trx, feed, level, listedAt, renewBefore, listings);
      await refreshEvidence(trx, result.written, ctx);
      return result.added;
    });
    summary.stored += added;
    summary.alreadyPresent += listings.length - added;
    batch = new Map();
    options.onProgress?.({ records: summary.records, stored: summary.stored, rejected: rejects.count, bytes: counter.bytes });
  };
  try {
    ttl = await feedTtl(db, feed, options.ttlDays);
    const format = formatOf(path, 'lines');
    let layout: FeedLayout | null = null;
    for await (const record of readSource(path, format, counter, false)) {
      summary.records++;
      if (record.error !== undefined) {
        await rejects.add(record.line, 'MALFORMED_CSV', record.error);
        continue;
      }
      let kind: string | undefined;
      let value: string;
      let firstSeen: Date | null | string = null;
      let lastSeen: Date | null | string = null;
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
        firstSeen = sourceDate(cells, layout.firstSeen, 'first seen');
        lastSeen = sourceDate(cells, layout.lastSeen, 'last seen');
      }
      if (kind !== undefined && kind !== '' && !isIndicatorKind(kind)) {
        await rejects.add(record.line, 'UNKNOWN_KIND', `unknown kind “${kind}”`);
        continue;
      }
      const badDate = typeof firstSeen === 'string' ? firstSeen : typeof lastSeen === 'string' ? lastSeen : null;
      if (badDate !== null) {
        await rejects.add(record.line, 'VALIDATION_FAILED', badDate);
        continue;
      }
      try {
        const indicator = normalizeGiven(value, kind === '' ? undefined : (kind as IndicatorKind | undefined), options.region);
        const entry = scopedEntry(indicator, 'url');
        if (entry === null) await rejects.add(record.line, 'SHARED_HOST', 'a whole shared host cannot be listed; list the exact link');
        else {
          const seen = { firstSeen: firstSeen as Date | null, lastSeen: lastSeen as Date | null };
          batch.set(entry, { entry, kind: indicator.kind, canonical: indicator.canonical, ...seen, expiresAt: expiry(indicator.kind) });
        }
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
