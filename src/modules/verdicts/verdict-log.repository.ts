import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, EvidenceTable } from '../../storage/schema.js';
import { LEVEL_CODE, LEVEL_OF_CODE, type Evidence, type VerdictLevel } from './verdict.types.js';

type Db = Kysely<Database> | Transaction<Database>;

const seconds = (d: Date | null): number | null => (d === null ? null : Math.floor(d.getTime() / 1000));

export function evidenceFromRow(row: Selectable<EvidenceTable>): Evidence {
  return {
    entry: row.key,
    reportCount: row.report_count,
    sourceCount: row.source_count,
    firstSeen: seconds(row.first_seen),
    lastSeen: seconds(row.last_seen),
    lastReport: seconds(row.last_report),
    scamTypes: row.scam_types,
    feedLevel: row.feed_level as Evidence['feedLevel'],
    feedName: row.feed_name,
    feedListedAt: seconds(row.feed_listed_at),
    feedUntil: seconds(row.feed_until),
    decision: row.decision as Evidence['decision'],
    decidedAt: seconds(row.decided_at),
    protection: row.protection as Evidence['protection'],
  };
}

/** One row of the change log as the lookup index follows it: every change of an entry's evidence. */
export interface EvidenceChange {
  seq: number;
  entry: string;
  /** The entry's evidence now; null when it has none left. */
  evidence: Evidence | null;
  /** The name it is protected under now, if it is (a rename changes no level but every answer naming it). */
  protectedName: string | null;
}

/** Change-log rows after `seq`, with each entry's current evidence. */
export async function evidenceChangesSince(db: Db, seq: number, limit: number): Promise<EvidenceChange[]> {
  const rows = await db
    .selectFrom('evidence_changes as c')
    .leftJoin('evidence as e', 'e.key', 'c.key')
    .select(['c.seq', 'c.key as entry'])
    .selectAll('e')
    .where('c.seq', '>', seq)
    .orderBy('c.seq')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    seq: row.seq,
    entry: row.entry,
    evidence: row.key === null ? null : evidenceFromRow(row as Selectable<EvidenceTable>),
    protectedName: row.protected_name ?? null,
  }));
}

export async function lastChangeSeq(db: Db): Promise<number> {
  const row = await db.selectFrom('evidence_changes').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

/** Which verdicts a follower wants: kinds (`phone`, `url`, `domain`, …) and levels; either left out means all. */
export interface VerdictFilter {
  kinds?: readonly string[];
  levels?: readonly VerdictLevel[];
}

/** A change of one entry's public level. */
export interface VerdictChange {
  seq: number;
  entry: string;
  kind: string;
  level: VerdictLevel;
  previous: VerdictLevel;
  at: Date;
}

/**
 * The verdict log after `seq`: the rows where an entry's public level changed, of the kinds asked for, that
 * move it into or out of the levels asked for (a follower adds the entry when `level` is one of its levels
 * and removes it otherwise).
 */
export async function verdictChanges(db: Db, seq: number, filter: VerdictFilter, limit: number): Promise<VerdictChange[]> {
  let query = db
    .selectFrom('evidence_changes')
    .select(['seq', 'key', 'kind', 'level', 'previous_level', 'changed_at'])
    .where('seq', '>', seq)
    .where('level', 'is not', null);
  if (filter.kinds !== undefined) query = query.where('kind', 'in', filter.kinds.length === 0 ? [''] : [...filter.kinds]);
  if (filter.levels !== undefined) {
    const codes = filter.levels.length === 0 ? [-1] : filter.levels.map((l) => LEVEL_CODE[l]);
    query = query.where((eb) => eb.or([eb('level', 'in', codes), eb('previous_level', 'in', codes)]));
  }
  const rows = await query.orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({
    seq: r.seq,
    entry: r.key,
    kind: r.kind ?? '',
    level: LEVEL_OF_CODE[r.level as number] as VerdictLevel,
    previous: LEVEL_OF_CODE[r.previous_level ?? 0] as VerdictLevel,
    at: r.changed_at,
  }));
}

/** The entries at these levels now, and the sequence number they are current at (read in one snapshot). */
export async function verdictSnapshot(db: Kysely<Database>, filter: VerdictFilter): Promise<{ seq: number; entries: { entry: string; kind: string; level: VerdictLevel }[] }> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const seq = await lastChangeSeq(trx);
      let query = trx.selectFrom('evidence').select(['key', 'kind', 'level']).where('level', '>', 0);
      if (filter.kinds !== undefined) query = query.where('kind', 'in', filter.kinds.length === 0 ? [''] : [...filter.kinds]);
      if (filter.levels !== undefined) query = query.where('level', 'in', filter.levels.length === 0 ? [-1] : filter.levels.map((l) => LEVEL_CODE[l]));
      const rows = await query.orderBy('key').execute();
      return { seq, entries: rows.map((r) => ({ entry: r.key, kind: r.kind, level: LEVEL_OF_CODE[r.level] as VerdictLevel })) };
    });
}

/** Entries whose level time alone may have changed by `now` (reports lapsing, listings expiring). */
export async function dueEntries(db: Db, now: Date, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('evidence').select('key').where('next_change_at', '<=', now).orderBy('next_change_at').limit(limit).execute();
  return rows.map((r) => r.key);
}

/** Every entry's key in key order after `after`, a page at a time (re-judging everything under a new policy). */
export async function entryKeysAfter(db: Db, after: string, limit: number): Promise<string[]> {
  const rows = await db.selectFrom('evidence').select('key').where('key', '>', after).orderBy('key').limit(limit).execute();
  return rows.map((r) => r.key);
}

/** The policy the stored levels were judged by (a JSON text), or null before the first. */
export async function storedPolicy(db: Db): Promise<string | null> {
  const row = await db.selectFrom('verdict_policy').select('policy').where('id', '=', 1).executeTakeFirst();
  return row?.policy ?? null;
}

export async function savePolicy(trx: Transaction<Database>, policy: string): Promise<void> {
  await trx
    .insertInto('verdict_policy')
    .values({ id: 1, policy })
    .onConflict((oc) => oc.column('id').doUpdateSet({ policy, applied_at: new Date() }))
    .execute();
}

const EVIDENCE_COLUMNS = `key, report_count, source_count, floor(extract(epoch FROM first_seen))::bigint, floor(extract(epoch FROM last_seen))::bigint,
  floor(extract(epoch FROM last_report))::bigint, scam_types, feed_level, feed_name, floor(extract(epoch FROM feed_listed_at))::bigint,
  floor(extract(epoch FROM feed_until))::bigint, decision, floor(extract(epoch FROM decided_at))::bigint, protection`;

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
      sourceCount: Number(f[2]),
      firstSeen: copyNumber(f[3]),
      lastSeen: copyNumber(f[4]),
      lastReport: copyNumber(f[5]),
      scamTypes: Number(f[6]),
      feedLevel: Number(f[7]) as Evidence['feedLevel'],
      feedName: copyField(f[8] as string),
      feedListedAt: copyNumber(f[9]),
      feedUntil: copyNumber(f[10]),
      decision: Number(f[11]) as Evidence['decision'],
      decidedAt: copyNumber(f[12]),
      protection: Number(f[13]) as Evidence['protection'],
    });
  }
  return out;
}

/**
 * Every entry's evidence, a page at a time (for loading the lookup index). With `copyOut` (the embedded
 * database) pages come through COPY, a range of the table's blocks each (a TID range scan: no sort, no
 * index, and no OFFSET re-reading earlier pages; 1M entries loaded in 5.5 s against 14.7 s in key order).
 * A row written meanwhile may be missed or seen twice; the caller catches up from the change log after.
 * Without it, pages are in key order.
 */
export async function* allEvidence(db: Db, copyOut: ((select: string) => Promise<string>) | null = null, pageSize = 200_000, copyBlocks = 4096): AsyncGenerator<Evidence[]> {
  if (copyOut !== null) {
    const blocks = await sql<{ n: string }>`SELECT pg_relation_size('evidence') / current_setting('block_size')::bigint AS n`.execute(db);
    const total = Number(blocks.rows[0]?.n ?? 0);
    for (let from = 0; from < total; from += copyBlocks) {
      // Block numbers are integers made here, not input.
      const page = evidenceFromCopy(await copyOut(`SELECT ${EVIDENCE_COLUMNS} FROM evidence WHERE ctid >= '(${from},0)'::tid AND ctid < '(${from + copyBlocks},0)'::tid`));
      if (page.length > 0) yield page;
    }
    return;
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
