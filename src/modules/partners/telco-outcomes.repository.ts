import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';

/** The SQL of what telcos and platforms did about values; TelcoOutcomes holds the rules. */

export interface TelcoOutcomeRow {
  organisation_id: number;
  entry: string;
  outcome: string;
  reference: string | null;
}

/** Inserts the outcomes not recorded yet (one per organisation, value and outcome); returns how many were new. */
export async function insertTelcoOutcomes(trx: Transaction<Database>, rows: TelcoOutcomeRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await trx.insertInto('telco_outcomes').values(rows).onConflict((oc) => oc.columns(['organisation_id', 'entry', 'outcome']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function telcoOutcomesPerDay(db: Kysely<Database>, since: Date) {
  const { rows } = await sql<{ day: string; outcome: string; n: string }>`
    SELECT (reported_at AT TIME ZONE 'UTC')::date::text AS day, outcome, count(*)::text AS n
    FROM telco_outcomes WHERE reported_at >= ${since} GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return rows.map((r) => ({ day: r.day, outcome: r.outcome, count: Number(r.n) }));
}
