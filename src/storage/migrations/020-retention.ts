import { sql, type Kysely } from 'kysely';

/**
 * Retention (issue 17): legal holds, an explicit and audited flag that keeps a report whole past its schedule
 * until its end date; and what the retention job did to a report (narrative redacted, fingerprints re-keyed),
 * so that it does each once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE legal_holds (
      id bigserial PRIMARY KEY,
      report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
      reason text NOT NULL,
      until date NOT NULL,
      placed_by text NOT NULL,
      placed_at timestamptz NOT NULL DEFAULT now(),
      lifted_at timestamptz
    );
    CREATE INDEX legal_holds_report ON legal_holds (report_id) WHERE lifted_at IS NULL;
    ALTER TABLE reports ADD COLUMN narrative_redacted_at timestamptz, ADD COLUMN fingerprint_rekeyed_at timestamptz, ADD COLUMN independence_rekeyed_at timestamptz;
    ALTER TABLE messages ADD COLUMN text_redacted_at timestamptz;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE messages DROP COLUMN text_redacted_at;
    ALTER TABLE reports DROP COLUMN narrative_redacted_at, DROP COLUMN fingerprint_rekeyed_at, DROP COLUMN independence_rekeyed_at;
    DROP TABLE legal_holds;
  `.execute(db);
}
