import { sql, type Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

/** Adds checks to their days' counts (several servers add to the same rows). */
export async function addCheckCounts(db: Kysely<Database>, counts: ReadonlyMap<string, number>): Promise<void> {
  await sql`
    INSERT INTO check_counts (day, checks) SELECT * FROM unnest(${[...counts.keys()]}::date[], ${[...counts.values()]}::bigint[])
    ON CONFLICT (day) DO UPDATE SET checks = check_counts.checks + excluded.checks`.execute(db);
}
