import { randomBytes } from 'node:crypto';
import type { Decision, Evidence, Protection, RiskLevel } from './verdict.types.js';

/**
 * The in-memory lookup index: the evidence summary of every known entry, answered without a database round
 * trip. A million entries must fit in well under 200 bytes each, so there are no per-entry objects or key
 * strings: an entry is known by a 64-bit keyed hash of its name, in an open-addressing table over typed
 * arrays (struct of arrays). Two names share a slot only if their 64-bit hashes collide, about 1 in 3·10^7 for
 * a million entries; the hash is seeded per process, so nobody can aim a collision at a given name.
 */
const EMPTY = 0;
const NULL_TIME = 0;

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

export class LookupIndex {
  /** Last change-log sequence number applied. */
  seq = 0;
  private slots: Int32Array; // 0 empty, else row + 1
  private size = 0;
  private hashHi: Uint32Array;
  private hashLo: Uint32Array;
  private reportCount: Uint32Array;
  private sourceCount: Uint32Array;
  private feedListedAt: Uint32Array;
  private feedUntil: Uint32Array;
  private firstSeen: Uint32Array;
  private lastSeen: Uint32Array;
  private lastReport: Uint32Array;
  private decidedAt: Uint32Array;
  private scamTypes: Uint32Array;
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
    let slots = 16;
    while (slots < capacity * 2) slots *= 2;
    this.slots = new Int32Array(slots);
    this.hashHi = new Uint32Array(capacity);
    this.hashLo = new Uint32Array(capacity);
    this.reportCount = new Uint32Array(capacity);
    this.sourceCount = new Uint32Array(capacity);
    this.feedListedAt = new Uint32Array(capacity);
    this.feedUntil = new Uint32Array(capacity);
    this.firstSeen = new Uint32Array(capacity);
    this.lastSeen = new Uint32Array(capacity);
    this.lastReport = new Uint32Array(capacity);
    this.decidedAt = new Uint32Array(capacity);
    this.scamTypes = new Uint32Array(capacity);
    this.feedId = new Uint16Array(capacity);
    this.flags = new Uint8Array(capacity);
  }

  /** Entries held (an entry whose evidence went away stays as an empty row until the next full load). */
  get count(): number {
    return this.size;
  }

  /** Bytes held by the table, for the memory budget. */
  get byteSize(): number {
    const arrays = [this.slots, this.hashHi, this.hashLo, this.reportCount, this.sourceCount, this.feedListedAt, this.feedUntil, this.firstSeen, this.lastSeen, this.lastReport, this.decidedAt, this.scamTypes, this.feedId, this.flags];
    return arrays.reduce((sum, a) => sum + a.byteLength, 0);
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
    const mask = this.slots.length - 1;
    for (let slot = this.hi & mask; ; slot = (slot + 1) & mask) {
      const row = this.slots[slot] as number;
      if (row === EMPTY || (this.hashHi[row - 1] === this.hi && this.hashLo[row - 1] === this.lo)) return slot;
    }
  }

  get(entry: string): Evidence | null {
    this.hash(entry);
    const row = (this.slots[this.probe()] as number) - 1;
    if (row < 0) return null;
    const flags = this.flags[row] as number;
    const reportCount = this.reportCount[row] as number;
    if (reportCount === 0 && flags === 0) return null;
    const feedId = this.feedId[row] as number;
    return {
      entry,
      reportCount,
      sourceCount: this.sourceCount[row] as number,
      firstSeen: time(this.firstSeen[row]),
      lastSeen: time(this.lastSeen[row]),
      lastReport: time(this.lastReport[row]),
      scamTypes: this.scamTypes[row] as number,
      feedLevel: (flags & 3) as RiskLevel,
      feedName: feedId === 0 ? null : (this.feeds[feedId] ?? null),
      feedListedAt: time(this.feedListedAt[row]),
      feedUntil: time(this.feedUntil[row]),
      decision: ((flags >> 2) & 3) as Decision,
      decidedAt: time(this.decidedAt[row]),
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
      if (this.size === this.hashHi.length) this.growRows();
      if ((this.size + 1) * 2 > this.slots.length) {
        this.growSlots();
        slot = this.probe();
      }
      row = this.size++;
      this.slots[slot] = row + 1;
      this.hashHi[row] = this.hi;
      this.hashLo[row] = this.lo;
    }
    const e = evidence ?? EMPTY_EVIDENCE;
    this.reportCount[row] = e.reportCount;
    this.sourceCount[row] = e.sourceCount;
    this.feedListedAt[row] = e.feedListedAt ?? NULL_TIME;
    this.feedUntil[row] = e.feedUntil ?? NULL_TIME;
    this.firstSeen[row] = e.firstSeen ?? NULL_TIME;
    this.lastSeen[row] = e.lastSeen ?? NULL_TIME;
    this.lastReport[row] = e.lastReport ?? NULL_TIME;
    this.decidedAt[row] = e.decidedAt ?? NULL_TIME;
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

  private growRows(): void {
    const grow = <T extends Uint32Array | Uint16Array | Uint8Array>(a: T): T => {
      const next = new (a.constructor as new (n: number) => T)(a.length * 2);
      next.set(a);
      return next;
    };
    this.hashHi = grow(this.hashHi);
    this.hashLo = grow(this.hashLo);
    this.reportCount = grow(this.reportCount);
    this.sourceCount = grow(this.sourceCount);
    this.feedListedAt = grow(this.feedListedAt);
    this.feedUntil = grow(this.feedUntil);
    this.firstSeen = grow(this.firstSeen);
    this.lastSeen = grow(this.lastSeen);
    this.lastReport = grow(this.lastReport);
    this.decidedAt = grow(this.decidedAt);
    this.scamTypes = grow(this.scamTypes);
    this.feedId = grow(this.feedId);
    this.flags = grow(this.flags);
  }

  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let row = 0; row < this.size; row++) {
      let slot = (this.hashHi[row] as number) & mask;
      while (slots[slot] !== EMPTY) slot = (slot + 1) & mask;
      slots[slot] = row + 1;
    }
    this.slots = slots;
  }
}
