import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import type { IndicatorKind } from '../indicators/index.js';
import { delistFeedValues, importFeedRecords, type FeedOptions, type FeedRecord } from '../reports/feed.import.js';
import type { ImportSummary } from '../reports/report.import.js';
import { patternValues } from './stix-pattern-values.js';
import { pulledUpTo, savePulledUpTo } from './taxii-pull.repository.js';

/**
 * Keeps a peer centre's TAXII 2.1 collection as a Scamgraph feed (`scamgraph import --as feed:NAME --taxii URL
 * --collection ID`). The collection's objects are read page by page (TAXII 2.1 §5.4 Get Objects, §3.4
 * pagination with `limit`, `more` and `next`); each page's listings are committed, and then its
 * `X-TAXII-Date-Added-Last` is saved, so a pull stopped at any moment resumes with `added_after` from the last
 * page kept, and a pull run again asks only for what was added since.
 *
 * Indicators are read by their STIX patterns (stix-pattern-values.ts); a revoked indicator (STIX 2.1 §3.6) or
 * one whose `valid_until` has passed ends the listing of its values. Within one page the latest word on a
 * value stands: a listing revoked and listed again, in that order, stays listed.
 */

/** TAXII 2.1 §1.6.8.1: the media type of TAXII resources, asked for and checked on every answer. */
export const TAXII_MEDIA = 'application/taxii+json;version=2.1';
const PAGE_LIMIT = 1000;
const FETCH_TIMEOUT_MS = 120_000;
const MAX_PAGE_BYTES = 256 * 1024 * 1024;

export interface TaxiiPullOptions extends FeedOptions {
  /** The API root's URL, such as https://peer.example/taxii2/feeds/. */
  apiRoot: string;
  collection: string;
  /** Sent with every request (`Authorization: Basic …` or `Bearer …`); never written to an error or a log. */
  headers?: Readonly<Record<string, string>>;
  /** Objects asked for per page (default 1,000; the server may give fewer). */
  pageLimit?: number;
  /** After each page: the pages and objects read so far. */
  onPage?: (pages: number, objects: number) => void;
}

export interface TaxiiPullSummary extends ImportSummary {
  pages: number;
  objects: number;
  /** Listings ended because the peer revoked their indicators or let them expire. */
  delisted: number;
  /** Indicators not in the STIX pattern language, and objects other than indicators. */
  passedOver: number;
  addedAfter: string | null;
}

interface StixLike {
  type?: unknown;
  id?: unknown;
  pattern?: unknown;
  pattern_type?: unknown;
  revoked?: unknown;
  valid_from?: unknown;
  valid_until?: unknown;
  modified?: unknown;
}

/**
 * The time one microsecond before a TAXII timestamp. `added_after` is exclusive (§3.4.1), and objects added in
 * the same transaction share a date_added (an observable and its indicator do): a page may end between two of
 * them. A pull resumes from just before the last date kept, so it reads such objects again rather than never;
 * reading again changes nothing.
 */
export function justBefore(timestamp: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(timestamp);
  if (m === null) return null;
  const seconds = Date.parse(`${m[1] as string}Z`);
  if (Number.isNaN(seconds)) return null;
  const micros = BigInt(seconds) * 1000n + BigInt(((m[2] ?? '') + '000000').slice(0, 6)) - 1n;
  const whole = new Date(Number(micros / 1_000_000n) * 1000).toISOString().slice(0, 19);
  return `${whole}.${String(micros % 1_000_000n).padStart(6, '0')}Z`;
}

export function collectionUrl(apiRoot: string, collection: string): string {
  let root: URL;
  try {
    root = new URL(apiRoot.endsWith('/') ? apiRoot : `${apiRoot}/`);
  } catch {
    throw new AppError('VALIDATION_FAILED', `“${apiRoot.slice(0, 200)}” is not a URL of a TAXII API root.`);
  }
  if (root.protocol !== 'http:' && root.protocol !== 'https:') throw new AppError('VALIDATION_FAILED', 'A TAXII API root is an http:// or https:// URL.');
  if (root.username !== '' || root.password !== '') throw new AppError('VALIDATION_FAILED', 'Give credentials with --header "Authorization: …", not in the URL (a URL is shown in messages).');
  return new URL(`collections/${encodeURIComponent(collection)}/`, root).toString();
}

async function getPage(url: string, headers: Readonly<Record<string, string>>): Promise<{ envelope: { more?: unknown; next?: unknown; objects?: unknown }; last: string | null }> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { ...headers, accept: TAXII_MEDIA }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  } catch (error) {
    const cause = (error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message;
    throw new AppError('FEED_FETCH_FAILED', `${url} could not be fetched: ${cause}.`);
  }
  const type = response.headers.get('content-type') ?? '';
  if (!response.ok) {
    await response.body?.cancel();
    const hint = response.status === 401 || response.status === 403 ? ' (give the peer’s credentials with --header "Authorization: Basic …" or "Bearer …")' : response.status === 404 ? ' (check the API root and the collection id)' : '';
    throw new AppError('FEED_FETCH_FAILED', `${url} answered ${response.status}${hint}.`);
  }
  // §1.6.8.1: a TAXII answer is of the TAXII media type; anything else (a login page, a proxy's error) is not one.
  if (!/^application\/taxii\+json\s*;\s*version=2\.1\s*(;|$)/i.test(type)) {
    await response.body?.cancel();
    throw new AppError('FEED_FETCH_FAILED', `${url} answered with ${type.slice(0, 80) || 'no media type'}, not ${TAXII_MEDIA}: is it a TAXII 2.1 API root?`);
  }
  const text = await response.text();
  if (text.length > MAX_PAGE_BYTES) throw new AppError('FEED_FETCH_FAILED', `${url} answered more than ${MAX_PAGE_BYTES / 2 ** 20} MiB in one page.`);
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch {
    throw new AppError('FEED_FETCH_FAILED', `${url} answered a body that is not JSON.`);
  }
  if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) throw new AppError('FEED_FETCH_FAILED', `${url} answered something other than a TAXII envelope (§3.7).`);
  return { envelope, last: response.headers.get('x-taxii-date-added-last') };
}

/** What one page says about each value, the latest word standing, in the order the page gives. */
function readPage(objects: readonly StixLike[], firstLine: number, now: number) {
  const latest = new Map<string, { list: boolean; record: Extract<FeedRecord, { value: string }> }>();
  const refused: FeedRecord[] = [];
  let passedOver = 0;
  objects.forEach((o, i) => {
    const line = firstLine + i;
    if (typeof o !== 'object' || o === null || o.type !== 'indicator') return void passedOver++;
    const where = typeof o.id === 'string' ? o.id.slice(0, 100) : `object ${line}`;
    if (o.pattern_type !== 'stix') return void passedOver++;
    if (typeof o.pattern !== 'string') return void refused.push({ line, refused: { code: 'VALIDATION_FAILED', reason: `${where}: an indicator without a pattern` } });
    const reading = patternValues(o.pattern);
    if ('refused' in reading) return void refused.push({ line, refused: { code: 'VALIDATION_FAILED', reason: `${where}: ${reading.refused}` } });
    const until = typeof o.valid_until === 'string' ? Date.parse(o.valid_until) : NaN;
    const list = o.revoked !== true && !(until <= now);
    const firstSeen = typeof o.valid_from === 'string' && !Number.isNaN(Date.parse(o.valid_from)) ? new Date(o.valid_from) : null;
    const lastSeen = typeof o.modified === 'string' && !Number.isNaN(Date.parse(o.modified)) ? new Date(o.modified) : null;
    for (const v of reading.values) {
      const key = `${v.kind}\0${v.value}`;
      latest.delete(key); // re-inserted: the map's order is then the order of the latest word
      latest.set(key, { list, record: { line, value: v.value, kind: v.kind, firstSeen, lastSeen, where } });
    }
  });
  const listed = [...latest.values()].filter((l) => l.list).map((l) => l.record);
  const ended = [...latest.values()].filter((l) => !l.list).map((l) => ({ value: l.record.value, kind: l.record.kind as IndicatorKind }));
  return { listed, ended, refused, passedOver };
}

export async function pullTaxiiCollection(db: Kysely<Database>, feed: string, options: TaxiiPullOptions): Promise<TaxiiPullSummary> {
  const started = performance.now();
  const base = collectionUrl(options.apiRoot, options.collection);
  const headers = options.headers ?? {};
  const now = (options.now ?? new Date()).getTime();
  const summary: TaxiiPullSummary = { records: 0, stored: 0, alreadyPresent: 0, duplicates: 0, rejected: 0, seconds: 0, pages: 0, objects: 0, delisted: 0, passedOver: 0, addedAfter: await pulledUpTo(db, feed, base) };
  const addedAfter = summary.addedAfter === null ? null : justBefore(summary.addedAfter);
  if (summary.addedAfter !== null && addedAfter === null) throw new AppError('FEED_FETCH_FAILED', `The last pull of ${base} saved “${summary.addedAfter.slice(0, 40)}”, which is not a TAXII timestamp.`);
  let next: string | null = null;
  for (;;) {
    const query = new URLSearchParams({ limit: String(options.pageLimit ?? PAGE_LIMIT) });
    if (addedAfter !== null) query.set('added_after', addedAfter);
    if (next !== null) query.set('next', next);
    const { envelope, last } = await getPage(`${base}objects/?${query.toString()}`, headers);
    const objects = envelope.objects ?? [];
    if (!Array.isArray(objects)) throw new AppError('FEED_FETCH_FAILED', `${base}objects/ answered an envelope whose objects are not a list (§3.7).`);
    const page = readPage(objects as StixLike[], summary.objects + 1, now);
    async function* records(): AsyncGenerator<FeedRecord> {
      yield* page.refused;
      yield* page.listed;
    }
    const kept = await importFeedRecords(db, records(), feed, { ...options, mixedLevels: false, appendRejects: summary.pages > 0 });
    summary.delisted += await delistFeedValues(db, feed, page.ended, options);
    for (const k of ['records', 'stored', 'alreadyPresent', 'duplicates', 'rejected'] as const) summary[k] += kept[k];
    summary.pages++;
    summary.objects += objects.length;
    summary.passedOver += page.passedOver;
    // Kept, then remembered: a pull stopped between the two reads this page again, which changes nothing.
    if (last !== null && justBefore(last) !== null) {
      await savePulledUpTo(db, feed, base, last);
      summary.addedAfter = last;
    }
    options.onPage?.(summary.pages, summary.objects);
    if (envelope.more !== true) break;
    if (typeof envelope.next !== 'string' || envelope.next === '') throw new AppError('FEED_FETCH_FAILED', `${base}objects/ said there is more but gave no next (§3.4).`);
    next = envelope.next;
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}
