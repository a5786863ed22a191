import { sql, type Kysely, type Transaction } from 'kysely';
import type { VerdictPolicy } from '../../config.js';
import type { Database } from '../../storage/schema.js';
import { SCAM_TYPE_CODES, scamTypeBit } from '../reports/taxonomy.js';
import type { EvidenceMemo } from './evidence-memo.js';
import { entryKind } from './evidence-keys.js';
import { lastChangeSeq } from './verdict-log.repository.js';
import { entryLevel, nextChangeAt } from './verdict.engine.js';
import { LEVEL_CODE, type Evidence } from './verdict.types.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Serializes appends to the change log, so that sequence order is commit order and no follower skips a row. */
const CHANGE_LOG_LOCK = 7_261_001;

/** What an entry's public level is judged by: the deployment's policy and the time of the write (epoch seconds). */
export interface JudgeContext {
  policy: VerdictPolicy;
  now: number;
}

/** Outcomes after which a closed report no longer counts as evidence (outcomes flow back: its values lose what it gave them). */
export const UNCOUNTED_OUTCOMES: readonly string[] = ['not_a_scam', 'duplicate'];

/** A report (the reports table as `alias`) counts unless it repeats an earlier one or was closed with an uncounted outcome. */
export const countedReport = (alias: string) =>
  sql`${sql.ref(`${alias}.duplicate_of`)} IS NULL AND coalesce(${sql.ref(`${alias}.outcome`)}, '') <> ALL(${UNCOUNTED_OUTCOMES as string[]}::text[])`;

const COUNTED_REPORT = countedReport('rp');

/**
 * Takes the change-log lock for the rest of the transaction. Report writers take it first thing, so that two
 * reports from one reporter stored at once cannot both find the reporter new to an entry and count twice.
 * Lock order: the change log before the audit log (appendAudit's lock), in every transaction that takes both,
 * or two officers' actions can deadlock on PostgreSQL.
 */
export async function lockChangeLog(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${CHANGE_LOG_LOCK})`.execute(trx);
}

/** An entry's evidence as stored, with its logged level and when time may next change it. Times in epoch seconds. */
export interface StoredEvidence extends Evidence {
  protectedName: string | null;
  level: number;
  nextChangeAt: number | null;
}

/** The evidence columns, times as epoch seconds (fractions kept, so a rewrite changes nothing). */
const EVIDENCE_SELECT = (t: string) =>
  sql.raw(`${t}.key, ${t}.report_count, ${t}.source_count, extract(epoch FROM ${t}.first_seen)::float8 AS first_seen,
  extract(epoch FROM ${t}.last_seen)::float8 AS last_seen, extract(epoch FROM ${t}.last_report)::float8 AS last_report, ${t}.scam_types,
  ${t}.feed_level, ${t}.feed_name, extract(epoch FROM ${t}.feed_listed_at)::float8 AS feed_listed_at, extract(epoch FROM ${t}.feed_until)::float8 AS feed_until,
  ${t}.decision, extract(epoch FROM ${t}.decided_at)::float8 AS decided_at, ${t}.protection, ${t}.protected_name, ${t}.level,
  extract(epoch FROM ${t}.next_change_at)::float8 AS next_change_at`);

interface EvidenceRowJson {
  key: string;
  report_count: number;
  source_count: number;
  first_seen: number | null;
  last_seen: number | null;
  last_report: number | null;
  scam_types: number;
  feed_level: number;
  feed_name: string | null;
  feed_listed_at: number | null;
  feed_until: number | null;
  decision: number;
  decided_at: number | null;
  protection: number;
  protected_name: string | null;
  level: number;
  next_change_at: number | null;
}

function storedFromRow(r: EvidenceRowJson): StoredEvidence {
  return {
    entry: r.key,
    reportCount: r.report_count,
    sourceCount: r.source_count,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    lastReport: r.last_report,
    scamTypes: r.scam_types,
    feedLevel: r.feed_level as Evidence['feedLevel'],
    feedName: r.feed_name,
    feedListedAt: r.feed_listed_at,
    feedUntil: r.feed_until,
    decision: r.decision as Evidence['decision'],
    decidedAt: r.decided_at,
    protection: r.protection as Evidence['protection'],
    protectedName: r.protected_name,
    level: r.level,
    nextChangeAt: r.next_change_at,
  };
}

const SAME_FIELDS = ['reportCount', 'sourceCount', 'firstSeen', 'lastSeen', 'lastReport', 'scamTypes', 'feedLevel', 'feedName', 'feedListedAt', 'feedUntil', 'decision', 'decidedAt', 'protection', 'protectedName'] as const;
const sameEvidence = (a: StoredEvidence, b: StoredEvidence): boolean => SAME_FIELDS.every((f) => a[f] === b[f]);
const isEmpty = (e: Evidence): boolean => e.reportCount === 0 && e.feedLevel === 0 && e.decision === 0 && e.protection === 0;

/** Judges an entry's evidence: its public level now and when time may next change it. */
function judged(e: StoredEvidence, ctx: JudgeContext): StoredEvidence {
  return { ...e, level: LEVEL_CODE[entryLevel(e, ctx.policy, ctx.now)], nextChangeAt: nextChangeAt(e, ctx.policy, ctx.now) };
}

/** One entry's new state next to its stored one (null: none stored / none left). */
interface Transition {
  before: StoredEvidence | null;
  after: StoredEvidence | null;
}

/**
 * Writes evidence transitions and their change-log rows in one statement: an entry whose evidence changed
 * gets a row (the lookup indexes follow those); when its public level changed too, the row carries the new
 * and the previous level (the verdict log partners follow). Entries whose stored state is unchanged write
 * nothing. Returns the change-log rows appended.
 */
async function writeTransitions(trx: Transaction<Database>, transitions: readonly Transition[]): Promise<number> {
  const upserts: StoredEvidence[] = [];
  const deletes: string[] = [];
  const changes: { key: string; level: number | null; previous: number | null }[] = [];
  for (const { before, after } of transitions) {
    const key = (after ?? before)?.entry;
    if (key === undefined) continue;
    const levelBefore = before?.level ?? 0;
    const levelAfter = after?.level ?? 0;
    const evidenceChanged = before === null || after === null ? before !== after : !sameEvidence(before, after);
    const levelChanged = levelBefore !== levelAfter;
    if (after === null) {
      if (before !== null) deletes.push(key);
    } else if (evidenceChanged || levelChanged || before?.nextChangeAt !== after.nextChangeAt) upserts.push(after);
    if (evidenceChanged || levelChanged) changes.push({ key, level: levelChanged ? levelAfter : null, previous: levelChanged ? levelBefore : null });
  }
  if (upserts.length === 0 && deletes.length === 0) return 0;
  const col = <T>(f: (e: StoredEvidence) => T): T[] => upserts.map(f);
  await sql`
    WITH upserted AS (
      INSERT INTO evidence AS e (key, kind, report_count, source_count, first_seen, last_seen, last_report, scam_types, feed_level, feed_name,
        feed_listed_at, feed_until, decision, decided_at, protection, protected_name, level, next_change_at)
      SELECT u.key, u.kind, u.report_count, u.source_count, to_timestamp(u.first_seen), to_timestamp(u.last_seen), to_timestamp(u.last_report),
        u.scam_types, u.feed_level, u.feed_name, to_timestamp(u.feed_listed_at), to_timestamp(u.feed_until), u.decision, to_timestamp(u.decided_at),
        u.protection, u.protected_name, u.level, to_timestamp(u.next_change_at)
      FROM unnest(${col((e) => e.entry)}::text[], ${col((e) => entryKind(e.entry))}::text[], ${col((e) => e.reportCount)}::int[], ${col((e) => e.sourceCount)}::int[],
        ${col((e) => e.firstSeen)}::float8[], ${col((e) => e.lastSeen)}::float8[], ${col((e) => e.lastReport)}::float8[], ${col((e) => e.scamTypes)}::int[],
        ${col((e) => e.feedLevel)}::smallint[], ${col((e) => e.feedName)}::text[], ${col((e) => e.feedListedAt)}::float8[], ${col((e) => e.feedUntil)}::float8[],
        ${col((e) => e.decision)}::smallint[], ${col((e) => e.decidedAt)}::float8[], ${col((e) => e.protection)}::smallint[], ${col((e) => e.protectedName)}::text[],
        ${col((e) => e.level)}::smallint[], ${col((e) => e.nextChangeAt)}::float8[])
        AS u(key, kind, report_count, source_count, first_seen, last_seen, last_report, scam_types, feed_level, feed_name, feed_listed_at, feed_until,
          decision, decided_at, protection, protected_name, level, next_change_at)
      ON CONFLICT (key) DO UPDATE SET report_count = excluded.report_count, source_count = excluded.source_count, first_seen = excluded.first_seen,
        last_seen = excluded.last_seen, last_report = excluded.last_report, scam_types = excluded.scam_types, feed_level = excluded.feed_level,
        feed_name = excluded.feed_name, feed_listed_at = excluded.feed_listed_at, feed_until = excluded.feed_until, decision = excluded.decision,
        decided_at = excluded.decided_at, protection = excluded.protection, protected_name = excluded.protected_name, level = excluded.level,
        next_change_at = excluded.next_change_at
      RETURNING 1),
    removed AS (DELETE FROM evidence WHERE key = ANY(${deletes}::text[]) RETURNING 1)
    INSERT INTO evidence_changes (key, kind, level, previous_level)
    SELECT key, kind, level, previous FROM unnest(${changes.map((c) => c.key)}::text[], ${changes.map((c) => entryKind(c.key))}::text[],
      ${changes.map((c) => c.level)}::smallint[], ${changes.map((c) => c.previous)}::smallint[]) AS c(key, kind, level, previous)`.execute(trx);
  return changes.length;
}

/**
 * Recomputes the evidence of the given entries from their sources (reports that count, feed listings not
 * expired, officer decisions, protections), judges each entry's public level, and writes what changed with
 * its change-log rows. Recomputing rather than incrementing makes every write idempotent: an interrupted
 * import re-run lands on exactly the same evidence. With `recountReporters` (a report stopped or started
 * counting) the counted (entry, reporter) pairs are rebuilt too. Must run inside the transaction that
 * changed the sources.
 */
export async function refreshEvidence(trx: Transaction<Database>, entries: readonly string[], ctx: JudgeContext, options: { recountReporters?: boolean } = {}): Promise<number> {
  if (entries.length === 0) return 0;
  await lockChangeLog(trx);
  const keys = [...new Set(entries)];
  if (options.recountReporters === true) await rebuildCountedPairs(trx, keys);
  const now = new Date(ctx.now * 1000);
  const result = await sql<EvidenceRowJson & { old: EvidenceRowJson | null }>`
    WITH k AS (SELECT unnest(${keys}::text[]) AS key),
    r AS (
      SELECT re.evidence_key AS key, count(DISTINCT rp.fingerprint)::int AS report_count, count(DISTINCT rp.independence)::int AS source_count,
        min(rp.received_at) AS first_report, max(rp.received_at) AS last_report,
        coalesce(bit_or(1 << (array_position(${SCAM_TYPE_CODES}::text[], rp.scam_type) - 1)), 0) AS scam_types
      FROM report_evidence re JOIN reports rp ON rp.id = re.report_id
      WHERE re.evidence_key IN (SELECT key FROM k) AND ${COUNTED_REPORT}
      GROUP BY re.evidence_key),
    f AS (
      SELECT DISTINCT ON (evidence_key) evidence_key AS key, level, feed, listed_at, expires_at,
        min(coalesce(first_seen, listed_at)) OVER w AS first_listed, max(coalesce(last_seen, first_seen, listed_at)) OVER w AS last_listed
      FROM feed_entries
      WHERE evidence_key IN (SELECT key FROM k) AND (expires_at IS NULL OR expires_at > ${now})
      WINDOW w AS (PARTITION BY evidence_key)
      ORDER BY evidence_key, level DESC, expires_at DESC NULLS FIRST, feed),
    d AS (SELECT evidence_key AS key, level, decided_at FROM decisions WHERE evidence_key IN (SELECT key FROM k)),
    p AS (
      SELECT evidence_key AS key, CASE WHEN compromised_at IS NULL THEN 1 ELSE 2 END AS protection, compromised_at, name
      FROM protected_entities WHERE evidence_key IN (SELECT key FROM k)),
    merged AS (
      SELECT k.key, coalesce(r.report_count, 0) AS report_count, coalesce(r.source_count, 0) AS source_count,
        least(r.first_report, f.first_listed) AS first_seen, greatest(r.last_report, f.last_listed) AS last_seen,
        r.last_report, coalesce(r.scam_types, 0) AS scam_types, coalesce(f.level, 0)::smallint AS feed_level, f.feed AS feed_name,
        f.listed_at AS feed_listed_at, f.expires_at AS feed_until,
        coalesce(d.level, 0)::smallint AS decision, coalesce(d.decided_at, p.compromised_at) AS decided_at,
        coalesce(p.protection, 0)::smallint AS protection, p.name AS protected_name, 0 AS level, NULL::timestamptz AS next_change_at
      FROM k LEFT JOIN r USING (key) LEFT JOIN f USING (key) LEFT JOIN d USING (key) LEFT JOIN p USING (key))
    SELECT ${EVIDENCE_SELECT('m')}, (SELECT row_to_json(o) FROM (SELECT ${EVIDENCE_SELECT('e')} FROM evidence e WHERE e.key = m.key) o) AS old
    FROM merged m`.execute(trx);
  const transitions = result.rows.map((row): Transition => {
    const fresh = storedFromRow(row);
    return { before: row.old === null ? null : storedFromRow(row.old), after: isEmpty(fresh) ? null : judged(fresh, ctx) };
  });
  return writeTransitions(trx, transitions);
}

/** Rebuilds the counted (entry, reporter) and (entry, source) pairs of these entries from the reports that count. */
async function rebuildCountedPairs(trx: Transaction<Database>, keys: string[]): Promise<void> {
  await sql`
    WITH gone_reporters AS (DELETE FROM evidence_reporters WHERE evidence_key = ANY(${keys}::text[])),
    gone_sources AS (DELETE FROM evidence_sources WHERE evidence_key = ANY(${keys}::text[]))
    SELECT 1`.execute(trx);
  await sql`
    WITH counted AS (
      SELECT DISTINCT re.evidence_key, rp.fingerprint, rp.independence FROM report_evidence re JOIN reports rp ON rp.id = re.report_id
      WHERE re.evidence_key = ANY(${keys}::text[]) AND ${COUNTED_REPORT}),
    reporters AS (INSERT INTO evidence_reporters (evidence_key, fingerprint) SELECT DISTINCT evidence_key, fingerprint FROM counted)
    INSERT INTO evidence_sources (evidence_key, independence) SELECT DISTINCT evidence_key, independence FROM counted WHERE independence <> fingerprint`.execute(trx);
}

/** What one new, counted report adds to one entry. */
export interface ReportEvidence {
  entry: string;
  fingerprint: Buffer;
  /** What tells this reporter apart at a cost (see NewReport.independence). */
  independence: Buffer;
  receivedAt: Date;
  scamType: string;
  /** Whether this reporter's fingerprint can recur (see NewReport.mayRepeat). */
  mayRepeat: boolean;
}

const pairKey = (entry: string, id: Buffer): string => `${entry}\0${id.toString('latin1')}`;

/** Whether a report is its own source (an imported report): its reporter and its source are then one pair. */
const selfSourced = (r: ReportEvidence): boolean => r.independence === r.fingerprint || r.independence.equals(r.fingerprint);

/**
 * Records the (entry, reporter) pairs of reporters who may report again, and the (entry, source) pairs of
 * their sources where a source is not the reporter itself, and gives those not recorded before. A
 * self-sourced reporter's source is new exactly when the reporter is: no other report has its fingerprint as
 * its independence (public sources are keyed apart, under "independence:"), so its pair is not stored
 * twice. A reporter fingerprinted by an imported report's own id is new by construction and not recorded.
 */
async function newRecurringPairs(trx: Transaction<Database>, rows: readonly ReportEvidence[]): Promise<{ reporters: Set<string>; sources: Set<string> }> {
  const reporters = new Map<string, ReportEvidence>();
  const sources = new Map<string, ReportEvidence>();
  for (const r of rows) {
    if (!r.mayRepeat) continue;
    reporters.set(pairKey(r.entry, r.fingerprint), r);
    if (!selfSourced(r)) sources.set(pairKey(r.entry, r.independence), r);
  }
  const fresh = { reporters: new Set<string>(), sources: new Set<string>() };
  if (reporters.size === 0) return fresh;
  const rp = [...reporters.values()];
  const sc = [...sources.values()];
  const inserted = await sql<{ evidence_key: string; id: Buffer; source: boolean }>`
    WITH reporters AS (
      INSERT INTO evidence_reporters (evidence_key, fingerprint)
      SELECT * FROM unnest(${rp.map((r) => r.entry)}::text[], ${rp.map((r) => r.fingerprint)}::bytea[])
      ON CONFLICT DO NOTHING RETURNING evidence_key, fingerprint AS id, false AS source),
    sources AS (
      INSERT INTO evidence_sources (evidence_key, independence)
      SELECT * FROM unnest(${sc.map((r) => r.entry)}::text[], ${sc.map((r) => r.independence)}::bytea[])
      ON CONFLICT DO NOTHING RETURNING evidence_key, independence AS id, true AS source)
    SELECT * FROM reporters UNION ALL SELECT * FROM sources`.execute(trx);
  for (const row of inserted.rows) (row.source ? fresh.sources : fresh.reporters).add(pairKey(row.evidence_key, row.id));
  return fresh;
}

/**
 * Adds new reports' evidence incrementally: a reporter (or source) not yet counted for an entry raises its
 * count, and first/last seen and scam types widen. Gives the same evidence as refreshEvidence (new reports
 * only ever add to it) at a cost that does not grow with how many reports an entry already has; then judges
 * the entries it changed and writes their levels and change-log rows.
 */
export async function addReportEvidence(trx: Transaction<Database>, rows: readonly ReportEvidence[], ctx: JudgeContext, memo?: EvidenceMemo): Promise<number> {
  if (rows.length === 0) return 0;
  await lockChangeLog(trx);
  const lastSeq = memo === undefined ? 0 : await lastChangeSeq(trx);
  const remembered = memo?.validAt(lastSeq) ?? new Map<string, StoredEvidence>();
  const fresh = await newRecurringPairs(trx, rows);
  // Aggregated here rather than in SQL: one row per entry crosses the wire.
  const perEntry = new Map<string, { first: Date; last: Date; bits: number; reporters: number; sources: number }>();
  const countedReporters = new Set<string>();
  const countedSources = new Set<string>();
  for (const r of rows) {
    // A reporter fingerprinted by its report's own id is its own source and new to each of the report's
    // entries, which are distinct: no key needed. The others are new unless counted before or in this batch.
    let newReporter = true;
    let newSource = true;
    if (r.mayRepeat) {
      const reporter = pairKey(r.entry, r.fingerprint);
      // An imported report's source is its reporter: one key for both.
      const self = selfSourced(r);
      const source = self ? reporter : pairKey(r.entry, r.independence);
      newReporter = !countedReporters.has(reporter) && fresh.reporters.has(reporter);
      newSource = !countedSources.has(source) && (self ? fresh.reporters : fresh.sources).has(source);
      countedReporters.add(reporter);
      countedSources.add(source);
    }
    const bit = scamTypeBit(r.scamType);
    const e = perEntry.get(r.entry);
    if (e === undefined) perEntry.set(r.entry, { first: r.receivedAt, last: r.receivedAt, bits: bit, reporters: newReporter ? 1 : 0, sources: newSource ? 1 : 0 });
    else {
      if (r.receivedAt < e.first) e.first = r.receivedAt;
      if (r.receivedAt > e.last) e.last = r.receivedAt;
      e.bits |= bit;
      if (newReporter) e.reporters++;
      if (newSource) e.sources++;
    }
  }
  // Read (or remembered from this importer's batch before), merged here and written once with its level:
  // each entry's row is written one time, not upserted and then updated with its level (under the
  // change-log lock nothing changes in between).
  const unknown = [...perEntry.keys()].filter((entry) => !remembered.has(entry));
  const stored = new Map((await storedEvidence(trx, unknown)).map((e) => [e.entry, e]));
  const transitions = [...perEntry].map(([entry, added]) => {
    const before = remembered.get(entry) ?? stored.get(entry) ?? null;
    return { before, after: withReports(entry, before, added, ctx) };
  });
  const written = await writeReportAdditions(trx, transitions);
  memo?.stage(transitions.map((t) => t.after), written.lastSeq ?? lastSeq);
  return written.changes;
}

/**
 * Writes what new reports did to their entries, with the change-log rows: writeTransitions' work for the
 * one case an import repeats ten thousand times a batch. Reports change only the report columns, so those
 * alone are sent: shipping and parsing writeTransitions' 22 parameter arrays took about as long as the
 * write itself. An entry not stored before is inserted outright (no speculative insertion): nothing else
 * writes evidence while the change-log lock is held.
 */
async function writeReportAdditions(trx: Transaction<Database>, transitions: readonly { before: StoredEvidence | null; after: StoredEvidence }[]): Promise<{ changes: number; lastSeq: number | null }> {
  const created: StoredEvidence[] = [];
  const updated: { after: StoredEvidence; previous: number; logged: boolean }[] = [];
  for (const { before, after } of transitions) {
    if (before === null) created.push(after);
    else {
      const logged = !sameEvidence(before, after) || before.level !== after.level;
      if (logged || before.nextChangeAt !== after.nextChangeAt) updated.push({ after, previous: before.level, logged });
    }
  }
  if (created.length === 0 && updated.length === 0) return { changes: 0, lastSeq: null };
  const c = <T>(f: (e: StoredEvidence) => T): T[] => created.map(f);
  const u = <T>(f: (e: StoredEvidence) => T): T[] => updated.map((x) => f(x.after));
  const result = await sql<{ changes: number; last_seq: string | null }>`
    WITH inserted AS (
      INSERT INTO evidence (key, kind, report_count, source_count, first_seen, last_seen, last_report, scam_types, feed_level, decision, protection, level, next_change_at)
      SELECT key, kind, report_count, source_count, to_timestamp(first_seen), to_timestamp(last_seen), to_timestamp(last_report), scam_types, 0, 0, 0, level, to_timestamp(next_change_at)
      FROM unnest(${c((e) => e.entry)}::text[], ${c((e) => entryKind(e.entry))}::text[], ${c((e) => e.reportCount)}::int[], ${c((e) => e.sourceCount)}::int[],
        ${c((e) => e.firstSeen)}::float8[], ${c((e) => e.lastSeen)}::float8[], ${c((e) => e.lastReport)}::float8[], ${c((e) => e.scamTypes)}::int[],
        ${c((e) => e.level)}::smallint[], ${c((e) => e.nextChangeAt)}::float8[])
        AS n(key, kind, report_count, source_count, first_seen, last_seen, last_report, scam_types, level, next_change_at)
      RETURNING key, kind, level, 0::smallint AS previous),
    changed AS (
      UPDATE evidence e SET report_count = x.report_count, source_count = x.source_count, first_seen = to_timestamp(x.first_seen),
        last_seen = to_timestamp(x.last_seen), last_report = to_timestamp(x.last_report), scam_types = x.scam_types, level = x.level,
        next_change_at = to_timestamp(x.next_change_at)
      FROM unnest(${u((e) => e.entry)}::text[], ${u((e) => e.reportCount)}::int[], ${u((e) => e.sourceCount)}::int[], ${u((e) => e.firstSeen)}::float8[],
        ${u((e) => e.lastSeen)}::float8[], ${u((e) => e.lastReport)}::float8[], ${u((e) => e.scamTypes)}::int[], ${u((e) => e.level)}::smallint[],
        ${u((e) => e.nextChangeAt)}::float8[], ${updated.map((x) => x.previous)}::smallint[], ${updated.map((x) => x.logged)}::boolean[])
        AS x(key, report_count, source_count, first_seen, last_seen, last_report, scam_types, level, next_change_at, previous, logged)
      WHERE e.key = x.key
      RETURNING e.key, e.kind, e.level, x.previous, x.logged),
    logged AS (
      INSERT INTO evidence_changes (key, kind, level, previous_level)
      SELECT key, kind, CASE WHEN level <> previous THEN level END, CASE WHEN level <> previous THEN previous END
      FROM (SELECT key, kind, level, previous FROM inserted UNION ALL SELECT key, kind, level, previous FROM changed WHERE logged) AS l
      RETURNING seq)
    SELECT count(*)::int AS changes, max(seq) AS last_seq FROM logged`.execute(trx);
  const row = result.rows[0];
  return { changes: row?.changes ?? 0, lastSeq: row?.last_seq == null ? null : Number(row.last_seq) };
}

const earliest = (a: number | null, b: number): number => (a === null || b < a ? b : a);
const latest = (a: number | null, b: number): number => (a === null || b > a ? b : a);

/**
 * An entry's evidence (none: `before` null) with new reports added and judged: counts raised by the
 * reporters and sources they newly count, dates and types widened. Built as one object: an import makes
 * tens of thousands a batch.
 *
 * New reports only push an entry's lapse later, so a time the verdict clock has stored that is earlier
 * stays: the clock then wakes early, recomputes the entry, changes no level and stores the later time.
 * That spares a write of the indexed next_change_at on every report (updates of unindexed columns are
 * HOT on PostgreSQL), at the cost of one early re-judging per entry and lapse period.
 */
function withReports(entry: string, before: StoredEvidence | null, added: { first: Date; last: Date; bits: number; reporters: number; sources: number }, ctx: JudgeContext): StoredEvidence {
  const first = added.first.getTime() / 1000;
  const last = added.last.getTime() / 1000;
  const e = before ?? noEvidence(entry);
  const after: StoredEvidence = {
    entry,
    reportCount: e.reportCount + added.reporters,
    sourceCount: e.sourceCount + added.sources,
    firstSeen: earliest(e.firstSeen, first),
    lastSeen: latest(e.lastSeen, last),
    lastReport: latest(e.lastReport, last),
    scamTypes: e.scamTypes | added.bits,
    feedLevel: e.feedLevel,
    feedName: e.feedName,
    feedListedAt: e.feedListedAt,
    feedUntil: e.feedUntil,
    decision: e.decision,
    decidedAt: e.decidedAt,
    protection: e.protection,
    protectedName: e.protectedName,
    level: 0,
    nextChangeAt: null,
  };
  after.level = LEVEL_CODE[entryLevel(after, ctx.policy, ctx.now)];
  const next = nextChangeAt(after, ctx.policy, ctx.now);
  const kept = before?.nextChangeAt ?? null;
  after.nextChangeAt = kept !== null && (next === null || kept < next) ? kept : next;
  return after;
}

/** An entry with no evidence yet. */
const noEvidence = (entry: string): StoredEvidence => ({
  entry, reportCount: 0, sourceCount: 0, firstSeen: null, lastSeen: null, lastReport: null, scamTypes: 0, feedLevel: 0, feedName: null,
  feedListedAt: null, feedUntil: null, decision: 0, decidedAt: null, protection: 0, protectedName: null, level: 0, nextChangeAt: null,
});

/** Stored evidence of these entries (for re-judging them against a new policy or a later time). */
export async function storedEvidence(db: Db, entries: readonly string[]): Promise<StoredEvidence[]> {
  if (entries.length === 0) return [];
  const result = await sql<EvidenceRowJson>`SELECT ${EVIDENCE_SELECT('e')} FROM evidence e WHERE e.key = ANY(${entries as string[]}::text[])`.execute(db);
  return result.rows.map(storedFromRow);
}

/**
 * Re-judges stored entries without recomputing their evidence (a new policy), writing the levels that
 * moved. Runs under the change-log lock.
 */
export async function rejudgeEvidence(trx: Transaction<Database>, entries: readonly string[], ctx: JudgeContext): Promise<number> {
  await lockChangeLog(trx);
  const stored = await storedEvidence(trx, entries);
  return writeTransitions(trx, stored.map((before) => ({ before, after: judged(before, ctx) })));
}
