import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { addReportEvidence, lockChangeLog, type JudgeContext, type ReportEvidence } from '../verdicts/verdicts.repository.js';
import { correlateReports } from '../clusters/clusters.repository.js';
import type { EvidenceMemo } from '../verdicts/evidence-memo.js';
import type { ReportIndicator } from './report.intake.js';

/** A report ready to store: validated, normalized, fingerprinted. */
export interface NewReport {
  reference: string;
  source: string;
  externalId: string | null;
  statusTokenHash: Buffer | null;
  fingerprint: Buffer;
  /**
   * Keyed hash of the costly signal that tells this reporter apart from others (a network block, an
   * institution's reporter id; docs/poisoning.md): reports sharing it count as one independent source.
   */
  independence: Buffer;
  contentHash: Buffer;
  receivedAt: Date;
  occurredAt: Date | null;
  channel: string;
  scamType: string;
  narrative: string;
  lossAmount: string | null;
  lossCurrency: string | null;
  indicators: ReportIndicator[];
  entries: string[];
  contact: { nonce: Buffer; ciphertext: Buffer } | null;
  /**
   * Whether the fingerprint may recur (a public reporter, an import with reporter ids): only then can the
   * report repeat an earlier one. An imported report fingerprinted by its own external id cannot.
   */
  mayRepeat: boolean;
}

export interface StoreResult {
  /** Reports newly stored (a report already stored from the same source and external id is skipped). */
  inserted: number;
  /** Of those, how many repeat an earlier report of the same reporter and were linked to it. */
  duplicates: number;
  /** Ids of the stored reports by reference. */
  ids: Map<string, number>;
  /** Change-log rows appended. */
  changes: number;
}

const pairOf = (fingerprint: Buffer, contentHash: Buffer): string => fingerprint.toString('hex') + contentHash.toString('hex');
const pairKey = (r: NewReport): string => pairOf(r.fingerprint, r.contentHash);

/**
 * The earliest stored report with each of these reports' (fingerprint, content) pairs, by pair; with
 * `originalsOnly`, only among reports that are not themselves repeats.
 */
async function storedByPair(trx: Transaction<Database>, reports: NewReport[], originalsOnly: boolean): Promise<Map<string, number>> {
  const byPair = new Map<string, number>();
  if (reports.length === 0) return byPair;
  const found = await sql<{ id: number; fingerprint: Buffer; content_hash: Buffer }>`
    SELECT DISTINCT ON (fingerprint, content_hash) id, fingerprint, content_hash FROM reports
    WHERE (fingerprint, content_hash) IN (SELECT * FROM unnest(${reports.map((r) => r.fingerprint)}::bytea[], ${reports.map((r) => r.contentHash)}::bytea[]))
      AND (duplicate_of IS NULL OR NOT ${originalsOnly})
    ORDER BY fingerprint, content_hash, id`.execute(trx);
  for (const row of found.rows) byPair.set(pairOf(row.fingerprint, row.content_hash), row.id);
  return byPair;
}

async function insertRows(trx: Transaction<Database>, rows: NewReport[], duplicateOf: (r: NewReport) => number | null, conflictFree: boolean): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (rows.length === 0) return ids;
  const col = <T>(f: (r: NewReport) => T): T[] => rows.map(f);
  const result = await sql<{ id: number; reference: string }>`
    INSERT INTO reports (reference, source, external_id, status_token_hash, fingerprint, independence, content_hash, duplicate_of,
      received_at, occurred_at, channel, scam_type, narrative, loss_amount, loss_currency)
    SELECT * FROM unnest(${col((r) => r.reference)}::text[], ${col((r) => r.source)}::text[], ${col((r) => r.externalId)}::text[],
      ${col((r) => r.statusTokenHash)}::bytea[], ${col((r) => r.fingerprint)}::bytea[], ${col((r) => r.independence)}::bytea[], ${col((r) => r.contentHash)}::bytea[],
      ${col(duplicateOf)}::bigint[], ${col((r) => r.receivedAt)}::timestamptz[], ${col((r) => r.occurredAt)}::timestamptz[],
      ${col((r) => r.channel)}::text[], ${col((r) => r.scamType)}::text[], ${col((r) => r.narrative)}::text[],
      ${col((r) => r.lossAmount)}::numeric[], ${col((r) => r.lossCurrency)}::text[])
    ${conflictFree ? sql`` : sql`ON CONFLICT (source, external_id) DO NOTHING`}
    RETURNING id, reference`.execute(trx);
  for (const row of result.rows) ids.set(row.reference, row.id);
  return ids;
}

/**
 * Stores reports in one transaction: the reports, their indicators, their evidence links and encrypted
 * contacts, then the recomputed evidence and change-log rows of every entry they touch, and their clusters. A report that repeats
 * an earlier one (same fingerprint and content) is stored, linked with duplicate_of, and counts nowhere.
 */
export interface StoreOptions {
  /** Put the reports into clusters (default). Off only to measure what correlation costs: clusters then need a rebuild. */
  correlate?: boolean;
  /**
   * No report of this batch can be stored already (a first import of its source): rows are inserted
   * without ON CONFLICT, whose speculative insertion cost about a fifth of the insert. If one was stored
   * after all (another importer of the same source), the insert fails with UNIQUE_VIOLATION and nothing is written.
   */
  conflictFree?: boolean;
  /** An importer's memo of the evidence it wrote (see EvidenceMemo): kept when the batch commits. */
  memo?: EvidenceMemo;
}

export async function storeReports(db: Kysely<Database>, given: NewReport[], ctx: JudgeContext, options: StoreOptions = {}): Promise<StoreResult> {
  // One report per reference: a source's external id given twice in one batch is stored once (the first).
  const seenReferences = new Set<string>();
  const reports = given.filter((r) => !seenReferences.has(r.reference) && seenReferences.add(r.reference));
  try {
    const result = await storeInTransaction(db, reports, ctx, options);
    options.memo?.commit();
    return result;
  } catch (error) {
    options.memo?.discard();
    throw error;
  }
}

function storeInTransaction(db: Kysely<Database>, reports: NewReport[], ctx: JudgeContext, options: StoreOptions): Promise<StoreResult> {
  return db.transaction().execute((trx) => storeReportsIn(trx, reports, ctx, options));
}

/** storeReports inside a transaction the caller holds (a forwarded message stores its report with its own rows). */
export async function storeReportsIn(trx: Transaction<Database>, reports: NewReport[], ctx: JudgeContext, options: StoreOptions = {}): Promise<StoreResult> {
  await lockChangeLog(trx);
  const earlier = await storedByPair(trx, reports.filter((r) => r.mayRepeat), true);
  // Originals first (their ids are needed), then repeats within this batch, linked to them.
  const firsts: NewReport[] = [];
  const repeats: NewReport[] = [];
  const seen = new Set<string>();
  for (const r of reports) {
    const k = pairKey(r);
    if (earlier.has(k) || seen.has(k)) repeats.push(r);
    else {
      seen.add(k);
      firsts.push(r);
    }
  }
  const ids = await insertRows(trx, firsts, () => null, options.conflictFree === true);
  const byPair = new Map<string, number>(earlier);
  for (const r of firsts) {
    const id = ids.get(r.reference);
    if (id !== undefined && !byPair.has(pairKey(r))) byPair.set(pairKey(r), id);
  }
  // A repeat of a first that was itself skipped (already stored by an earlier run) finds it in the database.
  const missing = repeats.filter((r) => !byPair.has(pairKey(r)));
  for (const [pair, id] of await storedByPair(trx, missing, false)) byPair.set(pair, id);
  const repeatIds = await insertRows(trx, repeats, (r) => byPair.get(pairKey(r)) ?? null, options.conflictFree === true);
  for (const [reference, id] of repeatIds) ids.set(reference, id);

  const stored = reports.filter((r) => ids.has(r.reference));
  const repeated = new Set(repeats.map((r) => r.reference));
  const links: { id: number; i: ReportIndicator }[] = [];
  const evidence: { id: number; entry: string }[] = [];
  const counted: ReportEvidence[] = [];
  for (const r of stored) {
    const id = ids.get(r.reference) as number;
    for (const i of r.indicators) links.push({ id, i });
    for (const entry of r.entries) {
      evidence.push({ id, entry });
      // A repeat is linked to its evidence (for clusters) but counts nowhere.
      if (!repeated.has(r.reference)) counted.push({ entry, fingerprint: r.fingerprint, independence: r.independence, receivedAt: r.receivedAt, scamType: r.scamType, mayRepeat: r.mayRepeat });
    }
  }
  if (links.length > 0 || evidence.length > 0) {
    // One statement, one round trip, for both link tables.
    await sql`
      WITH indicator_links AS (
        INSERT INTO report_indicators (report_id, key, kind, canonical, role, extracted)
        SELECT * FROM unnest(${links.map((l) => l.id)}::bigint[], ${links.map((l) => l.i.key)}::text[], ${links.map((l) => l.i.kind)}::text[],
          ${links.map((l) => l.i.canonical)}::text[], ${links.map((l) => l.i.role)}::text[], ${links.map((l) => l.i.extracted)}::boolean[]))
      INSERT INTO report_evidence (evidence_key, report_id)
      SELECT * FROM unnest(${evidence.map((e) => e.entry)}::text[], ${evidence.map((e) => e.id)}::bigint[])`.execute(trx);
  }
  const contacts = stored.filter((r) => r.contact !== null);
  if (contacts.length > 0) {
    await trx
      .insertInto('reporter_contacts')
      .values(contacts.map((r) => ({ report_id: ids.get(r.reference) as number, nonce: r.contact!.nonce, ciphertext: r.contact!.ciphertext })))
      .execute();
  }
  const changes = await addReportEvidence(trx, counted, ctx, options.memo);
  if (options.correlate !== false) await correlateReports(trx, stored.map((r) => ({ id: ids.get(r.reference) as number, keys: r.indicators.map((i) => i.key) })));
  return { inserted: stored.length, duplicates: repeats.filter((r) => repeatIds.has(r.reference)).length, ids, changes };
}

export interface ReportStatusRow {
  reference: string;
  status: string;
  outcome: string | null;
  statusTokenHash: Buffer | null;
  receivedAt: Date;
  statusChangedAt: Date;
}

export async function findReportStatus(db: Kysely<Database>, reference: string): Promise<ReportStatusRow | null> {
  const row = await db
    .selectFrom('reports')
    .select(['reference', 'status', 'outcome', 'status_token_hash', 'received_at', 'status_changed_at'])
    .where('reference', '=', reference)
    .executeTakeFirst();
  return row === undefined
    ? null
    : { reference: row.reference, status: row.status, outcome: row.outcome, statusTokenHash: row.status_token_hash, receivedAt: row.received_at, statusChangedAt: row.status_changed_at };
}

export interface ReportDetailRow {
  id: number;
  reference: string;
  source: string;
  externalId: string | null;
  duplicateOf: string | null;
  receivedAt: Date;
  occurredAt: Date | null;
  channel: string;
  scamType: string;
  narrative: string;
  loss: { amount: string; currency: string } | null;
  status: string;
  hasContact: boolean;
  indicators: { key: string; kind: string; canonical: string; role: string | null; extracted: boolean }[];
}

/** A report as officers see it: no fingerprint, no token hash, and the contact only as "given or not". */
export async function findReportDetail(db: Kysely<Database>, reference: string): Promise<ReportDetailRow | null> {
  const row = await db
    .selectFrom('reports as r')
    .leftJoin('reports as d', 'd.id', 'r.duplicate_of')
    .leftJoin('reporter_contacts as c', 'c.report_id', 'r.id')
    .select(['r.id', 'r.reference', 'r.source', 'r.external_id', 'd.reference as duplicate_of', 'r.received_at', 'r.occurred_at', 'r.channel', 'r.scam_type', 'r.narrative', 'r.loss_amount', 'r.loss_currency', 'r.status', 'c.report_id as contact'])
    .where('r.reference', '=', reference)
    .executeTakeFirst();
  if (row === undefined) return null;
  const indicators = await db.selectFrom('report_indicators').select(['key', 'kind', 'canonical', 'role', 'extracted']).where('report_id', '=', row.id).orderBy('key').execute();
  return {
    id: row.id,
    reference: row.reference,
    source: row.source,
    externalId: row.external_id,
    duplicateOf: row.duplicate_of,
    receivedAt: row.received_at,
    occurredAt: row.occurred_at,
    channel: row.channel,
    scamType: row.scam_type,
    narrative: row.narrative,
    loss: row.loss_amount === null || row.loss_currency === null ? null : { amount: row.loss_amount, currency: row.loss_currency },
    status: row.status,
    hasContact: row.contact !== null,
    indicators,
  };
}

export async function findContact(db: Kysely<Database> | Transaction<Database>, reportId: number): Promise<{ nonce: Buffer; ciphertext: Buffer } | null> {
  const row = await db.selectFrom('reporter_contacts').select(['nonce', 'ciphertext']).where('report_id', '=', reportId).executeTakeFirst();
  return row ?? null;
}

/** Which of these external ids of a source are stored already (an import resuming). */
export async function storedExternalIds(db: Kysely<Database>, source: string, externalIds: string[]): Promise<Set<string | null>> {
  if (externalIds.length === 0) return new Set();
  const rows = await db.selectFrom('reports').select('external_id').where('source', '=', source).where('external_id', 'in', externalIds).execute();
  return new Set(rows.map((r) => r.external_id));
}

/** Whether any report of this source is stored (an import that finds none is a first run and asks nothing more). */
export async function sourceHasReports(db: Kysely<Database>, source: string): Promise<boolean> {
  return (await db.selectFrom('reports').select('id').where('source', '=', source).limit(1).executeTakeFirst()) !== undefined;
}

/** The evidence entries these reports gave (to recompute when they stop or start counting). */
export async function entriesOfReports(db: Kysely<Database> | Transaction<Database>, ids: readonly number[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await sql<{ evidence_key: string }>`SELECT DISTINCT evidence_key FROM report_evidence WHERE report_id = ANY(${ids as number[]}::bigint[])`.execute(db);
  return rows.rows.map((r) => r.evidence_key);
}
