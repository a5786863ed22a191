import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** One listing of a trusted feed, ready to store. */
export interface FeedListing {
  entry: string;
  kind: string;
  canonical: string;
  /** As the source gives them, or null. */
  firstSeen: Date | null;
  lastSeen: Date | null;
  expiresAt: Date | null;
}

/** A feed's own time to live in days (null: the default for each kind), recording the one given if any. */
export async function feedTtl(db: Db, feed: string, given: number | undefined): Promise<number | null> {
  if (given !== undefined) {
    await db
      .insertInto('feeds')
      .values({ name: feed, ttl_days: given })
      .onConflict((oc) => oc.column('name').doUpdateSet({ ttl_days: given, updated_at: new Date() }))
      .execute();
    return given;
  }
  const row = await db.selectFrom('feeds').select('ttl_days').where('name', '=', feed).executeTakeFirst();
  if (row === undefined) await db.insertInto('feeds').values({ name: feed, ttl_days: null }).onConflict((oc) => oc.doNothing()).execute();
  return row?.ttl_days ?? null;
}

/**
 * Lists or re-lists entries in a feed. A new listing is stored; an existing one is renewed (listed again
 * now, its expiry moved on) only when it was last listed before `renewBefore`, or when its level, its time to live or the
 * source's dates changed, so that running the same import twice in a day changes nothing. Returns the
 * entries whose listing was written and how many of them were new.
 */
export async function upsertListings(
  trx: Transaction<Database>,
  feed: string,
  level: number,
  listedAt: Date,
  renewBefore: Date,
  listings: readonly FeedListing[],
): Promise<{ written: string[]; added: number }> {
  const col = <T>(f: (l: FeedListing) => T): T[] => listings.map(f);
  const result = await sql<{ evidence_key: string; added: boolean }>`
    INSERT INTO feed_entries AS f (feed, evidence_key, kind, canonical, level, listed_at, first_seen, last_seen, expires_at)
    SELECT ${feed}, u.entry, u.kind, u.canonical, ${level}::smallint, ${listedAt}::timestamptz, u.first_seen, u.last_seen, u.expires_at
    FROM unnest(${col((l) => l.entry)}::text[], ${col((l) => l.kind)}::text[], ${col((l) => l.canonical)}::text[],
      ${col((l) => l.firstSeen)}::timestamptz[], ${col((l) => l.lastSeen)}::timestamptz[], ${col((l) => l.expiresAt)}::timestamptz[])
      AS u(entry, kind, canonical, first_seen, last_seen, expires_at)
    ON CONFLICT (feed, evidence_key) DO UPDATE SET level = excluded.level, listed_at = excluded.listed_at, expires_at = excluded.expires_at,
      first_seen = coalesce(least(f.first_seen, excluded.first_seen), f.first_seen, excluded.first_seen),
      last_seen = coalesce(greatest(f.last_seen, excluded.last_seen), f.last_seen, excluded.last_seen)
    WHERE f.listed_at < ${renewBefore}::timestamptz OR f.level <> excluded.level
      OR f.expires_at - f.listed_at IS DISTINCT FROM excluded.expires_at - excluded.listed_at
      OR f.first_seen IS DISTINCT FROM coalesce(least(f.first_seen, excluded.first_seen), f.first_seen, excluded.first_seen)
      OR f.last_seen IS DISTINCT FROM coalesce(greatest(f.last_seen, excluded.last_seen), f.last_seen, excluded.last_seen)
    RETURNING f.evidence_key, (xmax = 0) AS added`.execute(trx);
  return { written: result.rows.map((r) => r.evidence_key), added: result.rows.filter((r) => r.added).length };
}

/** Ends the listings of these entries in a feed (the source revoked them); returns the entries that were listed. */
export async function removeListings(trx: Transaction<Database>, feed: string, entries: readonly string[]): Promise<string[]> {
  if (entries.length === 0) return [];
  const rows = await trx.deleteFrom('feed_entries').where('feed', '=', feed).where('evidence_key', 'in', [...entries]).returning('evidence_key').execute();
  return rows.map((r) => r.evidence_key);
}
