import { sql, type Kysely } from 'kysely';

/**
 * Report–indicator and report–evidence links without foreign keys. Only storeReports writes them, in the
 * transaction that inserted their report and returned its id, so a link cannot name a missing report; the
 * check cost an index probe and a trigger for every link, about a tenth of an embedded import. Deleting a
 * report must delete its links (what ON DELETE CASCADE did): the retention job, when it comes, has to.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE report_indicators DROP CONSTRAINT IF EXISTS report_indicators_report_id_fkey;
    ALTER TABLE report_evidence DROP CONSTRAINT IF EXISTS report_evidence_report_id_fkey;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE report_indicators ADD FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE CASCADE;
    ALTER TABLE report_evidence ADD FOREIGN KEY (report_id) REFERENCES reports (id) ON DELETE CASCADE;
  `.execute(db);
}
