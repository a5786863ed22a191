import { sql, type Kysely } from 'kysely';

/**
 * The hub's work on reports: who a report is assigned to, whether the victim is vulnerable, how it was
 * closed, officers' notes (internal), referrals, officers' scam-type labels (kept apart, as labelled data for
 * measuring the suggestions), and a count of checks per day (a number, nothing about what was checked).
 * No foreign key on assigned_to: every import would pay a trigger per row for a column it leaves empty.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE reports
      ADD COLUMN assigned_to bigint,
      ADD COLUMN vulnerable boolean NOT NULL DEFAULT false,
      ADD COLUMN outcome text;
    CREATE TABLE report_notes (
      id bigserial PRIMARY KEY,
      report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
      author text NOT NULL,
      body text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX report_notes_report ON report_notes (report_id);
    CREATE TABLE referrals (
      id bigserial PRIMARY KEY,
      report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
      cluster_id bigint,
      target_kind text NOT NULL,
      target text NOT NULL,
      reason text NOT NULL,
      referred_by text NOT NULL,
      referred_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX referrals_report ON referrals (report_id);
    CREATE TABLE type_labels (
      report_id bigint PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
      scam_type text NOT NULL,
      suggested text,
      labelled_by text NOT NULL,
      labelled_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE check_counts (
      day date PRIMARY KEY,
      checks bigint NOT NULL
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE check_counts, type_labels, referrals, report_notes;
    ALTER TABLE reports DROP COLUMN assigned_to, DROP COLUMN vulnerable, DROP COLUMN outcome;
  `.execute(db);
}
