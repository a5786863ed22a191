import { sql, type Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { SCAM_TYPES, type Label, type ScamType } from './taxonomy.js';

/** Below this many reports in a window a count is not published: a small count can point at a person. */
export const SMALLEST_PUBLISHED = 10;
const WINDOW_DAYS = 7;
/** Counts are recomputed at most this often: the public page cannot make the database scan on demand. */
const FRESH_MS = 10 * 60_000;

export interface Trends {
  windowDays: number;
  smallestPublished: number;
  until: string;
  /** Scam types with at least `smallestPublished` reports in the last window, most reported first. */
  types: { scamType: ScamType; label: Label; recent: number; previous: number | null }[];
}

/**
 * Trending scam types for the public: reports per type (an officer's label where there is one; repeats of a
 * report not counted) in the last 7 days and the 7 before. A count under 10 is never published: such a type is
 * left out, and a previous week under 10 shows as null. Cached for 10 minutes.
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

export async function computeTrends(db: Kysely<Database>, now: Date): Promise<Trends> {
  const rows = await sql<{ scam_type: string; recent: number; previous: number }>`
    SELECT coalesce(t.scam_type, r.scam_type) AS scam_type,
      count(*) FILTER (WHERE r.received_at > ${now}::timestamptz - make_interval(days => ${WINDOW_DAYS}))::int AS recent,
      count(*) FILTER (WHERE r.received_at <= ${now}::timestamptz - make_interval(days => ${WINDOW_DAYS}))::int AS previous
    FROM reports r LEFT JOIN type_labels t ON t.report_id = r.id
    WHERE r.received_at > ${now}::timestamptz - make_interval(days => ${2 * WINDOW_DAYS}) AND r.received_at <= ${now} AND r.duplicate_of IS NULL
    GROUP BY 1`.execute(db);
  const types = rows.rows
    .filter((r) => r.recent >= SMALLEST_PUBLISHED && r.scam_type in SCAM_TYPES)
    .map((r) => ({ scamType: r.scam_type as ScamType, label: SCAM_TYPES[r.scam_type as ScamType], recent: r.recent, previous: r.previous >= SMALLEST_PUBLISHED ? r.previous : null }))
    .sort((a, b) => b.recent - a.recent || a.scamType.localeCompare(b.scamType));
  return { windowDays: WINDOW_DAYS, smallestPublished: SMALLEST_PUBLISHED, until: now.toISOString(), types };
}
