import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, EvidenceTable } from '../../storage/schema.js';

/** A row of the verdict log a TAXII collection serves, with the listing it belongs to (times as TAXII timestamps). */
export interface ServedRow {
  seq: string;
  key: string;
  kind: string;
  level: number | null;
  previous_level: number | null;
  added: string;
  /** The row that began the listing (null: it began before the log recorded levels). */
  episode: string | null;
  listed: string | null;
  first_added: string;
}

const TAXII_TIME = 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"';

/**
 * The log's last row at or before a time: where `added_after` starts (strictly after it). The log's times rise
 * with its sequence numbers (migration 015), so a binary search by the primary key finds it without an index
 * of its own (one would cost every import).
 */
export async function lastSeqAt(db: Kysely<Database>, time: string): Promise<number> {
  const probe = async (from: number): Promise<{ seq: number; before: boolean } | null> => {
    const { rows } = await sql<{ seq: string; before: boolean }>`
      SELECT seq, changed_at <= ${time}::timestamptz AS before FROM evidence_changes WHERE seq >= ${from} ORDER BY seq LIMIT 1`.execute(db);
    return rows[0] === undefined ? null : { seq: Number(rows[0].seq), before: rows[0].before };
  };
  const { rows } = await sql<{ seq: string | null }>`SELECT max(seq) AS seq FROM evidence_changes`.execute(db);
  let lo = 0;
  let hi = Number(rows[0]?.seq ?? 0);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const found = await probe(mid);
    if (found !== null && found.before) lo = found.seq;
    else hi = mid - 1;
  }
  return lo;
}

/** The entries of STIX ids this deployment served. */
export async function keysOfStixIds(db: Kysely<Database>, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('stix_ids').select('key').where('id', 'in', [...ids]).execute();
  return [...new Set(rows.map((r) => r.key))];
}

export async function rememberStixIds(db: Kysely<Database>, ids: readonly { id: string; key: string; episode: number }[]): Promise<void> {
  if (ids.length === 0) return;
  await sql`
    INSERT INTO stix_ids (id, key, episode)
    SELECT * FROM unnest(${ids.map((i) => i.id)}::text[], ${ids.map((i) => i.key)}::text[], ${ids.map((i) => i.episode)}::bigint[])
    ON CONFLICT (id) DO NOTHING`.execute(db);
}

/**
 * The rows from `from` to before `upTo` (of the kinds, or of the keys) that a collection of these level codes
 * serves: an entry's latest row while it is at one of them, and each row that took an entry out of them. Read
 * in one snapshot with the evidence of their entries.
 */
export async function servedRows(
  db: Kysely<Database>,
  q: { codes: readonly number[]; kinds: readonly string[]; from: number; upTo: number; keys: readonly string[] | null },
): Promise<{ rows: ServedRow[]; evidence: Selectable<EvidenceTable>[] }> {
  const codes = [...q.codes];
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const { rows } = await sql<ServedRow>`
        SELECT ec.seq, ec.key, ec.kind, ec.level, ec.previous_level, to_char(ec.changed_at AT TIME ZONE 'UTC', ${TAXII_TIME}) AS added,
          ep.seq AS episode, to_char(ep.changed_at AT TIME ZONE 'UTC', ${TAXII_TIME}) AS listed,
          to_char(fr.changed_at AT TIME ZONE 'UTC', ${TAXII_TIME}) AS first_added
        FROM evidence_changes ec
        LEFT JOIN evidence e ON e.key = ec.key
        LEFT JOIN LATERAL (
          SELECT x.seq, x.changed_at FROM evidence_changes x
          WHERE x.key = ec.key AND x.seq <= ec.seq AND x.level = ANY(${codes}::smallint[]) AND NOT (coalesce(x.previous_level, 0) = ANY(${codes}::smallint[]))
          ORDER BY x.seq DESC LIMIT 1) ep ON true
        LEFT JOIN LATERAL (SELECT f.changed_at FROM evidence_changes f WHERE f.key = ec.key ORDER BY f.seq LIMIT 1) fr ON true
        WHERE ec.seq >= ${q.from} AND ec.seq < ${q.upTo} AND ec.kind = ANY(${[...q.kinds]}::text[])
          ${q.keys === null ? sql`` : sql`AND ec.key = ANY(${[...q.keys]}::text[])`}
          AND ((e.level = ANY(${codes}::smallint[]) AND ec.seq = (SELECT max(y.seq) FROM evidence_changes y WHERE y.key = ec.key))
            OR (ec.level IS NOT NULL AND ec.previous_level = ANY(${codes}::smallint[]) AND NOT (ec.level = ANY(${codes}::smallint[]))))
        ORDER BY ec.seq`.execute(trx);
      const keys = [...new Set(rows.map((r) => r.key))];
      const evidence = keys.length === 0 ? [] : await trx.selectFrom('evidence').selectAll().where('key', 'in', keys).execute();
      return { rows, evidence };
    });
}
