import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';

/** The SQL of payee-check outcomes; PayeeOutcomes holds the rules. */

type Db = Kysely<Database> | Transaction<Database>;

export interface OutcomeRow {
  organisation_id: number;
  check_hash: Buffer;
  outcome: string;
  entry: string;
  risk: string;
  action: string;
  amount: string | null;
  currency: string | null;
  checked_at: Date;
}

/** Inserts outcomes not recorded yet (one per check and outcome); returns how many were new. */
export async function insertOutcomes(trx: Transaction<Database>, rows: OutcomeRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await trx.insertInto('payee_outcomes').values(rows).onConflict((oc) => oc.columns(['organisation_id', 'check_hash', 'outcome']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function outcomesPerDay(db: Db, since: Date) {
  const { rows } = await sql<{ day: string; outcome: string; n: string }>`
    SELECT (reported_at AT TIME ZONE 'UTC')::date::text AS day, outcome, count(*)::text AS n
    FROM payee_outcomes WHERE reported_at >= ${since} GROUP BY 1, 2 ORDER BY 1, 2`.execute(db);
  return rows.map((r) => ({ day: r.day, outcome: r.outcome, count: Number(r.n) }));
}

/** Sums of the payments the customers did not make after all, by currency. */
export async function keptSince(db: Db, since: Date, outcomes: readonly string[]) {
  const { rows } = await sql<{ currency: string; amount: string; payments: string }>`
    SELECT currency, sum(amount)::text AS amount, count(*)::text AS payments FROM payee_outcomes
    WHERE reported_at >= ${since} AND outcome = ANY(${[...outcomes]}::text[]) AND currency IS NOT NULL GROUP BY currency ORDER BY currency`.execute(db);
  return rows.map((r) => ({ currency: r.currency, amount: r.amount, payments: Number(r.payments) }));
}

/** The values banks called false alarms, the latest first, with how many banks did. */
export async function falseAlarmsSince(db: Db, since: Date, limit: number) {
  const { rows } = await sql<{ entry: string; banks: string; reports: string; last: Date }>`
    SELECT entry, count(DISTINCT organisation_id)::text AS banks, count(*)::text AS reports, max(reported_at) AS last FROM payee_outcomes
    WHERE outcome = 'false_alarm' AND reported_at >= ${since} GROUP BY entry ORDER BY max(reported_at) DESC LIMIT ${limit}`.execute(db);
  return rows.map((r) => ({ entry: r.entry, banks: Number(r.banks), reports: Number(r.reports), last: r.last }));
}
