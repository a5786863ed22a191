import { sql, type Kysely } from 'kysely';

/**
 * The (entry, reporter) pairs already counted, so that a reporter who may report again counts once per entry.
 * Finding that out by joining reports to their evidence links read every report on a popular entry (a
 * campaign's number has thousands): an import got slower as history grew. A primary-key probe per pair does
 * not. Filled from every original report already stored (including imported ones, whose pairs are never
 * looked up again: harmless, and what was recurring cannot be told afterwards). Writers must be stopped while
 * it runs, as for any migration: a report stored meanwhile by an older server would write no pair.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE evidence_reporters (
      evidence_key text NOT NULL,
      fingerprint bytea NOT NULL,
      PRIMARY KEY (evidence_key, fingerprint)
    );
    INSERT INTO evidence_reporters (evidence_key, fingerprint)
      SELECT DISTINCT re.evidence_key, rp.fingerprint
      FROM report_evidence re JOIN reports rp ON rp.id = re.report_id
      WHERE rp.duplicate_of IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE evidence_reporters`.execute(db);
}
