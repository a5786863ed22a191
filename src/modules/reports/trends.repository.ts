import { sql, type Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { countedReport } from '../verdicts/verdicts.repository.js';

/**
 * People reporting each scam type (an officer's label where there is one) in [from, split) and [split, until):
 * distinct reporter fingerprints over the reports that count (no repeats, none closed as not a scam or as a
 * duplicate).
 */
export async function reportersPerTypeIn(db: Kysely<Database>, from: Date, split: Date, until: Date): Promise<{ scam_type: string; recent: number; previous: number }[]> {
  const result = await sql<{ scam_type: string; recent: number; previous: number }>`
    SELECT coalesce(t.scam_type, r.scam_type) AS scam_type,
      count(DISTINCT r.fingerprint) FILTER (WHERE r.received_at >= ${split})::int AS recent,
      count(DISTINCT r.fingerprint) FILTER (WHERE r.received_at < ${split})::int AS previous
    FROM reports r LEFT JOIN type_labels t ON t.report_id = r.id
    WHERE r.received_at >= ${from} AND r.received_at < ${until} AND ${countedReport('r')}
    GROUP BY 1`.execute(db);
  return result.rows;
}

