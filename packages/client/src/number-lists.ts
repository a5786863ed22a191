import type { NumberListBucket, NumberListDescription } from '../../../src/http/api-types.js';
import { normalize } from '../../../src/modules/indicators/normalize.js';
import { decodeFuseFilter, fuseFilterHasHash, fuseHashWords, type FuseFilter } from '../../../src/modules/lists/fuse-filter-read.js';
import { entryLabel } from '../../../src/modules/verdicts/evidence-keys.js';
import { concat, fromBase64, toBase64, utf8, type Digest } from './bytes.js';
import type { StorageAdapter } from './storage.js';
import { ScamgraphError, type Transport } from './transport.js';

/**
 * On-device lists of flagged phone numbers, e-mail addresses and payment proxies (docs/privacy.md): a binary
 * fuse filter of every high-risk and suspicious value, downloaded when the list's version moves; a value that
 * hits the filter is looked up by its bucket (the first bits of SHA-256(bucket key ‖ value), shared by at
 * least 100 flagged values, answered padded to one size), and found among the bucket's keyed hashes here.
 * The server learns the bucket, never the value; a value that misses the filter causes no request at all.
 */
export type NumberKind = NumberListDescription['kind'];

export interface NumberCheck {
  level: 'high_risk' | 'suspicious' | 'no_record';
  /** The value as the lists hold it (E.164 for a phone number). */
  canonical: string;
  /** Whether a bucket was asked for (the filter matched: a listed value, or 1 in 256 others). */
  askedServer: boolean;
}

interface LocalNumberList {
  description: NumberListDescription;
  /** The full filter and the version it is of. */
  full: FuseFilter;
  fullVersion: number;
  /** The values flagged since the full filter, when the list has moved on (`?since=fullVersion`). */
  delta: FuseFilter | null;
  /** The ETag of the last filter answer, full or delta, for If-None-Match. */
  etag: string | null;
}

/**
 * What is kept between runs: the full filter under `numbers:KIND:full` (written only when a full one comes), and
 * under `numbers:KIND` the small rest, the delta included, rewritten at each update.
 */
interface StoredNumberList {
  description: NumberListDescription;
  fullVersion: number;
  delta: string | null;
  etag: string | null;
}

export class NumberLists {
  private readonly lists = new Map<NumberKind, LocalNumberList>();

  constructor(
    private readonly transport: Transport,
    private readonly storage: StorageAdapter,
    private readonly digest: Digest,
    private readonly region: string,
  ) {}

  private async local(kind: NumberKind): Promise<LocalNumberList | null> {
    const held = this.lists.get(kind);
    if (held !== undefined) return held;
    const stored = await this.storage.get(`numbers:${kind}`);
    if (stored === null) return null;
    const full = await this.storage.get(`numbers:${kind}:full`);
    if (full === null) return null;
    const s = JSON.parse(stored) as StoredNumberList;
    const list = { description: s.description, fullVersion: s.fullVersion, full: decodeFuseFilter(fromBase64(full)), delta: s.delta === null ? null : decodeFuseFilter(fromBase64(s.delta)), etag: s.etag };
    this.lists.set(kind, list);
    return list;
  }

  /**
   * Brings one list up to date: its description, and when the version moved, the filter of what was flagged
   * since the full filter held (a delta), or a new full filter when the server finds that smaller.
   */
  async sync(kind: NumberKind): Promise<{ version: number; count: number; downloaded: number; filter: 'full' | 'delta' | 'unchanged' }> {
    const held = await this.local(kind);
    const description = await this.transport.json<NumberListDescription>(`/api/v1/partner/lists/${kind}`, { auth: true });
    const unchanged = { version: description.version, count: description.count, downloaded: 0, filter: 'unchanged' as const };
    if (held !== null && held.description.version === description.version) {
      held.description = description;
      return unchanged;
    }
    const path = `/api/v1/partner/lists/${kind}/filter${held === null ? '' : `?since=${held.fullVersion}`}`;
    const answer = await this.transport.bytes(path, held?.etag ?? null, true);
    if (answer.status === 304 && held !== null) {
      held.description = description;
      return unchanged;
    }
    // The filter answer names its own version: the description may be one step behind it.
    const version = Number(answer.headers.get('scamgraph-list-version') ?? description.version);
    const isDelta = held !== null && answer.headers.get('scamgraph-filter') === 'delta';
    const filter = decodeFuseFilter(answer.body);
    const list: LocalNumberList = isDelta
      ? { ...held, description: { ...description, version }, delta: filter, etag: answer.headers.get('etag') }
      : { description: { ...description, version }, full: filter, fullVersion: version, delta: null, etag: answer.headers.get('etag') };
    this.lists.set(kind, list);
    if (!isDelta) await this.storage.set(`numbers:${kind}:full`, toBase64(answer.body));
    const rest: StoredNumberList = { description: list.description, fullVersion: list.fullVersion, delta: isDelta ? toBase64(answer.body) : null, etag: list.etag };
    await this.storage.set(`numbers:${kind}`, JSON.stringify(rest));
    return { version, count: description.count, downloaded: answer.body.length, filter: isDelta ? 'delta' : 'full' };
  }

  /** The value as the lists hold it: the same normalization the server applies (src/modules/indicators). */
  canonical(value: string, kind: NumberKind): string {
    return entryLabel(normalize(kind, value, { region: this.region }).key);
  }

  /** Whether a number (e-mail address, payment proxy) is flagged, without telling the server which one. */
  async checkNumberLocally(value: string, kind: NumberKind = 'phone'): Promise<NumberCheck> {
    const canonical = this.canonical(value, kind);
    const list = (await this.local(kind)) ?? (await this.sync(kind), (await this.local(kind)) as LocalNumberList);
    if (!(await this.mayHold(list.full, canonical)) && (list.delta === null || !(await this.mayHold(list.delta, canonical)))) return { level: 'no_record', canonical, askedServer: false };
    const keyed = await this.digest(concat(fromBase64(list.description.buckets.key), utf8(canonical)));
    const found = await this.bucketLevel(kind, list, keyed).catch(async (error: unknown) => {
      // The list moved on (its buckets are named by other bits now): update it, then ask once more.
      if (!(error instanceof ScamgraphError) || error.code !== 'VALIDATION_FAILED') throw error;
      await this.sync(kind);
      return this.bucketLevel(kind, (await this.local(kind)) as LocalNumberList, keyed);
    });
    return { level: found, canonical, askedServer: true };
  }

  private async mayHold(filter: FuseFilter, canonical: string): Promise<boolean> {
    const [hi, lo] = fuseHashWords(await this.digest(concat(filter.seed, utf8(canonical))));
    return fuseFilterHasHash(filter, hi, lo);
  }

  private async bucketLevel(kind: NumberKind, list: LocalNumberList, keyed: Uint8Array): Promise<NumberCheck['level']> {
    const bits = list.description.buckets.bits;
    const bucket = bits === 0 ? 0 : new DataView(keyed.buffer, keyed.byteOffset, 4).getUint32(0) >>> (32 - bits);
    const answer = await this.transport.json<NumberListBucket>(`/api/v1/partner/lists/${kind}/buckets/${bucket}?bits=${bits}`, { auth: true });
    const mine = toBase64(keyed);
    const entry = answer.entries.find((e) => e.hash === mine);
    return entry?.level === 'high_risk' || entry?.level === 'suspicious' ? entry.level : 'no_record';
  }
}
