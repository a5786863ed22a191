import { sql, type Kysely } from 'kysely';

/**
 * TAXII 2.1 collections read the verdict log (issue 14):
 * - `changed_at` becomes the time the row was written, not the time its transaction began: writers hold the
 *   change-log lock until they commit, so the log's times now rise with its sequence numbers, and a TAXII
 *   client resuming from a `date_added` misses nothing a longer transaction wrote meanwhile;
 * - an index by entry, to find an entry's latest row and the row that began its current listing;
 * - the STIX ids served, so that an object can be found by its id (an id is a hash of what it is about).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE evidence_changes ALTER COLUMN changed_at SET DEFAULT clock_timestamp();
    CREATE INDEX evidence_changes_key_seq ON evidence_changes (key, seq);
    CREATE TABLE stix_ids (
      id text PRIMARY KEY,
      key text NOT NULL,
      -- The row that began the listing an indicator is about; 0 for an observable (about the value alone).
      episode bigint NOT NULL
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE stix_ids;
    DROP INDEX evidence_changes_key_seq;
    ALTER TABLE evidence_changes ALTER COLUMN changed_at SET DEFAULT now();
  `.execute(db);
}
