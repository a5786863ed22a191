import { sql, type Kysely } from 'kysely';

/**
 * The audit history of one thing (an indicator's decisions and protections, a report's actions, a user's
 * changes) is read by subject on the console's pages; officer actions are rare next to imports, so the
 * index costs nothing where speed matters.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX audit_log_subject ON audit_log (subject, seq)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX audit_log_subject`.execute(db);
}
