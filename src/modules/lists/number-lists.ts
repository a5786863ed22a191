import { hash, randomBytes } from 'node:crypto';
import { AppError } from '../../errors.js';
import { entryLabel } from '../verdicts/evidence-keys.js';
import type { VerdictLevel } from '../verdicts/verdict.types.js';
import type { VerdictChange } from '../verdicts/verdict-log.repository.js';
import type { VerdictService } from '../verdicts/verdicts.service.js';
import { AtLogEnd } from './at-log-end.js';
import { buildFuseFilter, encodeFuseFilter } from './fuse-filter.js';

/**
 * On-device lists of flagged values that cannot be hashed safely one by one (a phone number space of ~10^8
 * is searched in seconds): an app holds a binary fuse filter of every high-risk and suspicious value of a
 * kind, and only on a filter hit asks for a bucket, a short keyed-hash prefix that at least MIN_BUCKET flagged
 * values share. The answer lists the full keyed hashes of the bucket with their levels, padded to one size
 * for every bucket, and the app finds its own among them. The server learns a bucket, never the value.
 */
export const NUMBER_LIST_KINDS = ['phone', 'email', 'payment_proxy'] as const;
export type NumberListKind = (typeof NUMBER_LIST_KINDS)[number];
const LEVELS: VerdictLevel[] = ['high_risk', 'suspicious'];
/** Past this many log rows since an app's filter, a new full filter is smaller than a delta and its look-ups. */
const MAX_DELTA_ROWS = 50_000;
/** The fewest flagged values a bucket holds: what the server can narrow a look-up down to. */
export const MIN_BUCKET = 100;

export interface NumberList {
  kind: NumberListKind;
  /** The verdict-log position the list is current at. */
  version: number;
  count: number;
  filter: Buffer;
  /** Bits of the keyed hash that name a bucket (0: one bucket holds everything). */
  bucketBits: number;
  /** Entries in every bucket's answer, padding included. */
  bucketSize: number;
  buckets: Map<number, { hash: Buffer; level: VerdictLevel }[]>;
}

/** The keyed hash of a value as apps compute it: SHA-256 of the list's public key and the canonical value. */
export function bucketHash(key: Buffer, value: string): Buffer {
  return hash('sha256', Buffer.concat([key, Buffer.from(value, 'utf8')]), 'buffer');
}

/** The bucket of a keyed hash: its first `bits` bits. */
export function bucketOf(keyed: Buffer, bits: number): number {
  return bits === 0 ? 0 : keyed.readUInt32BE(0) >>> (32 - bits);
}

/** A random hash moved into the bucket (its first bits set to the bucket's), so that padding looks like the rest. */
function inBucket(random: Buffer, bucket: number, bits: number): Buffer {
  if (bits > 0) random.writeUInt32BE(((bucket << (32 - bits)) | (random.readUInt32BE(0) & (2 ** (32 - bits) - 1))) >>> 0, 0);
  return random;
}

/** The most bucket bits for which every bucket holds at least MIN_BUCKET values. */
function bitsFor(hashes: Buffer[]): number {
  for (let bits = Math.max(0, Math.floor(Math.log2(hashes.length / MIN_BUCKET))); bits > 0; bits--) {
    const counts = new Uint32Array(2 ** bits);
    for (const h of hashes) {
      const b = bucketOf(h, bits);
      counts[b] = (counts[b] as number) + 1;
    }
    if (counts.every((c) => c >= MIN_BUCKET)) return bits;
  }
  return 0;
}

export class NumberLists {
  private readonly current: AtLogEnd<NumberListKind, NumberList>;

  /** `bucketKey`: public, stable for the deployment, so an app's hashes stay valid across versions. */
  constructor(
    private readonly verdicts: Pick<VerdictService, 'snapshot' | 'logEnd' | 'changesSince'>,
    readonly bucketKey: Buffer,
  ) {
    this.current = new AtLogEnd(() => verdicts.logEnd());
  }

  kind(name: string): NumberListKind {
    if (!(NUMBER_LIST_KINDS as readonly string[]).includes(name)) throw new AppError('UNKNOWN_LIST', `There is no number list “${name.slice(0, 40)}”; the lists are ${NUMBER_LIST_KINDS.join(', ')}.`);
    return name as NumberListKind;
  }

  /** The list now: rebuilt when the verdict log has moved since it was made. */
  list(kind: NumberListKind): Promise<NumberList> {
    return this.current.get(kind, async () => {
      const { seq, entries } = await this.verdicts.snapshot({ kinds: [kind], levels: LEVELS });
      return this.build(kind, seq, entries);
    });
  }

  private build(kind: NumberListKind, version: number, entries: { entry: string; level: VerdictLevel }[]): NumberList {
    const values = entries.map((e) => ({ value: entryLabel(e.entry), level: e.level }));
    const filter = encodeFuseFilter(buildFuseFilter(values.map((v) => v.value)));
    const keyed = values.map((v) => ({ hash: bucketHash(this.bucketKey, v.value), level: v.level }));
    const bucketBits = bitsFor(keyed.map((k) => k.hash));
    const buckets = new Map<number, { hash: Buffer; level: VerdictLevel }[]>();
    for (const k of keyed) {
      const b = bucketOf(k.hash, bucketBits);
      const list = buckets.get(b);
      if (list === undefined) buckets.set(b, [k]);
      else list.push(k);
    }
    // Every answer the same length, rounded up to 16 entries: its size tells nothing about the bucket.
    const largest = Math.max(MIN_BUCKET, ...[...buckets.values()].map((b) => b.length));
    return { kind, version, count: values.length, filter, bucketBits, bucketSize: Math.ceil(largest / 16) * 16, buckets };
  }

  /**
   * The values flagged since `since` (a version of the list the app holds), as a filter of their own: the app
   * checks a number against both and keeps its full filter. Values that stopped being flagged stay in the
   * app's full filter until it takes a new one; their bucket answer says they are not listed. Null when a
   * full filter is the better answer: too far back (more log rows than a quarter of the list, 16 at least, or MAX_DELTA_ROWS).
   */
  async delta(kind: NumberListKind, since: number): Promise<{ list: NumberList; filter: Buffer; added: number } | null> {
    const list = await this.list(kind);
    if (since > list.version) throw new AppError('CURSOR_AHEAD', `Version ${since} is past this list's ${list.version}: fetch the full filter.`);
    const levelAt = new Map<string, { then: VerdictLevel; now: VerdictLevel }>();
    let rows = 0;
    for (let from = since; from < list.version; ) {
      const page = await this.verdicts.changesSince(from, { kinds: [kind], levels: LEVELS }, 10_000);
      for (const row of page) {
        if (row.seq > list.version) break;
        rows++;
        const seen = levelAt.get(row.entry);
        levelAt.set(row.entry, { then: seen?.then ?? row.previous, now: row.level });
      }
      if (rows > Math.min(MAX_DELTA_ROWS, Math.max(16, list.count / 4))) return null;
      if (page.length < 10_000) break;
      from = (page[page.length - 1] as VerdictChange).seq;
    }
    const added = [...levelAt].filter(([, l]) => !LEVELS.includes(l.then) && LEVELS.includes(l.now)).map(([entry]) => entryLabel(entry));
    return { list, filter: encodeFuseFilter(buildFuseFilter(added)), added: added.length };
  }

  /**
   * A bucket's answer: its keyed hashes and levels, in hash order, with random hashes (at random levels)
   * to the list's bucket size. A bucket named with other bits than the list's is refused.
   */
  async bucket(kind: NumberListKind, bucket: number, bits: number): Promise<{ list: NumberList; entries: { hash: Buffer; level: VerdictLevel }[] }> {
    const list = await this.list(kind);
    if (bits !== list.bucketBits || bucket >= 2 ** bits) {
      throw new AppError('VALIDATION_FAILED', `This list's buckets are named by ${list.bucketBits} bits (0 to ${2 ** list.bucketBits - 1}); fetch the list's description again.`);
    }
    const real = list.buckets.get(bucket) ?? [];
    const padding = Array.from({ length: list.bucketSize - real.length }, () => ({ hash: inBucket(randomBytes(32), bucket, bits), level: LEVELS[(randomBytes(1)[0] as number) & 1] as VerdictLevel }));
    return { list, entries: [...real, ...padding].sort((a, b) => Buffer.compare(a.hash, b.hash)) };
  }
}
