import { randomBytes } from 'node:crypto';
import { SCAM_TYPE_CODES } from '../reports/taxonomy.js';
import type { Decision, Evidence, Protection, RiskLevel } from './verdict.types.js';

/**
 * The in-memory lookup index: the evidence summary of every known entry, answered without a database round
 * trip. A million entries must fit in well under 200 bytes each, so there are no per-entry objects or key
 * strings: an entry is known by a 64-bit keyed hash of its name, in an open-addressing table over typed
 * arrays (struct of arrays). Two names share a slot only if their 64-bit hashes collide, about 1 in 3·10^7 for
 * a million entries; the hash is seeded per process, so nobody can aim a collision at a given name.
 *
 * Bytes per entry (a million entries, loaded): 37 in the columns below, 6 in the slot table (its load stays
 * at most 2/3), and 1/64 of headroom. Columns are as narrow as their values usually are: counts of 65,535
 * and more, and officers' decision times (rare), live in small maps beside them.
 */
const EMPTY = 0;
const NULL_TIME = 0;
/** A count column's value for "65,535 or more: see the overflow map". */
const COUNT_OVERFLOW = 0xffff;
/** Rows (and the slot table with them) grow by half: a doubling would leave a million-entry index half empty. */
const GROWTH = 1.5;
/** Slots per row of capacity: the table's load stays at most 2/3, so probes stay short. */
const SLOTS_PER_ROW = 1.5;

if (SCAM_TYPE_CODES.length > 16) throw new Error('the lookup index stores scam types in 16 bits: widen scamTypes');

const EMPTY_EVIDENCE: Omit<Evidence, 'entry'> = {
  reportCount: 0,
  sourceCount: 0,
  firstSeen: null,
  lastSeen: null,
  lastReport: null,
  scamTypes: 0,
  feedLevel: 0,
  feedName: null,
  feedListedAt: null,
  feedUntil: null,
  decision: 0,
  decidedAt: null,
  protection: 0,
};

const time = (t: number | undefined): number | null => (t === NULL_TIME || t === undefined ? null : t);

type Column = Uint32Array | Uint16Array | Uint8Array;

/** A copy of a column with a new length (cut or zero-filled). */
function resized<T extends Column>(a: T, length: number): T {
  const next = new (a.constructor as new (n: number) => T)(length);
  next.set(length >= a.length ? a : (a.subarray(0, length) as T));
  return next;
}

export class LookupIndex {
  /** Last change-log sequence number applied. */
  seq = 0;
  private slots: Int32Array; // 0 empty, else row + 1
  /** slots.length / 2^32: a hash's first slot is floor(hi * slotScale) (the table's length is no power of two). */
  private slotScale = 0;
  private size = 0;
  private hashHi: Uint32Array;
  private hashLo: Uint32Array;
  private reportCount: Uint16Array;
  private sourceCount: Uint16Array;
  private readonly bigReportCounts = new Map<number, number>();
  private readonly bigSourceCounts = new Map<number, number>();
  private feedListedAt: Uint32Array;
  private feedUntil: Uint32Array;
  private firstSeen: Uint32Array;
  private lastSeen: Uint32Array;
  private lastReport: Uint32Array;
  private readonly decidedAt = new Map<number, number>();
  private scamTypes: Uint16Array;
  private feedId: Uint16Array;
  private flags: Uint8Array; // feed level (2 bits) | decision (2 bits) << 2 | protection (2 bits) << 4
  private readonly feeds: string[] = [''];
  private readonly feedIds = new Map<string, number>();
  private readonly seedA: number;
  private readonly seedB: number;
  private hi = 0;
  private lo = 0;

  constructor(capacity = 1024) {
    const seeds = randomBytes(8);
    this.seedA = seeds.readUInt32LE(0);
    this.seedB = seeds.readUInt32LE(4);
    capacity = Math.max(capacity, 4);
    this.hashHi = new Uint32Array(capacity);
    this.hashLo = new Uint32Array(capacity);
    this.reportCount = new Uint16Array(capacity);
    this.sourceCount = new Uint16Array(capacity);
    this.feedListedAt = new Uint32Array(capacity);
    this.feedUntil = new Uint32Array(capacity);
    this.firstSeen = new Uint32Array(capacity);
    this.lastSeen = new Uint32Array(capacity);
    this.lastReport = new Uint32Array(capacity);
    this.scamTypes = new Uint16Array(capacity);
    this.feedId = new Uint16Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.slots = new Int32Array(0);
    this.rehash();
  }

  /** Entries held (an entry whose evidence went away stays as an empty row until the next full load). */
  get count(): number {
    return this.size;
  }

  private columns(): Column[] {
    return [this.hashHi, this.hashLo, this.reportCount, this.sourceCount, this.feedListedAt, this.feedUntil, this.firstSeen, this.lastSeen, this.lastReport, this.scamTypes, this.feedId, this.flags];
  }

  /** Bytes held by the table, for the memory budget (the overflow maps hold a handful of rows). */
  get byteSize(): number {
    return this.columns().reduce((sum, a) => sum + a.byteLength, this.slots.byteLength);
  }


  /** Two independent 32-bit multiplicative hashes of the UTF-16 code units (murmur-style mix and finalizer). */
  private hash(name: string): void {
    let a = this.seedA ^ name.length;
    let b = this.seedB ^ Math.imul(name.length, 0x9e3779b1);
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      a = Math.imul(a ^ c, 0x5bd1e995);
      a ^= a >>> 15;
      b = Math.imul(b ^ c, 0x85ebca77);
      b ^= b >>> 13;
    }
    a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    a = Math.imul(a ^ (a >>> 13), 0xc2b2ae35);
    b = Math.imul(b ^ (b >>> 16), 0x7feb352d);
    b = Math.imul(b ^ (b >>> 15), 0x846ca68b);
    this.hi = (a ^ (a >>> 16) ^ b) >>> 0;
    this.lo = (b ^ (b >>> 16)) >>> 0;
  }

  /** Slot of the hashed name: its own if present, else the empty slot where it would go. */
  private probe(): number {
    const last = this.slots.length - 1;
    for (let slot = Math.floor(this.hi * this.slotScale); ; slot = slot === last ? 0 : slot + 1) {
      const row = this.slots[slot] as number;
      if (row === EMPTY || (this.hashHi[row - 1] === this.hi && this.hashLo[row - 1] === this.lo)) return slot;
    }
  }

  get(entry: string): Evidence | null {
    this.hash(entry);
    const row = (this.slots[this.probe()] as number) - 1;
    if (row < 0) return null;
    const flags = this.flags[row] as number;
    const reportCount = this.countOf(this.reportCount, this.bigReportCounts, row);
    if (reportCount === 0 && flags === 0) return null;
    const feedId = this.feedId[row] as number;
    return {
      entry,
      reportCount,
      sourceCount: this.countOf(this.sourceCount, this.bigSourceCounts, row),
      firstSeen: time(this.firstSeen[row]),
      lastSeen: time(this.lastSeen[row]),
      lastReport: time(this.lastReport[row]),
      scamTypes: this.scamTypes[row] as number,
      feedLevel: (flags & 3) as RiskLevel,
      feedName: feedId === 0 ? null : (this.feeds[feedId] ?? null),
      feedListedAt: time(this.feedListedAt[row]),
      feedUntil: time(this.feedUntil[row]),
      decision: ((flags >> 2) & 3) as Decision,
      decidedAt: time(this.decidedAt.get(row)),
      protection: ((flags >> 4) & 3) as Protection,
    };
  }

  /** Stores (or, with null, empties) an entry's evidence. */
  set(entry: string, evidence: Omit<Evidence, 'entry'> | null): void {
    this.hash(entry);
    let slot = this.probe();
    let row = (this.slots[slot] as number) - 1;
    if (row < 0) {
      if (evidence === null) return;
      if (this.size === this.hashHi.length) {
        this.resize(Math.ceil(this.size * GROWTH));
        slot = this.probe();
      }
      row = this.size++;
      this.slots[slot] = row + 1;
      this.hashHi[row] = this.hi;
      this.hashLo[row] = this.lo;
    }
    const e = evidence ?? EMPTY_EVIDENCE;
    this.setCount(this.reportCount, this.bigReportCounts, row, e.reportCount);
    this.setCount(this.sourceCount, this.bigSourceCounts, row, e.sourceCount);
    this.feedListedAt[row] = e.feedListedAt ?? NULL_TIME;
    this.feedUntil[row] = e.feedUntil ?? NULL_TIME;
    this.firstSeen[row] = e.firstSeen ?? NULL_TIME;
    this.lastSeen[row] = e.lastSeen ?? NULL_TIME;
    this.lastReport[row] = e.lastReport ?? NULL_TIME;
    if (e.decidedAt !== null) this.decidedAt.set(row, e.decidedAt);
    else if (this.decidedAt.size > 0) this.decidedAt.delete(row);
    this.scamTypes[row] = e.scamTypes;
    this.feedId[row] = e.feedName === null ? 0 : this.feedIdOf(e.feedName);
    this.flags[row] = e.feedLevel | (e.decision << 2) | (e.protection << 4);
  }

  private feedIdOf(name: string): number {
    let id = this.feedIds.get(name);
    if (id === undefined) {
      id = this.feeds.length < 0xffff ? this.feeds.push(name) - 1 : 0xffff;
      if (id < 0xffff) this.feedIds.set(name, id);
    }
    return id;
  }

  private countOf(column: Uint16Array, big: Map<number, number>, row: number): number {
    const n = column[row] as number;
    return n === COUNT_OVERFLOW ? (big.get(row) as number) : n;
  }

  private setCount(column: Uint16Array, big: Map<number, number>, row: number, n: number): void {
    if (n >= COUNT_OVERFLOW) {
      column[row] = COUNT_OVERFLOW;
      big.set(row, n);
    } else {
      column[row] = n;
      if (big.size > 0) big.delete(row);
    }
  }

  /**
   * Cuts the spare rows left by growth down to 1/64 of headroom (after a full load, which is when the
   * index's size is known).
   */
  fit(): void {
    const capacity = Math.max(this.size + Math.ceil(this.size / 64), 4);
    if (capacity < this.hashHi.length) this.resize(capacity);
  }

  private resize(capacity: number): void {
    this.hashHi = resized(this.hashHi, capacity);
    this.hashLo = resized(this.hashLo, capacity);
    this.reportCount = resized(this.reportCount, capacity);
    this.sourceCount = resized(this.sourceCount, capacity);
    this.feedListedAt = resized(this.feedListedAt, capacity);
    this.feedUntil = resized(this.feedUntil, capacity);
    this.firstSeen = resized(this.firstSeen, capacity);
    this.lastSeen = resized(this.lastSeen, capacity);
    this.lastReport = resized(this.lastReport, capacity);
    this.scamTypes = resized(this.scamTypes, capacity);
    this.feedId = resized(this.feedId, capacity);
    this.flags = resized(this.flags, capacity);
    this.rehash();
  }

  /** Rebuilds the slot table for the rows' capacity. */
  private rehash(): void {
    const slots = new Int32Array(Math.ceil(this.hashHi.length * SLOTS_PER_ROW));
    const last = slots.length - 1;
    this.slotScale = slots.length / 2 ** 32;
    for (let row = 0; row < this.size; row++) {
      let slot = Math.floor((this.hashHi[row] as number) * this.slotScale);
      while (slots[slot] !== EMPTY) slot = slot === last ? 0 : slot + 1;
      slots[slot] = row + 1;
    }
    this.slots = slots;
  }
}
