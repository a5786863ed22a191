import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { SCAM_TYPES, type Label, type ScamType } from './taxonomy.js';
import { reportersPerTypeIn } from './trends.repository.js';

/** Below this many reporters in a window a count is not published: a small count can point at a person. */
export const SMALLEST_PUBLISHED = 10;
/** Published counts are rounded down to a multiple of this, so that no two readings differ by one person. */
export const ROUNDED_TO = 5;
const WINDOW_DAYS = 7;
/** Counts are recomputed at most this often: the public page cannot make the database scan on demand. */
const FRESH_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

export interface Trends {
  windowDays: number;
  smallestPublished: number;
  roundedTo: number;
  /** The end of the last window: the start of today (UTC). */
  until: string;
  /** Scam types with at least `smallestPublished` reporters in the last window, most reported first. */
  types: { scamType: ScamType; label: Label; recent: number; previous: number | null }[];
}

/**
 * Trending scam types for the public: how many people reported each type (an officer's label where there is
 * one; repeats, and reports closed as not a scam or as duplicates, not counted) in the 7 whole days before
 * today and the 7 before those. The windows end at the start of the UTC day, so the counts change once a day
 * and readings cannot be subtracted to watch single reports arrive; a count under 10 is never published (such
 * a type is left out, a previous week under 10 shows as null) and the others are rounded down to a multiple
 * of 5. Cached for 10 minutes.
 */
export class TrendsService {
  private cached: { at: number; trends: Promise<Trends> } | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  current(now = new Date()): Promise<Trends> {
    if (this.cached === null || now.getTime() - this.cached.at > FRESH_MS) {
      const trends = computeTrends(this.db, now);
      this.cached = { at: now.getTime(), trends };
      trends.catch(() => (this.cached = null)); // a failed count is retried on the next request
    }
    return this.cached.trends;
  }
}

/** A count as the public may see it: null under SMALLEST_PUBLISHED, else rounded down to ROUNDED_TO (the transparency report's too). */
export const published = (count: number): number | null => (count < SMALLEST_PUBLISHED ? null : count - (count % ROUNDED_TO));

export async function computeTrends(db: Kysely<Database>, now: Date): Promise<Trends> {
  const until = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const split = new Date(until.getTime() - WINDOW_DAYS * DAY_MS);
  const from = new Date(until.getTime() - 2 * WINDOW_DAYS * DAY_MS);
  const rows = await reportersPerTypeIn(db, from, split, until);
  const types = rows
    .filter((r) => r.scam_type in SCAM_TYPES && published(r.recent) !== null)
    .map((r) => ({ scamType: r.scam_type as ScamType, label: SCAM_TYPES[r.scam_type as ScamType], recent: published(r.recent) as number, previous: published(r.previous) }))
    .sort((a, b) => b.recent - a.recent || a.scamType.localeCompare(b.scamType));
  return { windowDays: WINDOW_DAYS, smallestPublished: SMALLEST_PUBLISHED, roundedTo: ROUNDED_TO, until: until.toISOString(), types };
}
