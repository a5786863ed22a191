import { LRUCache } from 'lru-cache';
import type { Indicator } from '../indicators/index.js';

/** What is kept of one checked value. */
export interface RecentCheck {
  readonly key: string;
  /** Its normal forms: normalizing is pure, so these never go stale. */
  candidates: Indicator[];
  /** The serialized answer, or null until one is built. */
  body: Buffer | null;
  /** Every index entry the answer read: a change to any of them makes it stale. */
  entries: readonly string[];
  /** Epoch seconds at which time alone changes the answer (report evidence lapsing), or Infinity. */
  until: number;
  /** The change-log sequence number up to which the answer is known to be current. */
  seq: number;
  generation: number;
}

/** What V8 takes for a string: a header, and one byte a character unless a character needs two. */
const stringBytes = (s: string): number => 16 + (/[^\u0000-\u00ff]/.test(s) ? 2 : 1) * s.length;

/** Bytes an object graph of plain data holds, roughly as V8 lays it out (headers, slots, string bodies). */
function retainedBytes(value: unknown): number {
  if (typeof value === 'string') return stringBytes(value);
  if (value === null || typeof value !== 'object') return 8;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + 8 + retainedBytes(item), 32);
  let bytes = 32;
  for (const item of Object.values(value)) bytes += 8 + retainedBytes(item);
  return bytes;
}

/**
 * Bytes a kept value takes: its key, its answer and what it read, and its normal forms, which for a long
 * link hold its canonical form, key, display form and every lookup expression (a 4 KB link with non-ASCII
 * characters takes over 100 KB in normal form, far more than the value itself).
 */
function approximateBytes(check: RecentCheck): number {
  return 96 + stringBytes(check.key) + (check.body?.length ?? 0) + retainedBytes(check.entries) + retainedBytes(check.candidates);
}

/**
 * Recently checked values with their normal forms and serialized answers, least recently used out. What
 * people check repeats heavily (the same scam number, pasted by thousands), and normalizing, building an
 * explained verdict and serializing it are nearly all of a check's cost. An answer is exactly right until an
 * entry it read changes or its evidence lapses; staleness is tracked per entry, so a stream of new reports
 * elsewhere leaves the popular answers in place.
 */
export class RecentChecks {
  private readonly checks: LRUCache<string, RecentCheck>;
  /** Entry → sequence number of its latest change since start, for changes not yet forgotten. */
  private readonly changedAt = new Map<string, number>();
  /** Answers validated before this sequence number cannot be checked any more (their changes were forgotten). */
  private floor = 0;
  /** Bumped when something every answer depends on changes (the protected entities). */
  private generation = 0;

  private readonly changeMemory: number;
  private readonly changeBytes: number;
  private changedBytes = 0;

  /**
   * At most `values` values in about `bytes` bytes (a value is up to 4,096 characters and its answer repeats
   * it); `changeMemory` changed entries, in at most an eighth of `bytes`, are remembered before that memory
   * is dropped.
   */
  constructor(limits: { values: number; bytes?: number; changeMemory?: number }) {
    const { values, bytes, changeMemory = 100_000 } = limits;
    this.changeMemory = changeMemory;
    this.changeBytes = bytes === undefined ? Infinity : Math.max(bytes / 8, 64 * 1024);
    this.checks = new LRUCache(bytes === undefined ? { max: values } : { max: values, maxSize: bytes, sizeCalculation: approximateBytes });
  }

  get(key: string): RecentCheck | undefined {
    return this.checks.get(key);
  }

  /** Remembers a value's normal forms; its answer is added by answered(). */
  add(key: string, candidates: Indicator[]): RecentCheck {
    const check: RecentCheck = { key, candidates, body: null, entries: [], until: 0, seq: 0, generation: this.generation };
    this.checks.set(key, check);
    return check;
  }

  /** Records the answer built for `check` from the index at sequence number `seq`. */
  answered(check: RecentCheck, answer: { body: Buffer; entries: readonly string[]; until: number }, seq: number): void {
    check.body = answer.body;
    check.entries = answer.entries;
    check.until = answer.until;
    check.seq = seq;
    check.generation = this.generation;
    // Its size grew; the cache measures a value when it is set, and not again for the same value.
    if (this.checks.peek(check.key) === check) {
      this.checks.delete(check.key);
      this.checks.set(check.key, check);
    }
  }

  /** The stored answer if it is still current at sequence number `seq` and time `now`, else null. */
  currentBody(check: RecentCheck, seq: number, now: number): Buffer | null {
    if (check.body === null || now >= check.until || check.generation !== this.generation) return null;
    if (check.seq !== seq) {
      if (check.seq < this.floor) return null;
      for (const entry of check.entries) {
        if ((this.changedAt.get(entry) ?? -1) > check.seq) return null;
      }
      check.seq = seq;
    }
    return check.body;
  }

  /** Records that `entry` changed at sequence number `seq`. */
  noteChange(entry: string, seq: number): void {
    if (this.changedAt.size >= this.changeMemory || this.changedBytes >= this.changeBytes) {
      this.changedAt.clear();
      this.changedBytes = 0;
      this.floor = seq;
    }
    if (!this.changedAt.has(entry)) this.changedBytes += 32 + stringBytes(entry);
    this.changedAt.set(entry, seq);
  }

  /** Makes every answer stale (the protected entities, which every answer may name, changed). */
  invalidateAll(): void {
    this.generation++;
  }
}
