import { sql, type Kysely } from 'kysely';

/**
 * What telcos and platforms did about a value (issue 14): a number suspended, a link blocked, a sender barred,
 * a site taken down. One row per organisation, value and outcome, so a report sent twice is kept once; the
 * value's page lists them and the dashboard counts them per day.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE telco_outcomes (
      organisation_id bigint NOT NULL REFERENCES organisations (id),
      entry text NOT NULL,
      outcome text NOT NULL,
      -- The partner's own reference (a ticket), for the officer who asks them about it.
      reference text,
      reported_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organisation_id, entry, outcome)
    );
    CREATE INDEX telco_outcomes_entry ON telco_outcomes (entry);
    CREATE INDEX telco_outcomes_reported ON telco_outcomes (reported_at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE telco_outcomes;`.execute(db);
}
