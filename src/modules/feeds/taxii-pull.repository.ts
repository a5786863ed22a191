import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

/** The SQL of TAXII pulls' resumption points; taxii-pull.ts holds the protocol. */

export async function pulledUpTo(db: Kysely<Database>, feed: string, collectionUrl: string): Promise<string | null> {
  const row = await db.selectFrom('taxii_pulls').select('added_after').where('feed', '=', feed).where('collection_url', '=', collectionUrl).executeTakeFirst();
  return row?.added_after ?? null;
}

export async function savePulledUpTo(db: Kysely<Database>, feed: string, collectionUrl: string, addedAfter: string): Promise<void> {
  await db
    .insertInto('taxii_pulls')
    .values({ feed, collection_url: collectionUrl, added_after: addedAfter })
    .onConflict((oc) => oc.columns(['feed', 'collection_url']).doUpdateSet({ added_after: addedAfter, pulled_at: new Date() }))
    .execute();
}
