import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { scamgraphValuesOf } from '../feeds/misp-types.js';
import { importFeedRecords, type FeedOptions, type FeedRecord } from './feed.import.js';
import type { ImportSummary } from './report.import.js';

/**
 * Reads a MISP feed (the MISP core format, draft-dulaunoy-misp-core-format, "§"; the layout MISP's "MISP Feed"
 * source format reads: `{base}/manifest.json`, then `{base}/{uuid}.json` for each event it names) into a
 * Scamgraph feed, through the same path as any other trusted list (importFeedRecords). Attributes whose type
 * names something Scamgraph judges are listed; the rest (hashes, names, free text) are passed over.
 *
 * - A deleted attribute, or one in a deleted object, is a revocation (§2.3.2.11): not listed.
 * - An attribute with `to_ids` false is not meant for blocking (§2.3.2.5) but says the value was seen in the
 *   feed's events: listed at suspicious, never higher, whatever `--level` says.
 * - first_seen/last_seen (§2.3.2.16-17) are kept as the listing's dates; without last_seen, the attribute's
 *   timestamp (§2.3.2.8) stands for it.
 */

export interface MispImportOptions extends FeedOptions {
  /** Sent with every request to a feed over HTTP (`Authorization: Bearer …`, as MISP's feed headers are). */
  headers?: Readonly<Record<string, string>>;
  /** The events read so far and how many the manifest names. */
  onEvents?: (done: number, total: number) => void;
}

export interface MispImportSummary extends ImportSummary {
  events: number;
  /** Attributes of types that name nothing Scamgraph judges. */
  untyped: number;
  /** Revoked attributes (deleted, or in a deleted object). */
  deleted: number;
}

/** RFC 4122's textual form: manifest keys become file names, so nothing else is taken (no `../`). */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The largest file read; MISP's own feeds' largest events are a few megabytes. */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
const FETCH_TIMEOUT_MS = 120_000;

/** Whether a source is a feed's URL (http or https) rather than a directory. */
export function isFeedUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** A file of the feed as text: read from the directory, or fetched (never naming the headers in an error). */
async function fetchText(source: string, name: string, headers: Readonly<Record<string, string>>): Promise<string> {
  if (!isFeedUrl(source)) {
    try {
      return await readFile(join(source, name), 'utf8');
    } catch (error) {
      throw new AppError('FEED_FETCH_FAILED', `${name} cannot be read in ${source}: ${(error as NodeJS.ErrnoException).code ?? 'error'}.`);
    }
  }
  const url = `${source.replace(/\/+$/, '')}/${name}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json, text/plain, text/*', ...headers }, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
  } catch (error) {
    throw new AppError('FEED_FETCH_FAILED', `${url} could not be fetched: ${(error as Error).cause instanceof Error ? ((error as Error).cause as Error).message : (error as Error).message}.`);
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new AppError('FEED_FETCH_FAILED', `${url} answered ${response.status}${response.status === 401 || response.status === 403 ? ' (give the feed’s key with --header "Authorization: Bearer KEY")' : ''}.`);
  }
  if (Number(response.headers.get('content-length') ?? 0) > MAX_FILE_BYTES) throw new AppError('FEED_FETCH_FAILED', `${url} is larger than ${MAX_FILE_BYTES / 2 ** 20} MiB.`);
  const text = await response.text();
  if (text.length > MAX_FILE_BYTES) throw new AppError('FEED_FETCH_FAILED', `${url} is larger than ${MAX_FILE_BYTES / 2 ** 20} MiB.`);
  return text;
}

/** §4.1: an object of event uuid → {info, Orgc, timestamp, date, …}; only its keys are needed to fetch the events. */
function manifestUuids(text: string): { uuids: string[]; refused: string[] } {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    throw new AppError('MALFORMED_JSON', 'manifest.json is not valid JSON.');
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw new AppError('VALIDATION_FAILED', 'manifest.json is not a JSON object of event uuid → event summary (MISP core format §4.1).');
  const keys = Object.keys(manifest);
  return { uuids: keys.filter((k) => UUID.test(k)), refused: keys.filter((k) => !UUID.test(k)) };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** PyMISP's make_bool: JSON booleans, and the "0"/"1" strings older exports wrote. */
function flag(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === '0') return false;
  if (value === 1 || value === '1') return true;
  return null;
}

/** §2.3.2.16-17 (ISO 8601) or §2.3.2.8 (Unix seconds as a string): a Date, null when absent, or why not. */
function dateOf(value: unknown, unix: boolean): Date | null | string {
  if (value === undefined || value === null || value === '') return null;
  const date = unix ? (/^\d{1,12}$/.test(String(value)) ? new Date(Number(value) * 1000) : new Date(Number.NaN)) : typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  return Number.isNaN(date.getTime()) ? `“${String(value).slice(0, 40)}” is not a ${unix ? 'Unix timestamp' : 'ISO 8601 time'}` : date;
}

/** The event of a feed file: `{"Event": {…}}`, or MISP's API answer `{"response": [{"Event": …}]}`. */
function eventOf(text: string, uuid: string): Record<string, unknown> | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not valid JSON';
  }
  const wrapped = isObject(parsed) && Array.isArray(parsed.response) ? parsed.response[0] : parsed;
  const event = isObject(wrapped) ? wrapped.Event : undefined;
  if (!isObject(event)) return 'no Event object (MISP core format §2.2)';
  if (typeof event.uuid !== 'string' || event.uuid.toLowerCase() !== uuid.toLowerCase()) return `its Event.uuid is not ${uuid}, the manifest's name for it (§4.1)`;
  return event;
}

/**
 * Imports a MISP feed, from a directory or a URL, as entries of `feed`. Idempotent and resumable as every feed
 * import is: a value listed within the day is not written again, and each batch commits on its own.
 */
export async function importMispFeed(db: Kysely<Database>, source: string, feed: string, options: MispImportOptions): Promise<MispImportSummary> {
  const headers = options.headers ?? {};
  const { uuids, refused } = manifestUuids(await fetchText(source, 'manifest.json', headers));
  const counts = { events: 0, untyped: 0, deleted: 0 };
  const counter = { bytes: 0 };
  let line = 0;
  async function* records(): AsyncGenerator<FeedRecord> {
    for (const key of refused) yield { line: ++line, refused: { code: 'VALIDATION_FAILED', reason: `manifest.json names “${key.slice(0, 60)}”, which is not an event uuid` } };
    for (const uuid of uuids) {
      let text: string;
      try {
        text = await fetchText(source, `${uuid}.json`, headers);
      } catch (error) {
        // One event that cannot be read is one refusal; the others are still listed (MISP's pull goes on too).
        if (!(error instanceof AppError)) throw error;
        yield { line: ++line, refused: { code: error.code, reason: `event ${uuid}: ${error.message}` } };
        continue;
      }
      counts.events++;
      counter.bytes = counts.events;
      options.onEvents?.(counts.events, uuids.length);
      const event = eventOf(text, uuid);
      if (typeof event === 'string') {
        yield { line: ++line, refused: { code: 'VALIDATION_FAILED', reason: `event ${uuid}: ${event}` } };
        continue;
      }
      yield* attributesOf(event, uuid);
    }
  }
  function* attributesOf(event: Record<string, unknown>, eventUuid: string): Generator<FeedRecord> {
    const own = Array.isArray(event.Attribute) ? event.Attribute.map((a) => ({ a, objectDeleted: false })) : [];
    const inObjects = Array.isArray(event.Object)
      ? event.Object.filter(isObject).flatMap((o) => (Array.isArray(o.Attribute) ? o.Attribute.map((a) => ({ a, objectDeleted: flag(o.deleted) === true })) : []))
      : [];
    for (const { a, objectDeleted } of [...own, ...inObjects]) {
      line++;
      const where = `event ${eventUuid} attribute ${isObject(a) && typeof a.uuid === 'string' ? a.uuid.slice(0, 36) : `#${line}`}`;
      // §2.3.2.3 and §2.3.2.15: type and value are JSON strings, and MUST be present.
      if (!isObject(a) || typeof a.type !== 'string' || typeof a.value !== 'string') {
        yield { line, refused: { code: 'VALIDATION_FAILED', reason: `${where}: an attribute has a string type and value (MISP core format §2.3.2)` } };
        continue;
      }
      if (flag(a.deleted) === true || objectDeleted) {
        counts.deleted++;
        continue;
      }
      const values = scamgraphValuesOf(a.type, a.value);
      if (values.length === 0) {
        counts.untyped++;
        continue;
      }
      const firstSeen = dateOf(a.first_seen, false);
      const lastSeen = a.last_seen === undefined || a.last_seen === null ? dateOf(a.timestamp, true) : dateOf(a.last_seen, false);
      const bad = typeof firstSeen === 'string' ? firstSeen : typeof lastSeen === 'string' ? lastSeen : null;
      if (bad !== null) {
        yield { line, refused: { code: 'VALIDATION_FAILED', reason: `${where}: ${bad}` } };
        continue;
      }
      // §2.3.2.5: to_ids MUST be present; a feed that leaves it out has said nothing is actionable.
      const actionable = flag(a.to_ids) === true;
      for (const v of values) {
        yield { line, where, kind: v.kind, value: v.value, firstSeen: firstSeen as Date | null, lastSeen: lastSeen as Date | null, atMostSuspicious: !actionable };
      }
    }
  }
  const summary = await importFeedRecords(db, records(), feed, { ...options, mixedLevels: true }, counter);
  return { ...summary, ...counts };
}
