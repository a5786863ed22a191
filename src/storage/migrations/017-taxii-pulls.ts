import { sql, type Kysely } from 'kysely';

/**
 * Where each pull of a peer's TAXII collection into a feed got to (issue 14): the X-TAXII-Date-Added-Last of
 * the last page kept, which the next pull asks for objects added after (TAXII 2.1 §3.4).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE taxii_pulls (
      feed text NOT NULL,
      -- The collection's URL: the API root and the collection id.
      collection_url text NOT NULL,
      added_after text NOT NULL,
      pulled_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (feed, collection_url)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE taxii_pulls;`.execute(db);
}
