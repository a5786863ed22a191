import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { evidenceFromRow, lastChangeSeq } from '../verdicts/verdict-log.repository.js';
import { LEVEL_CODE, LEVEL_OF_CODE, type VerdictLevel } from '../verdicts/verdict.types.js';
import type { VerdictService } from '../verdicts/verdicts.service.js';
import type { FeedDefinition } from './block-lists.js';
import { StixPublisher, keyedUuid, type StixObject } from './stix.js';
import { keysOfStixIds, lastSeqAt, rememberStixIds, servedRows } from './taxii.repository.js';

/**
 * TAXII 2.1 collections over the verdict log (TAXII Version 2.1; sections cited as §): one collection per
 * feed, whose objects are, in log order, the publisher's identity and extension definition, then for each
 * entry of the feed its observables and its indicator as of the entry's latest change, and for each listing
 * that ended its revoked indicator. An object's `date_added` is the time of the log row it was made from, so
 * a client that resumes from the last `date_added` it saw misses nothing (§3.4; rows are written under the
 * change-log lock at the time of writing, migration 015).
 *
 * Only the latest version of an indicator is kept: each change of an entry's evidence makes a new version
 * with its own `modified`, and the older ones are not retained (TAXII lets a server hold the versions it has).
 */

/** The definitions come first: before any row of the log. */
const DEFINITIONS_ADDED = '1970-01-01T00:00:00.000000Z';

export interface TaxiiCollection {
  id: string;
  feed: string;
  definition: FeedDefinition;
}

/** Where a page ends: rows before `seq` are delivered, and the first `skip` objects of row `seq`. */
export interface Position {
  seq: number;
  skip: number;
}

export interface ObjectsQuery {
  addedAfter?: string;
  next?: Position;
  limit: number;
  ids?: readonly string[];
  types?: readonly string[];
  /** `last`, `first`, `all` or STIX timestamps (§3.4.1); one version per object is kept, so the first three agree. */
  versions?: readonly string[];
  specVersions?: readonly string[];
}

export interface StoredObject {
  object: StixObject;
  /** TAXII timestamp, microseconds (§2). */
  dateAdded: string;
  /** §5.3.1: the STIX `modified`, else `created`, else (an observable) its `date_added` as a STIX timestamp. */
  version: string;
  /** The entry it is about and the listing an indicator belongs to (0 for an observable); none for the definitions. */
  about?: { key: string; episode: number };
}

export interface ObjectsPage {
  objects: StoredObject[];
  more: boolean;
  next: Position | null;
}

/** A TAXII timestamp (µs) as a STIX one (ms, §3.2 of STIX: created and modified have millisecond precision). */
function stixTime(taxiiTime: string): string {
  return `${taxiiTime.slice(0, 23)}Z`;
}

/** `added_after` as a TAXII timestamp with six digits; any RFC 3339 time in UTC is taken (clients drop zeros). */
export function taxiiTimestamp(text: string): string | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(text);
  if (m === null || Number.isNaN(Date.parse(`${m[1]}Z`))) return null;
  return `${m[1]}.${(m[2] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
}

export class TaxiiCollections {
  readonly publisher: StixPublisher;
  private readonly byId = new Map<string, TaxiiCollection>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly verdicts: Pick<VerdictService, 'explainEvidence'>,
    feeds: Readonly<Record<string, FeedDefinition>>,
    key: Buffer,
  ) {
    this.publisher = new StixPublisher(key);
    for (const [feed, definition] of Object.entries(feeds)) {
      const id = keyedUuid(key, `taxii-collection:${feed}`);
      this.byId.set(id, { id, feed, definition });
    }
  }

  collections(): TaxiiCollection[] {
    return [...this.byId.values()];
  }

  collection(id: string): TaxiiCollection | null {
    return this.byId.get(id.toLowerCase()) ?? null;
  }

  /** The objects of a collection after a position, at most `limit` (§5.4), oldest first (§3.3). */
  async objects(collection: TaxiiCollection, query: ObjectsQuery): Promise<ObjectsPage> {
    if (query.specVersions !== undefined && !query.specVersions.includes('2.1')) return { objects: [], more: false, next: null };
    const wantedTypes = query.types === undefined ? null : new Set(query.types);
    const feedTypes = this.publisher.typesOf(collection.definition.kinds);
    if (wantedTypes !== null && ![...wantedTypes].some((t) => feedTypes.has(t))) return { objects: [], more: false, next: null };
    const ids = query.ids === undefined ? null : new Set(query.ids.map((id) => id.toLowerCase()));
    const keys = ids === null ? null : await keysOfStixIds(this.db, [...ids]);
    const keep = (o: StoredObject): boolean =>
      (wantedTypes === null || wantedTypes.has(o.object.type)) && (ids === null || ids.has(o.object.id)) && matchesVersion(o, query.versions);

    let position = query.next ?? (query.addedAfter === undefined ? { seq: 0, skip: 0 } : { seq: (await lastSeqAt(this.db, query.addedAfter)) + 1, skip: 0 });
    const out: StoredObject[] = [];
    // Row 0 is the definitions; they are in every collection and match a time filter only before any row.
    if (position.seq === 0) {
      const definitions = this.publisher.definitions().map((object) => ({ object, dateAdded: DEFINITIONS_ADDED, version: String(object.modified) }));
      for (let i = position.skip; i < definitions.length; i++) {
        if (out.length === query.limit) return { objects: out, more: true, next: { seq: 0, skip: i } };
        if (keep(definitions[i] as StoredObject)) out.push(definitions[i] as StoredObject);
      }
      position = { seq: 1, skip: 0 };
    }
    if (keys !== null && keys.length === 0) return { objects: out, more: false, next: null };

    // The log is read in windows of sequence numbers (the planner then walks the log's own order), or, for
    // objects asked for by id, by their entries.
    const end = keys === null ? await lastChangeSeq(this.db) : Number.MAX_SAFE_INTEGER;
    // Every row served gives one object or more, so a window of `limit` rows is about one page.
    const window = keys === null ? Math.max(query.limit, 100) : Number.MAX_SAFE_INTEGER - position.seq;
    const page = async (more: boolean, next: Position | null): Promise<ObjectsPage> => {
      await this.remember(out);
      return { objects: out, more, next };
    };
    while (position.seq <= end) {
      const upTo = Math.min(position.seq + window, end + 1);
      for (const { seq, objects } of await this.rowsIn(collection, position.seq, upTo, keys)) {
        const skip = seq === position.seq ? position.skip : 0;
        for (let i = skip; i < objects.length; i++) {
          if (out.length === query.limit) return page(true, { seq, skip: i });
          if (keep(objects[i] as StoredObject)) out.push(objects[i] as StoredObject);
        }
      }
      position = { seq: upTo, skip: 0 };
      if (out.length === query.limit && position.seq <= end) return page(true, position);
    }
    return page(false, null);
  }

  /**
   * The log rows a collection serves from `from` to before `upTo`, each with its objects: an entry's latest row while the
   * feed lists it (its observables and current indicator), and each row that ended a listing (the revoked
   * indicator). Read in one snapshot with the evidence they describe.
   */
  private async rowsIn(collection: TaxiiCollection, from: number, upTo: number, keys: readonly string[] | null): Promise<{ seq: number; objects: StoredObject[] }[]> {
    const codes = collection.definition.levels.map((l) => LEVEL_CODE[l as VerdictLevel]);
    const kinds = [...collection.definition.kinds];
    const { rows, evidence } = await servedRows(this.db, { codes, kinds, from, upTo, keys });
    const evidenceOf = new Map(evidence.map((row) => [row.key, row]));
    const served: { seq: number; objects: StoredObject[] }[] = [];
    for (const row of rows) {
      const seq = Number(row.seq);
      const observed = this.publisher.observed(row.key, row.kind);
      if (observed === null) {
        served.push({ seq, objects: [] });
        continue;
      }
      // A listing older than the verdict log's levels has no row that began it: its first row stands in.
      const episode = Number(row.episode ?? 0);
      const listedAt = stixTime(row.listed ?? row.first_added);
      const id = this.publisher.indicatorId(collection.feed, row.key, episode);
      const modified = stixTime(row.added);
      const stored = evidenceOf.get(row.key);
      const ended = row.level !== null && !codes.includes(row.level);
      const objects: StoredObject[] = [];
      if (ended || stored === undefined) {
        const level = LEVEL_OF_CODE[row.level ?? 0] as VerdictLevel;
        objects.push({ object: this.publisher.revoked({ id, observed, listedAt, modified, level }), dateAdded: row.added, version: modified, about: { key: row.key, episode } });
      } else {
        for (const o of observed.observables) objects.push({ object: o, dateAdded: row.added, version: stixTime(row.added), about: { key: row.key, episode: 0 } });
        const level = LEVEL_OF_CODE[stored.level] as VerdictLevel;
        const verdict = this.verdicts.explainEvidence(evidenceFromRow(stored));
        objects.push({ object: this.publisher.indicator({ id, observed, level, listedAt, modified, verdict }), dateAdded: row.added, version: modified, about: { key: row.key, episode } });
      }
      served.push({ seq, objects });
    }
    return served;
  }

  /** Keeps the ids served, so that a client can ask for an object by its id (an id is a hash: it cannot be read back). */
  private async remember(served: readonly StoredObject[]): Promise<void> {
    const ids = served.flatMap((o) => (o.about === undefined ? [] : [{ id: o.object.id, ...o.about }]));
    await rememberStixIds(this.db, [...new Map(ids.map((i) => [i.id, i])).values()]);
  }
}

/** §3.4.1 match[version]: `first`, `last` and `all` keep the one version there is; a timestamp keeps its equal. */
function matchesVersion(o: StoredObject, versions: readonly string[] | undefined): boolean {
  if (versions === undefined) return true;
  return versions.some((v) => v === 'first' || v === 'last' || v === 'all' || Date.parse(v) === Date.parse(o.version));
}

/** An opaque `next` (§3.4): the position, readable only by this server. */
export function encodePosition(position: Position): string {
  return Buffer.from(`${position.seq}.${position.skip}`).toString('base64url');
}

export function decodePosition(text: string): Position {
  const m = /^(\d{1,15})\.(\d{1,4})$/.exec(Buffer.from(text, 'base64url').toString('latin1'));
  if (m === null) throw new AppError('VALIDATION_FAILED', 'next is not a value this server gave (send it back as it came, with the same filters).');
  return { seq: Number(m[1]), skip: Number(m[2]) };
}
