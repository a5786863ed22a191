import { sql, type Kysely } from 'kysely';

/**
 * Every node of one PostgreSQL keeps its own index; a statement that appends to the verdict log, changes a
 * shared account or changes a partner key now also NOTIFYs a channel (at commit, folded per transaction),
 * so that the other nodes catch up at once instead of at their next poll.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE FUNCTION scamgraph_notify() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify(TG_ARGV[0], '');
      RETURN NULL;
    END $$;
    CREATE TRIGGER evidence_changes_notify AFTER INSERT ON evidence_changes FOR EACH STATEMENT EXECUTE FUNCTION scamgraph_notify('scamgraph_changes');
    CREATE TRIGGER shared_accounts_notify AFTER INSERT OR UPDATE ON shared_accounts FOR EACH STATEMENT EXECUTE FUNCTION scamgraph_notify('scamgraph_shared');
    CREATE TRIGGER partner_keys_notify AFTER UPDATE ON partner_keys FOR EACH STATEMENT EXECUTE FUNCTION scamgraph_notify('scamgraph_keys');
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TRIGGER partner_keys_notify ON partner_keys;
    DROP TRIGGER shared_accounts_notify ON shared_accounts;
    DROP TRIGGER evidence_changes_notify ON evidence_changes;
    DROP FUNCTION scamgraph_notify();
  `.execute(db);
}
