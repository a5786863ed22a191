import { sql, type Kysely } from 'kysely';

/**
 * A template share outlives the message its campaign was named after. A campaign is named after its first
 * message; when that message is erased (its only forwarder withdrew it) the campaign passes to its next
 * message, and telcos following the template feed must see the old name withdrawn and the new one shared,
 * so the withdrawn row stays without the message it named.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`ALTER TABLE campaign_shares DROP CONSTRAINT IF EXISTS campaign_shares_campaign_id_fkey`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DELETE FROM campaign_shares s WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = s.campaign_id)`.execute(db);
  await sql`ALTER TABLE campaign_shares ADD CONSTRAINT campaign_shares_campaign_id_fkey FOREIGN KEY (campaign_id) REFERENCES messages (id)`.execute(db);
}
