import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, EvidenceTable } from '../../storage/schema.js';
import { SCAM_TYPE_CODES, scamTypeBit } from '../reports/taxonomy.js';
import type { Evidence } from './verdict.types.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Serializes appends to the change log, so that sequence order is commit order and no follower skips a row. */
const CHANGE_LOG_LOCK = 7_261_001;

/**
 * Takes the change-log lock for the rest of the transaction. Report writers take it first thing, so that two
 * reports from one reporter stored at once cannot both find the reporter new to an entry and count twice.
 */
export async function lockChangeLog(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK})`.execute(trx);
}

const seconds = (d: Date | null): number | null => (d === null ? null : Math.floor(d.getTime() / 1000));

export function evidenceFromRow(row: Selectable<EvidenceTable>): Evidence {
  return {
    entry: row.key,
    reportCount: row.report_count,
    firstSeen: seconds(row.first_seen),
    lastSeen: seconds(row.last_seen),
    lastReport: seconds(row.last_report),
    scamTypes: row.scam_types,
    feedLevel: row.feed_level as Evidence['feedLevel'],
    feedName: row.feed_name,
    decision: row.decision as Evidence['decision'],
    decidedAt: seconds(row.decided_at),
    protection: row.protection as Evidence['protection'],
  };
}

/**
 * Recomputes the evidence of the given entries from their sources (reports that are not duplicates, feed
 * listings, officer decisions, protections) and appends a change-log row for each entry whose evidence
 * changed. Recomputing rather than incrementing makes every write idempotent: an interrupted import re-run
 * lands on exactly the same evidence. Must run inside the transaction that changed the sources.
 */
export async function refreshEvidence(trx: Transaction<Database>, entries: readonly string[]): Promise<number> {
  if (entries.length === 0) return 0;
  await lockChangeLog(trx);
  const result = await sql<{ seq: number }>`
    WITH k AS (SELECT DISTINCT unnest(${entries as string[]}::text[]) AS key),
    r AS (
      SELECT re.evidence_key AS key, count(DISTINCT rp.fingerprint)::int AS report_count,
        min(rp.received_at) AS first_report, max(rp.received_at) AS last_report,
        coalesce(bit_or(1 << (array_position(${SCAM_TYPE_CODES}::text[], rp.scam_type) - 1)), 0) AS scam_types
      FROM report_evidence re JOIN reports rp ON rp.id = re.report_id
      WHERE re.evidence_key IN (SELECT key FROM k) AND rp.duplicate_of IS NULL
      GROUP BY re.evidence_key),
    f AS (
      SELECT DISTINCT ON (evidence_key) evidence_key AS key, level, feed,
        min(listed_at) OVER (PARTITION BY evidence_key) AS first_listed, max(listed_at) OVER (PARTITION BY evidence_key) AS last_listed
      FROM feed_entries WHERE evidence_key IN (SELECT key FROM k)
      ORDER BY evidence_key, level DESC, feed),
    d AS (SELECT evidence_key AS key, level, decided_at FROM decisions WHERE evidence_key IN (SELECT key FROM k)),
    p AS (
      SELECT evidence_key AS key, CASE WHEN compromised_at IS NULL THEN 1 ELSE 2 END AS protection, compromised_at
      FROM protected_entities WHERE evidence_key IN (SELECT key FROM k)),
    merged AS (
      SELECT k.key, coalesce(r.report_count, 0) AS report_count,
        least(r.first_report, f.first_listed) AS first_seen, greatest(r.last_report, f.last_listed) AS last_seen,
        r.last_report, coalesce(r.scam_types, 0) AS scam_types, coalesce(f.level, 0)::smallint AS feed_level, f.feed AS feed_name,
        coalesce(d.level, 0)::smallint AS decision, coalesce(d.decided_at, p.compromised_at) AS decided_at,
        coalesce(p.protection, 0)::smallint AS protection
      FROM k LEFT JOIN r USING (key) LEFT JOIN f USING (key) LEFT JOIN d USING (key) LEFT JOIN p USING (key)),
    upserted AS (
      INSERT INTO evidence AS e (key, report_count, first_seen, last_seen, last_report, scam_types, feed_level, feed_name, decision, decided_at, protection)
      SELECT * FROM merged WHERE report_count > 0 OR feed_level > 0 OR decision > 0 OR protection > 0
      ON CONFLICT (key) DO UPDATE SET report_count = excluded.report_count, first_seen = excluded.first_seen,
        last_seen = excluded.last_seen, last_report = excluded.last_report, scam_types = excluded.scam_types,
        feed_level = excluded.feed_level, feed_name = excluded.feed_name, decision = excluded.decision,
        decided_at = excluded.decided_at, protection = excluded.protection
      WHERE (e.report_count, e.first_seen, e.last_seen, e.last_report, e.scam_types, e.feed_level, e.feed_name, e.decision, e.decided_at, e.protection)
        IS DISTINCT FROM (excluded.report_count, excluded.first_seen, excluded.last_seen, excluded.last_report, excluded.scam_types,
          excluded.feed_level, excluded.feed_name, excluded.decision, excluded.decided_at, excluded.protection)
      RETURNING e.key),
    removed AS (
      DELETE FROM evidence e USING merged m
      WHERE e.key = m.key AND m.report_count = 0 AND m.feed_level = 0 AND m.decision = 0 AND m.protection = 0
      RETURNING e.key)
    INSERT INTO evidence_changes (key)
    SELECT key FROM upserted UNION ALL SELECT key FROM removed
    RETURNING seq`.execute(trx);
  return result.rows.length;
}

/** What one new, non-duplicate report adds to one entry. */
export interface ReportEvidence {
  entry: string;
  fingerprint: Buffer;
  receivedAt: Date;
  scamType: string;
  /** Whether this reporter's fingerprint can recur (see NewReport.mayRepeat). */
  mayRepeat: boolean;
}

const pairKey = (entry: string, fingerprint: Buffer): string => `${entry}\0${fingerprint.toString('latin1')}`;

/**
 * Records the (entry, reporter) pairs of reporters who may report again, and gives those not recorded
 * before. A reporter fingerprinted by an imported report's own id is new by construction and not recorded.
 */
async function newRecurringPairs(trx: Transaction<Database>, rows: readonly ReportEvidence[]): Promise<Set<string>> {
  const pairs = new Map<string, ReportEvidence>();
  for (const r of rows) if (r.mayRepeat) pairs.set(pairKey(r.entry, r.fingerprint), r);
  const fresh = new Set<string>();
  if (pairs.size === 0) return fresh;
  const recurring = [...pairs.values()];
  const inserted = await sql<{ evidence_key: string; fingerprint: Buffer }>`
    INSERT INTO evidence_reporters (evidence_key, fingerprint)
    SELECT * FROM unnest(${recurring.map((r) => r.entry)}::text[], ${recurring.map((r) => r.fingerprint)}::bytea[])
    ON CONFLICT DO NOTHING
    RETURNING evidence_key, fingerprint`.execute(trx);
  for (const row of inserted.rows) fresh.add(pairKey(row.evidence_key, row.fingerprint));
  return fresh;
}

/**
 * Adds new reports' evidence incrementally: a reporter not yet counted for an entry raises its count, and
 * first/last seen and scam types widen. Gives the same evidence as refreshEvidence (reports only ever add to
 * it) at a cost that does not grow with how many reports an entry already has. Appends change-log rows.
 */
export async function addReportEvidence(trx: Transaction<Database>, rows: readonly ReportEvidence[]): Promise<number> {
  if (rows.length === 0) return 0;
  await lockChangeLog(trx);
  const freshRecurring = await newRecurringPairs(trx, rows);
  // Aggregated here rather than in SQL: one row per entry crosses the wire.
  const perEntry = new Map<string, { first: Date; last: Date; bits: number; reporters: number }>();
  const counted = new Set<string>();
  for (const r of rows) {
    const pair = pairKey(r.entry, r.fingerprint);
    const isNew = !counted.has(pair) && (!r.mayRepeat || freshRecurring.has(pair));
    counted.add(pair);
    const bit = scamTypeBit(r.scamType);
    const e = perEntry.get(r.entry);
    if (e === undefined) perEntry.set(r.entry, { first: r.receivedAt, last: r.receivedAt, bits: bit, reporters: isNew ? 1 : 0 });
    else {
      if (r.receivedAt < e.first) e.first = r.receivedAt;
      if (r.receivedAt > e.last) e.last = r.receivedAt;
      e.bits |= bit;
      if (isNew) e.reporters++;
    }
  }
  const entries = [...perEntry.keys()];
  const a = [...perEntry.values()];
  const result = await sql<{ seq: number }>`
    WITH upserted AS (
      INSERT INTO evidence AS e (key, report_count, first_seen, last_seen, last_report, scam_types, feed_level, feed_name, decision, decided_at, protection)
      SELECT key, reporters, first_report, last_report, last_report, scam_types, 0, NULL, 0, NULL, 0
      FROM unnest(${entries}::text[], ${a.map((x) => x.reporters)}::int[], ${a.map((x) => x.first)}::timestamptz[],
        ${a.map((x) => x.last)}::timestamptz[], ${a.map((x) => x.bits)}::int[]) AS b(key, reporters, first_report, last_report, scam_types)
      ON CONFLICT (key) DO UPDATE SET report_count = e.report_count + excluded.report_count,
        first_seen = least(e.first_seen, excluded.first_seen), last_seen = greatest(e.last_seen, excluded.last_seen),
        last_report = greatest(e.last_report, excluded.last_report), scam_types = e.scam_types | excluded.scam_types
      WHERE excluded.report_count > 0 OR e.first_seen IS DISTINCT FROM least(e.first_seen, excluded.first_seen)
        OR e.last_report IS DISTINCT FROM greatest(e.last_report, excluded.last_report) OR e.scam_types <> (e.scam_types | excluded.scam_types)
      RETURNING e.key)
    INSERT INTO evidence_changes (key) SELECT key FROM upserted RETURNING seq`.execute(trx);
  return result.rows.length;
}

export interface Change {
  seq: number;
  entry: string;
  /** The entry's evidence now; null when it has none left. */
  evidence: Evidence | null;
}

/** Change-log rows after `seq`, with each entry's current evidence. */
export async function changesSince(db: Db, seq: number, limit: number): Promise<Change[]> {
  const rows = await db
    .selectFrom('evidence_changes as c')
    .leftJoin('evidence as e', 'e.key', 'c.key')
    .select(['c.seq', 'c.key as entry'])
    .select(['e.key', 'e.report_count', 'e.first_seen', 'e.last_seen', 'e.last_report', 'e.scam_types', 'e.feed_level', 'e.feed_name', 'e.decision', 'e.decided_at', 'e.protection'])
    .where('c.seq', '>', seq)
    .orderBy('c.seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    seq: row.seq,
    entry: row.entry,
    evidence: row.key === null ? null : evidenceFromRow(row as Selectable<EvidenceTable>),
  }));
}

export async function lastChangeSeq(db: Db): Promise<number> {
  const row = await db.selectFrom('evidence_changes').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

const EVIDENCE_COLUMNS = `key, report_count, floor(extract(epoch FROM first_seen))::bigint, floor(extract(epoch FROM last_seen))::bigint,
  floor(extract(epoch FROM last_report))::bigint, scam_types, feed_level, feed_name, decision, floor(extract(epoch FROM decided_at))::bigint, protection`;

/** A field of COPY text format: `\N` is NULL; backslash escapes are undone. */
function copyField(field: string): string | null {
  if (field === '\\N') return null;
  if (!field.includes('\\')) return field;
  return field.replace(/\\(.)/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c));
}

const copyNumber = (field: string | undefined): number | null => (field === undefined || field === '\\N' ? null : Number(field));

/** Evidence rows from COPY text: one line per entry, columns as EVIDENCE_COLUMNS. */
export function evidenceFromCopy(text: string): Evidence[] {
  const out: Evidence[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const f = line.split('\t');
    out.push({
      entry: copyField(f[0] as string) as string,
      reportCount: Number(f[1]),
      firstSeen: copyNumber(f[2]),
      lastSeen: copyNumber(f[3]),
      lastReport: copyNumber(f[4]),
      scamTypes: Number(f[5]),
      feedLevel: Number(f[6]) as Evidence['feedLevel'],
      feedName: copyField(f[7] as string),
      decision: Number(f[8]) as Evidence['decision'],
      decidedAt: copyNumber(f[9]),
      protection: Number(f[10]) as Evidence['protection'],
    });
  }
  return out;
}

/**
 * Every entry's evidence, a page at a time in key order (for loading the lookup index). With `copyOut`
 * (the embedded database) pages come through COPY, which is several times faster there.
 */
export async function* allEvidence(db: Db, copyOut: ((select: string) => Promise<string>) | null = null, pageSize = 200_000): AsyncGenerator<Evidence[]> {
  if (copyOut !== null) {
    for (let offset = 0; ; offset += pageSize) {
      // Keyset pages would need the last key quoted into the statement; the table is not written during a load.
      const page = evidenceFromCopy(await copyOut(`SELECT ${EVIDENCE_COLUMNS} FROM evidence ORDER BY key LIMIT ${pageSize} OFFSET ${offset}`));
      if (page.length === 0) return;
      yield page;
      if (page.length < pageSize) return;
    }
  }
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('evidence').selectAll().where('key', '>', after).orderBy('key').limit(pageSize).execute();
    if (rows.length === 0) return;
    yield rows.map(evidenceFromRow);
    after = (rows[rows.length - 1] as Selectable<EvidenceTable>).key;
  }
}

export async function evidenceOf(db: Db, entry: string): Promise<Evidence | null> {
  const row = await db.selectFrom('evidence').selectAll().where('key', '=', entry).executeTakeFirst();
  return row === undefined ? null : evidenceFromRow(row);
}
