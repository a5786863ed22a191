import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely, type Transaction } from 'kysely';
import { DEFAULT_VERDICT_POLICY } from '../src/config.js';
import { normalize } from '../src/modules/indicators/index.js';
import { importFeed, importReports, type ImportSummary } from '../src/modules/reports/report.import.js';
import { SCAM_TYPE_CODES } from '../src/modules/reports/taxonomy.js';
import { lookupEntries } from '../src/modules/verdicts/evidence-keys.js';
import { refreshEvidence } from '../src/modules/verdicts/verdicts.repository.js';
import type { Database } from '../src/storage/schema.js';
import { ENGINES, openTestScamgraph } from './helpers/database.js';
import { generateReports, writeReports, type GeneratedReport, type GeneratedSummary } from './helpers/report-generator.js';
import { openPhishUrls } from './helpers/shared-data.js';

// The importer end to end against each engine: importReports / importFeed on a migrated database.

type Db = Kysely<Database>;
type Sg = Awaited<ReturnType<typeof openTestScamgraph>>;

const TABLES = [
  'reports',
  'report_indicators',
  'report_evidence',
  'reporter_contacts',
  'feed_entries',
  'decisions',
  'protected_entities',
  'evidence',
  'evidence_changes',
  'users',
  'sessions',
  'audit_log',
] as const;

async function rowCounts(db: Db): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of TABLES) {
    const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}

/** The evidence table as plain values, in key order. */
async function evidenceRows(db: Db | Transaction<Database>): Promise<string[]> {
  const rows = await db.selectFrom('evidence').selectAll().orderBy('key').execute();
  return rows.map((r) => JSON.stringify(r));
}

/** Reports, their indicators and evidence links, keyed by source and external id (no ids, no insertion times). */
async function reportDump(db: Db): Promise<{ reports: string[]; indicators: string[]; links: string[] }> {
  const reports = await sql<Record<string, unknown>>`
    SELECT r.source, r.external_id, r.reference, encode(r.fingerprint, 'hex') AS fingerprint, encode(r.content_hash, 'hex') AS content_hash,
      d.source AS duplicate_source, d.external_id AS duplicate_of, r.received_at, r.occurred_at, r.channel, r.scam_type, r.narrative,
      r.loss_amount, r.loss_currency, r.status, r.status_token_hash IS NULL AS no_token
    FROM reports r LEFT JOIN reports d ON d.id = r.duplicate_of
    ORDER BY r.source, r.external_id`.execute(db);
  const indicators = await sql<Record<string, unknown>>`
    SELECT r.source, r.external_id, i.key, i.kind, i.canonical, i.role, i.extracted
    FROM report_indicators i JOIN reports r ON r.id = i.report_id
    ORDER BY r.source, r.external_id, i.key`.execute(db);
  const links = await sql<Record<string, unknown>>`
    SELECT r.source, r.external_id, e.evidence_key
    FROM report_evidence e JOIN reports r ON r.id = e.report_id
    ORDER BY r.source, r.external_id, e.evidence_key`.execute(db);
  const text = (rows: Record<string, unknown>[]): string[] => rows.map((r) => JSON.stringify(r));
  return { reports: text(reports.rows), indicators: text(indicators.rows), links: text(links.rows) };
}

interface Reject {
  line: number;
  code: string;
  reason: string;
}

function readRejects(path: string): Reject[] {
  const text = readFileSync(path, 'utf8');
  return text === '' ? [] : text.trimEnd().split('\n').map((l) => JSON.parse(l) as Reject).sort((a, b) => a.line - b.line);
}

function writeJsonl(path: string, reports: readonly object[]): void {
  writeFileSync(path, reports.map((r) => JSON.stringify(r) + '\n').join(''));
}

function csvField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * The same reports as CSV: indicators as a JSON array (keeping roles) or as `|`-separated values, and the loss
 * as lossAmount/lossCurrency or loss.amount/loss.currency columns.
 */
function writeCsv(path: string, reports: readonly GeneratedReport[], indicators: 'json' | 'pipe', loss: 'flat' | 'dotted'): void {
  const lossColumns = loss === 'flat' ? ['lossAmount', 'lossCurrency'] : ['loss.amount', 'loss.currency'];
  const header = ['externalId', 'receivedAt', 'occurredAt', 'channel', 'scamType', 'narrative', ...lossColumns, 'indicators', 'reporter'];
  const lines = [header.join(',')];
  for (const r of reports) {
    const list = indicators === 'json' ? JSON.stringify(r.indicators) : r.indicators.map((i) => i.value).join('|');
    const fields = [r.externalId, r.receivedAt, r.occurredAt ?? '', r.channel, r.scamType, r.narrative, r.loss == null ? '' : String(r.loss.amount), r.loss?.currency ?? '', list, r.reporter ?? ''];
    lines.push(fields.map(csvField).join(','));
  }
  writeFileSync(path, lines.join('\r\n') + '\r\n');
}

const withoutRoles = (r: GeneratedReport): GeneratedReport => ({ ...r, indicators: r.indicators.map((i) => ({ value: i.value })) as GeneratedReport['indicators'] });

// ---- an independent model of the evidence a set of imported reports must give ----

const SHARED_HOST_RE = /(?:^|\.)(?:vercel\.app|netlify\.app|pages\.dev|web\.app|github\.io)$|^(?:bit\.ly|tinyurl\.com|cutt\.ly)$/;

/** The evidence entries of a generated indicator value, worked out without the importer's code. */
function entriesOf(value: string): string[] {
  if (value.startsWith('https://')) {
    const url = new URL(value);
    const exact = `urle:${url.host}${url.pathname}${url.search}`;
    return SHARED_HOST_RE.test(url.host) ? [exact] : [...new Set([exact, `urlx:${url.host}/`])];
  }
  const digits = value.replace(/\D/g, '');
  if (/^\d{3}-\d{3}-\d{6,12}$/.test(value)) return [`bank_account:hk:${digits}`];
  if (digits.length === 8) return [`phone:+852${digits}`];
  if (digits.length === 11 && digits.startsWith('852')) return [`phone:+${digits}`];
  throw new Error(`the model does not know ${value}`);
}

interface ModelEntry {
  reporters: Set<string>;
  first: number;
  last: number;
  scamTypes: number;
}

/** What a reporter's repeat is judged by: the reporter, scam type, channel, indicators and folded narrative. */
function contentKey(r: GeneratedReport): string {
  const keys = [...new Set(r.indicators.flatMap((i) => entriesOf(i.value)))].sort();
  return JSON.stringify([r.reporter, r.scamType, r.channel, keys, r.narrative.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim()]);
}

/** Evidence per entry (reports of one source, in file order): repeats by the same reporter count nowhere. */
function modelEvidence(reports: readonly GeneratedReport[]): { entries: Map<string, ModelEntry>; duplicates: number } {
  const entries = new Map<string, ModelEntry>();
  const seen = new Set<string>();
  let duplicates = 0;
  for (const r of reports) {
    if (r.reporter !== undefined) {
      const key = contentKey(r);
      if (seen.has(key)) {
        duplicates++;
        continue;
      }
      seen.add(key);
    }
    const at = Date.parse(r.receivedAt);
    const bit = 1 << SCAM_TYPE_CODES.indexOf(r.scamType);
    const who = r.reporter ?? `#${r.externalId}`;
    for (const entry of new Set(r.indicators.flatMap((i) => entriesOf(i.value)))) {
      const e = entries.get(entry);
      if (e === undefined) entries.set(entry, { reporters: new Set([who]), first: at, last: at, scamTypes: bit });
      else {
        e.reporters.add(who);
        e.first = Math.min(e.first, at);
        e.last = Math.max(e.last, at);
        e.scamTypes |= bit;
      }
    }
  }
  return { entries, duplicates };
}

const ISO = (ms: number): string => new Date(ms).toISOString();

for (const engine of ENGINES) {
  describe(`report import, JSON Lines (${engine})`, () => {
    let sg: Sg;
    let dir: string;
    let file: string;
    let generated: GeneratedSummary;
    let first: ImportSummary;
    const reports = [...generateReports({ count: 1500, seed: 11, repeatShare: 0.03 })];

    before(async () => {
      sg = await openTestScamgraph(engine);
      dir = mkdtempSync(join(tmpdir(), 'scamgraph-import-'));
      file = join(dir, 'reports.jsonl');
      generated = await writeReports(file, { count: 1500, seed: 11, repeatShare: 0.03 });
    });
    after(async () => {
      await sg?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('generates what the model expects (a check of the generator)', () => {
      // Deterministic: the streamed file holds exactly the reports generated in memory with the same options.
      assert.equal(readFileSync(file, 'utf8'), reports.map((r) => JSON.stringify(r) + '\n').join(''));
      assert.equal(generated.lines, 1500);
      assert.ok(generated.repeats > 10, `only ${generated.repeats} repeats`);
      assert.equal(modelEvidence(reports).duplicates, generated.repeats);
      // Every number is a valid Hong Kong mobile number, every account a Hong Kong account.
      for (const r of reports) {
        for (const i of r.indicators) {
          const kind = i.value.startsWith('https://') ? 'url' : /^\d{3}-\d{3}-\d+$/.test(i.value) ? 'bank_account' : 'phone';
          const indicator = normalize(kind, i.value, { region: 'HK' });
          if (kind === 'phone') assert.match(indicator.canonical, /^\+852[569]\d{7}$/);
          assert.deepEqual(entriesOf(i.value).length > 0, true);
        }
      }
    });

    it('stores every line and counts them in the summary', async () => {
      first = await importReports(sg.db, sg.secrets, file, 'hotline-2026', { region: 'HK', rejectsPath: join(dir, 'rejects.jsonl') });
      assert.deepEqual({ ...first, seconds: 0 }, { records: 1500, stored: 1500, alreadyPresent: 0, duplicates: generated.repeats, rejected: 0, seconds: 0 });
      assert.ok(first.seconds > 0);
      assert.deepEqual(readRejects(join(dir, 'rejects.jsonl')), []);

      const counts = await rowCounts(sg.db);
      assert.equal(counts.reports, 1500);
      // Each generated report gives distinct kinds (a number, a link, an account): one row each, plus those found in the narrative.
      assert.equal(counts.report_indicators! - (await extractedCount(sg.db)), reports.reduce((n, r) => n + r.indicators.length, 0));
      const dups = await sg.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).where('duplicate_of', 'is not', null).executeTakeFirstOrThrow();
      assert.equal(Number(dups.n), generated.repeats);
      // Links carry no foreign key (migration 003): every one must still name a stored report.
      for (const table of ['report_indicators', 'report_evidence'] as const) {
        const orphans = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} l LEFT JOIN reports r ON r.id = l.report_id WHERE r.id IS NULL`.execute(sg.db);
        assert.equal(orphans.rows[0]?.n, 0, `${table} links to no report`);
      }
    });

    it('stores each line as given: fields, normalized indicators with their roles, evidence links', async () => {
      const sample = reports.filter((r, i) => i % 97 === 0 && r.loss != null && r.indicators.length >= 2).slice(0, 5);
      assert.ok(sample.length >= 3);
      for (const r of sample) {
        const row = await sg.db.selectFrom('reports').selectAll().where('source', '=', 'import:hotline-2026').where('external_id', '=', r.externalId).executeTakeFirstOrThrow();
        assert.equal(row.received_at.toISOString(), ISO(Date.parse(r.receivedAt)));
        assert.equal(row.occurred_at?.toISOString() ?? null, r.occurredAt === undefined ? null : ISO(Date.parse(r.occurredAt)));
        assert.equal(row.channel, r.channel);
        assert.equal(row.scam_type, r.scamType);
        assert.equal(row.narrative, r.narrative.trim());
        assert.equal(row.loss_amount, r.loss!.amount.toFixed(2));
        assert.equal(row.loss_currency, r.loss!.currency);
        assert.equal(row.status, 'new');
        assert.equal(row.status_token_hash, null);
        assert.match(row.reference, /^\S{6,}$/);
        const given = await sg.db.selectFrom('report_indicators').select(['key', 'role']).where('report_id', '=', row.id).where('extracted', '=', false).orderBy('key').execute();
        const expected = r.indicators
          .map((i) => {
            const [entry] = entriesOf(i.value);
            const key = entry!.startsWith('urle:') || entry!.startsWith('urlx:') ? `url:${i.value}` : entry!;
            return { key, role: i.role };
          })
          .sort((a, b) => (a.key < b.key ? -1 : 1));
        assert.deepEqual(given, expected);
        const links = await sg.db.selectFrom('report_evidence').select('evidence_key').where('report_id', '=', row.id).orderBy('evidence_key').execute();
        assert.deepEqual(links.map((l) => l.evidence_key), [...new Set(r.indicators.flatMap((i) => entriesOf(i.value)))].sort());
      }
    });

    it('gives every entry the evidence the reports support (distinct reporters, first/last seen, scam types)', async () => {
      const model = modelEvidence(reports);
      const rows = await sg.db.selectFrom('evidence').selectAll().orderBy('key').execute();
      assert.deepEqual(rows.map((r) => r.key).sort(), [...model.entries.keys()].sort());
      for (const row of rows) {
        const e = model.entries.get(row.key)!;
        assert.deepEqual(
          { key: row.key, count: row.report_count, first: row.first_seen?.toISOString(), last: row.last_seen?.toISOString(), lastReport: row.last_report?.toISOString(), scamTypes: row.scam_types, feed: row.feed_level, decision: row.decision, protection: row.protection },
          { key: row.key, count: e.reporters.size, first: ISO(e.first), last: ISO(e.last), lastReport: ISO(e.last), scamTypes: e.scamTypes, feed: 0, decision: 0, protection: 0 },
        );
      }
      // Heavy-tailed campaigns: some entry has many independent reports.
      assert.ok(Math.max(...rows.map((r) => r.report_count)) >= 20);
    });

    it('adds nothing when the same file is imported again', async () => {
      const countsBefore = await rowCounts(sg.db);
      const evidenceBefore = await evidenceRows(sg.db);
      const dumpBefore = await reportDump(sg.db);
      const again = await importReports(sg.db, sg.secrets, file, 'hotline-2026', { region: 'HK', rejectsPath: join(dir, 'rejects.jsonl'), batchSize: 333 });
      assert.deepEqual({ ...again, seconds: 0 }, { records: 1500, stored: 0, alreadyPresent: 1500, duplicates: 0, rejected: 0, seconds: 0 });
      assert.deepEqual(await rowCounts(sg.db), countsBefore);
      assert.deepEqual(await evidenceRows(sg.db), evidenceBefore);
      assert.deepEqual(await reportDump(sg.db), dumpBefore);
    });

    it('stores every report once when two first imports of one source run at once (a batch that meets the other one\'s rows is stored again the careful way)', async () => {
      // Both start before either has stored a batch, so both insert without ON CONFLICT; the second to
      // reach a batch the other stored gets a unique violation, and that batch and the rest go the careful way.
      const options = { region: 'HK', rejectsPath: join(dir, 'rejects-twice.jsonl'), batchSize: 100 };
      const [a, b] = await Promise.all([
        importReports(sg.db, sg.secrets, file, 'hotline-twice', options),
        importReports(sg.db, sg.secrets, file, 'hotline-twice', options),
      ]);
      assert.equal(a.stored + b.stored, 1500);
      assert.equal(a.alreadyPresent + b.alreadyPresent, 1500);
      const stored = await sg.db.selectFrom('reports').select((eb) => eb.fn.countAll<number>().as('n')).where('source', '=', 'import:hotline-twice').executeTakeFirstOrThrow();
      assert.equal(Number(stored.n), 1500);
    });
  });

  describe(`report import, CSV like JSON Lines (${engine})`, () => {
    let fromJsonl: Sg;
    let fromCsv: Sg;
    let dir: string;
    const reports = [...generateReports({ count: 400, seed: 21, reporterShare: 0.5, repeatShare: 0.05, idPrefix: 'csv-' })];

    before(async () => {
      fromJsonl = await openTestScamgraph(engine, { loadIndex: false });
      fromCsv = await openTestScamgraph(engine, { loadIndex: false });
      dir = mkdtempSync(join(tmpdir(), 'scamgraph-import-csv-'));
    });
    after(async () => {
      await fromJsonl?.close();
      await fromCsv?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('has narratives that need CSV quoting (a check of this test itself)', () => {
      assert.ok(reports.some((r) => r.narrative.includes('\n') && r.narrative.includes('"')));
      assert.ok(reports.some((r) => r.narrative.includes(',')));
      assert.ok(reports.some((r) => r.loss === null) && reports.some((r) => r.loss === undefined) && reports.some((r) => r.reporter !== undefined));
    });

    it('stores the same reports, indicators, evidence links and evidence from CSV as from the equivalent JSON Lines', async () => {
      const options = (name: string) => ({ region: 'HK', rejectsPath: join(dir, `${name}.rejects.jsonl`), batchSize: 150 });
      writeJsonl(join(dir, 'roles.jsonl'), reports);
      writeCsv(join(dir, 'roles.csv'), reports, 'json', 'flat');
      const plain = reports.map(withoutRoles);
      writeJsonl(join(dir, 'plain.jsonl'), plain);
      writeCsv(join(dir, 'plain.csv'), reports, 'pipe', 'dotted');

      const summaries: Record<string, ImportSummary> = {};
      summaries.rolesJsonl = await importReports(fromJsonl.db, fromJsonl.secrets, join(dir, 'roles.jsonl'), 'partner', options('roles-jsonl'));
      summaries.plainJsonl = await importReports(fromJsonl.db, fromJsonl.secrets, join(dir, 'plain.jsonl'), 'partner-plain', options('plain-jsonl'));
      summaries.rolesCsv = await importReports(fromCsv.db, fromCsv.secrets, join(dir, 'roles.csv'), 'partner', options('roles-csv'));
      summaries.plainCsv = await importReports(fromCsv.db, fromCsv.secrets, join(dir, 'plain.csv'), 'partner-plain', options('plain-csv'));
      const expectedDuplicates = modelEvidence(reports).duplicates;
      assert.ok(expectedDuplicates > 0);
      for (const [name, s] of Object.entries(summaries)) {
        assert.deepEqual({ ...s, seconds: 0 }, { records: 400, stored: 400, alreadyPresent: 0, duplicates: expectedDuplicates, rejected: 0, seconds: 0 }, name);
      }

      const a = await reportDump(fromJsonl.db);
      const b = await reportDump(fromCsv.db);
      assert.equal(a.reports.length, 800);
      assert.deepEqual(b.reports, a.reports);
      assert.deepEqual(b.indicators, a.indicators);
      assert.deepEqual(b.links, a.links);
      assert.deepEqual(await evidenceRows(fromCsv.db), await evidenceRows(fromJsonl.db));
      // Roles came through the JSON-array column, and the `|` list has none.
      const roles = await sql<{ source: string; with_role: number; without: number }>`
        SELECT r.source, count(i.role)::int AS with_role, count(*) FILTER (WHERE i.role IS NULL AND NOT i.extracted)::int AS without
        FROM report_indicators i JOIN reports r ON r.id = i.report_id GROUP BY r.source ORDER BY r.source`.execute(fromCsv.db);
      assert.equal(roles.rows.length, 2);
      assert.equal(roles.rows[0]?.source, 'import:partner');
      assert.equal(roles.rows[0]?.without, 0);
      assert.equal(roles.rows[0]?.with_role, reports.reduce((n, r) => n + r.indicators.length, 0));
      assert.equal(roles.rows[1]?.with_role, 0);
      assert.ok(roles.rows[1]!.without > 0);
    });
  });

  describe(`report import, bad records (${engine})`, () => {
    let sg: Sg;
    let dir: string;
    const good = (id: string, phone: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ externalId: id, receivedAt: '2026-10-01T10:00:00Z', channel: 'sms', scamType: 'phishing_courier', narrative: 'parcel fee', indicators: [{ value: phone, role: 'sender' }], ...extra });

    before(async () => {
      sg = await openTestScamgraph(engine, { loadIndex: false });
      dir = mkdtempSync(join(tmpdir(), 'scamgraph-import-bad-'));
    });
    after(async () => {
      await sg?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const storedIds = async (source: string): Promise<string[]> =>
      (await sg.db.selectFrom('reports').select('external_id').where('source', '=', `import:${source}`).orderBy('external_id').execute()).map((r) => r.external_id as string);

    it('sends bad JSON Lines to the rejects file with their line and code, and stores the good lines around them', async () => {
      const lines = [
        /* 1 */ good('ok-1', '+85261234567'),
        /* 2 */ '{"externalId": "broken", "receivedAt": ',
        /* 3 */ JSON.stringify({ externalId: 'no-date', channel: 'sms', scamType: 'phishing_courier', indicators: [] }),
        /* 4 */ good('unknown-field', '+85261234567', { colour: 'red' }),
        /* 5 */ good('bad-channel', '+85261234567', { channel: 'carrier_pigeon' }),
        /* 6 */ '',
        /* 7 */ good('bad-indicator', '+85261234567', { indicators: [{ value: '+85261234567', role: 'sender' }, { value: '+852 1234', role: 'caller' }] }),
        /* 8 */ good('bad-date', '+85261234567', { receivedAt: 'yesterday' }),
        /* 9 */ good('ok-2', '+85261234568'),
        /* 10 */ good('negative-loss', '+85261234567', { loss: { amount: -5, currency: 'HKD' } }),
        /* 11 */ good('ok-3', '+85261234569', { reporter: 'r-1' }),
        /* 12 */ '[1, 2, 3]',
        /* 13 */ good('bad-kind', '+85261234567', { indicators: [{ value: '12', kind: 'phone' }] }),
        /* 14 */ good('ok-4', '+85261234570'),
      ];
      const file = join(dir, 'bad.jsonl');
      writeFileSync(file, lines.join('\n') + '\n');
      const rejectsPath = join(dir, 'bad.rejects.jsonl');
      const summary = await importReports(sg.db, sg.secrets, file, 'bad-jsonl', { region: 'HK', rejectsPath, batchSize: 2 });
      assert.deepEqual({ ...summary, seconds: 0 }, { records: 13, stored: 4, alreadyPresent: 0, duplicates: 0, rejected: 9, seconds: 0 });
      const rejects = readRejects(rejectsPath);
      assert.deepEqual(
        rejects.map((r) => [r.line, r.code]),
        [
          [2, 'MALFORMED_JSON'],
          [3, 'VALIDATION_FAILED'],
          [4, 'VALIDATION_FAILED'],
          [5, 'VALIDATION_FAILED'],
          [7, 'INVALID_INDICATOR'],
          [8, 'VALIDATION_FAILED'],
          [10, 'VALIDATION_FAILED'],
          [12, 'VALIDATION_FAILED'],
          [13, 'INVALID_INDICATOR'],
        ],
      );
      const reason = (line: number): string => rejects.find((r) => r.line === line)!.reason;
      assert.match(reason(3), /receivedAt/);
      assert.match(reason(5), /channel/);
      assert.match(reason(7), /^indicators\[1\]/);
      assert.match(reason(8), /receivedAt/);
      assert.match(reason(10), /loss/);
      assert.match(reason(13), /^indicators\[0\]/);
      assert.deepEqual(await storedIds('bad-jsonl'), ['ok-1', 'ok-2', 'ok-3', 'ok-4']);
      // A rejected line leaves no trace: no indicators or evidence of it.
      const orphans = await sql<{ n: number }>`SELECT count(*)::int AS n FROM report_indicators i LEFT JOIN reports r ON r.id = i.report_id WHERE r.id IS NULL`.execute(sg.db);
      assert.equal(orphans.rows[0]?.n, 0);

      // The rejects file is rewritten by every run: a second run lists the same lines again, stores nothing.
      const again = await importReports(sg.db, sg.secrets, file, 'bad-jsonl', { region: 'HK', rejectsPath, batchSize: 2 });
      assert.deepEqual({ ...again, seconds: 0 }, { records: 13, stored: 0, alreadyPresent: 4, duplicates: 0, rejected: 9, seconds: 0 });
      assert.deepEqual(readRejects(rejectsPath).map((r) => r.line), [2, 3, 4, 5, 7, 8, 10, 12, 13]);
    });

    it('sends bad CSV rows (wrong column count, bad values, bad indicators column) to the rejects file by line', async () => {
      const header = 'externalId,receivedAt,channel,scamType,narrative,indicators';
      const rows = [
        /* 1 */ header,
        /* 2 */ 'c-ok-1,2026-10-02T09:00:00Z,call,investment,"Teacher, in a group chat",+85261234571',
        /* 3 */ 'c-short,2026-10-02T09:00:00Z,call,investment',
        /* 4 */ 'c-ok-2,2026-10-02T09:00:00Z,call,investment,fine,+85261234572|https://gold-invest-hk.top/app',
        /* 5 */ 'c-bad-channel,2026-10-02T09:00:00Z,fax,investment,fine,+85261234572',
        /* 6 */ 'c-bad-json,2026-10-02T09:00:00Z,call,investment,fine,"[{""value"": "',
        /* 7 */ 'c-bad-indicator,2026-10-02T09:00:00Z,call,investment,fine,nothing-recognizable!!|+85261234572',
        /* 8 */ 'c-long,2026-10-02T09:00:00Z,call,investment,fine,+85261234572,surplus',
        /* 9 */ 'c-ok-3,2026-10-02T09:00:00Z,call,investment,,"[{""value"":""004-123-456789"",""role"":""payee_account""}]"',
      ];
      const file = join(dir, 'bad.csv');
      writeFileSync(file, rows.join('\n') + '\n');
      const rejectsPath = join(dir, 'bad-csv.rejects.jsonl');
      const summary = await importReports(sg.db, sg.secrets, file, 'bad-csv', { region: 'HK', rejectsPath, batchSize: 2 });
      assert.deepEqual(
        readRejects(rejectsPath).map((r) => [r.line, r.code]),
        [
          [3, 'MALFORMED_CSV'],
          [5, 'VALIDATION_FAILED'],
          [6, 'MALFORMED_JSON'],
          [7, 'INVALID_INDICATOR'],
          [8, 'MALFORMED_CSV'],
        ],
      );
      assert.deepEqual({ ...summary, seconds: 0 }, { records: 8, stored: 3, alreadyPresent: 0, duplicates: 0, rejected: 5, seconds: 0 });
      assert.deepEqual(await storedIds('bad-csv'), ['c-ok-1', 'c-ok-2', 'c-ok-3']);
      const narrative = await sg.db.selectFrom('reports').select('narrative').where('external_id', '=', 'c-ok-1').executeTakeFirstOrThrow();
      assert.equal(narrative.narrative, 'Teacher, in a group chat');
    });

    it('gives a bad CSV record that spans several lines the line it starts on', async () => {
      const rows = [
        /* 1 */ 'externalId,receivedAt,channel,scamType,narrative,indicators',
        /* 2 */ 'm-ok-1,2026-10-02T09:00:00Z,call,investment,"first line',
        /* 3 */ 'second line",+85261234573',
        /* 4 */ 'm-bad,2026-10-02T09:00:00Z,fax,investment,"also',
        /* 5 */ 'two lines",+85261234573',
        /* 6 */ 'm-ok-2,2026-10-02T09:00:00Z,call,investment,one line,+85261234573',
      ];
      const file = join(dir, 'multiline.csv');
      writeFileSync(file, rows.join('\n') + '\n');
      const rejectsPath = join(dir, 'multiline.rejects.jsonl');
      const summary = await importReports(sg.db, sg.secrets, file, 'multiline-csv', { region: 'HK', rejectsPath });
      assert.equal(summary.stored, 2);
      assert.deepEqual(await storedIds('multiline-csv'), ['m-ok-1', 'm-ok-2']);
      const narrative = await sg.db.selectFrom('reports').select('narrative').where('external_id', '=', 'm-ok-1').executeTakeFirstOrThrow();
      assert.equal(narrative.narrative, 'first line\nsecond line');
      assert.deepEqual(readRejects(rejectsPath).map((r) => [r.line, r.code]), [[4, 'VALIDATION_FAILED']]);
    });

    // Exports do contain repeated rows. A line whose external id an earlier line of the same file already
    // used is the same report: the first one stays, the other is skipped, and the import goes on.
    const importOrFail = async (file: string, source: string): Promise<ImportSummary> => {
      try {
        return await importReports(sg.db, sg.secrets, file, source, { region: 'HK', rejectsPath: `${file}.rejects.jsonl` });
      } catch (error) {
        return assert.fail(`the import failed: ${(error as Error).message}`);
      }
    };

    it('skips a line that repeats an earlier line of the same file (same external id, same content) and goes on', async () => {
      const file = join(dir, 'repeated-line.jsonl');
      writeFileSync(file, [good('same-1', '+85261234581'), good('same-1', '+85261234581'), good('after-1', '+85261234584')].join('\n') + '\n');
      const summary = await importOrFail(file, 'repeated-line');
      assert.deepEqual(await storedIds('repeated-line'), ['after-1', 'same-1']);
      assert.equal(summary.stored, 2);
      assert.equal(summary.stored + summary.alreadyPresent + summary.rejected, summary.records);
      assert.equal((await sg.db.selectFrom('evidence').select('report_count').where('key', '=', 'phone:+85261234581').executeTakeFirst())?.report_count, 1);
    });

    it('does not merge a second report under an external id used earlier in the same file into the first', async () => {
      const file = join(dir, 'repeated-id.jsonl');
      writeFileSync(
        file,
        [good('same-2', '+85261234582'), good('same-2', '+85261234583', { narrative: 'a different report under the same id' }), good('after-2', '+85261234585')].join('\n') + '\n',
      );
      const summary = await importOrFail(file, 'repeated-id');
      assert.deepEqual(await storedIds('repeated-id'), ['after-2', 'same-2']);
      const keys = await sql<{ key: string }>`
        SELECT i.key FROM report_indicators i JOIN reports r ON r.id = i.report_id
        WHERE r.source = 'import:repeated-id' AND r.external_id = 'same-2' ORDER BY i.key`.execute(sg.db);
      assert.deepEqual(keys.rows.map((r) => r.key), ['phone:+85261234582'], 'the second line under same-2 was merged into the first report');
      assert.deepEqual(await sg.db.selectFrom('evidence').select('key').where('key', '=', 'phone:+85261234583').execute(), []);
      assert.equal(summary.stored, 2, 'stored counts rows stored');
      assert.equal(summary.stored + summary.alreadyPresent + summary.rejected, summary.records);
    });
  });

  describe(`report import, reporters and repeats (${engine})`, () => {
    let sg: Sg;
    let dir: string;
    // Dates within the decay period whenever the test runs: day(n) is n days after 60 days ago (UTC midnight).
    const BASE = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 60 * 86_400_000;
    const day = (n: number, hour: number): string => new Date(BASE + n * 86_400_000 + hour * 3_600_000).toISOString();
    const P = '+85291234567';
    const Q = '+85262345678';
    const report = (id: string, at: string, narrative: string, extra: Record<string, unknown> = {}) => ({
      externalId: id,
      receivedAt: at,
      channel: 'call',
      scamType: 'impersonating_officials',
      narrative,
      indicators: [{ value: P, role: 'caller' }],
      ...extra,
    });

    before(async () => {
      sg = await openTestScamgraph(engine);
      dir = mkdtempSync(join(tmpdir(), 'scamgraph-import-reporters-'));
    });
    after(async () => {
      await sg?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const row = (id: string) => sg.db.selectFrom('reports').select(['id', 'duplicate_of']).where('source', '=', 'import:hotline').where('external_id', '=', id).executeTakeFirstOrThrow();
    const evidence = (key: string) => sg.db.selectFrom('evidence').selectAll().where('key', '=', key).executeTakeFirst();

    it('counts reports that share a reporter once per entry, and links an exact repeat by the same reporter as a duplicate', async () => {
      const file = join(dir, 'first.jsonl');
      writeJsonl(file, [
        report('h1', day(1, 1), 'He said he was from the police', { reporter: 'alice' }),
        report('h2', day(2, 1), 'He called again and asked for money', { reporter: 'alice' }),
        report('h3', day(3, 1), 'Investment offer', { reporter: 'bob', scamType: 'investment' }),
        report('h4', day(4, 1), 'Anonymous report'),
        // alice again, word for word (case and spacing folded), with another loss: a duplicate of h1.
        report('h5', day(20, 1), '  he said HE WAS   from the police ', { reporter: 'alice', loss: { amount: 100, currency: 'HKD' } }),
        // carol says exactly what alice said: another person, so it counts.
        report('h6', day(5, 1), 'He said he was from the police', { reporter: 'carol' }),
        // Without a reporter, identical reports are different people.
        report('h7', day(6, 1), 'Anonymous report'),
      ]);
      // Batches of 3: h5 repeats h1 from an earlier batch.
      const summary = await importReports(sg.db, sg.secrets, file, 'hotline', { region: 'HK', rejectsPath: join(dir, 'first.rejects.jsonl'), batchSize: 3 });
      assert.deepEqual({ ...summary, seconds: 0 }, { records: 7, stored: 7, alreadyPresent: 0, duplicates: 1, rejected: 0, seconds: 0 });

      const h1 = await row('h1');
      assert.equal(h1.duplicate_of, null);
      assert.equal((await row('h5')).duplicate_of, h1.id);
      for (const id of ['h2', 'h3', 'h4', 'h6', 'h7']) assert.equal((await row(id)).duplicate_of, null, id);

      const p = await evidence(`phone:${P}`);
      assert.equal(p?.report_count, 5); // alice, bob, carol, h4, h7
      assert.equal(p?.first_seen?.toISOString(), day(1, 1));
      // The duplicate (h5, day 20) counts nowhere, not even in last seen.
      assert.equal(p?.last_report?.toISOString(), day(6, 1));
      assert.equal(p?.scam_types, (1 << SCAM_TYPE_CODES.indexOf('impersonating_officials')) | (1 << SCAM_TYPE_CODES.indexOf('investment')));
      await sg.verdicts.catchUp();
      const verdict = sg.verdicts.check(P);
      assert.equal(verdict.verdict.level, 'high_risk');
      assert.equal(verdict.verdict.reportCount, 5);
    });

    it('links repeats of reports stored by an earlier import, and repeats within one batch', async () => {
      const file = join(dir, 'second.jsonl');
      writeJsonl(file, [
        report('h8', day(25, 1), 'He called again and asked for money', { reporter: 'alice' }), // repeats h2
        report('h9', day(25, 2), 'Fake courier', { reporter: 'dave', indicators: [{ value: Q, role: 'caller' }] }),
        report('h10', day(25, 3), 'Fake courier', { reporter: 'dave', indicators: [{ value: Q, role: 'caller' }] }), // repeats h9
        report('h11', day(25, 4), 'Something new', { reporter: 'alice' }), // alice is counted already
      ]);
      const summary = await importReports(sg.db, sg.secrets, file, 'hotline', { region: 'HK', rejectsPath: join(dir, 'second.rejects.jsonl') });
      assert.deepEqual({ ...summary, seconds: 0 }, { records: 4, stored: 4, alreadyPresent: 0, duplicates: 2, rejected: 0, seconds: 0 });
      assert.equal((await row('h8')).duplicate_of, (await row('h2')).id);
      assert.equal((await row('h10')).duplicate_of, (await row('h9')).id);
      assert.equal((await row('h11')).duplicate_of, null);

      const p = await evidence(`phone:${P}`);
      assert.equal(p?.report_count, 5);
      assert.equal(p?.last_report?.toISOString(), day(25, 4)); // h11 counts for last seen
      const q = await evidence(`phone:${Q}`);
      assert.equal(q?.report_count, 1);
      assert.equal(q?.first_seen?.toISOString(), day(25, 2));
      assert.equal(q?.last_seen?.toISOString(), day(25, 2));
      // The same reporter under another source is another fingerprint: it counts.
      const other = join(dir, 'other-source.jsonl');
      writeJsonl(other, [report('x1', day(26, 1), 'Fake courier', { reporter: 'dave', indicators: [{ value: Q, role: 'caller' }] })]);
      const s2 = await importReports(sg.db, sg.secrets, other, 'ngo', { region: 'HK', rejectsPath: join(dir, 'other.rejects.jsonl') });
      assert.equal(s2.duplicates, 0);
      assert.equal((await evidence(`phone:${Q}`))?.report_count, 2);
    });
  });

  describe(`feed import (${engine})`, () => {
    let sg: Sg;
    let dir: string;
    let urls: string[];
    let first: ImportSummary;

    before(async () => {
      sg = await openTestScamgraph(engine);
      dir = mkdtempSync(join(tmpdir(), 'scamgraph-import-feed-'));
      urls = openPhishUrls().slice(0, 2000);
      writeFileSync(join(dir, 'openphish.txt'), urls.join('\n') + '\n');
    });
    after(async () => {
      await sg?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    const feedCount = async (feed: string): Promise<number> =>
      Number((await sg.db.selectFrom('feed_entries').select((eb) => eb.fn.countAll<number>().as('n')).where('feed', '=', feed).executeTakeFirstOrThrow()).n);

    it('stores the first 2,000 OpenPhish URLs as high-risk entries, each for its exact link', async () => {
      assert.equal(urls.length, 2000);
      first = await importFeed(sg.db, join(dir, 'openphish.txt'), 'openphish', { region: 'HK', rejectsPath: join(dir, 'openphish.rejects.jsonl'), level: 'high_risk' });
      const rejects = readRejects(join(dir, 'openphish.rejects.jsonl'));
      assert.equal(first.records, 2000);
      assert.equal(first.rejected, rejects.length);
      assert.equal(first.alreadyPresent, 0);
      assert.equal(first.duplicates, 0);
      assert.ok(first.stored >= 1900, `only ${first.stored} stored`);
      assert.ok(first.stored + first.rejected <= 2000);
      assert.equal(await feedCount('openphish'), first.stored);
      // Feeds list exact links: every entry is one link's own entry, with its evidence.
      const rows = await sql<{ n: number; wrong: number }>`
        SELECT count(*)::int AS n, count(*) FILTER (WHERE e.feed_level <> 2 OR e.feed_name <> 'openphish' OR e.report_count <> 0 OR e.first_seen IS DISTINCT FROM f.listed_at OR f.level <> 2)::int AS wrong
        FROM feed_entries f JOIN evidence e ON e.key = f.evidence_key WHERE f.feed = 'openphish'`.execute(sg.db);
      assert.deepEqual(rows.rows[0], { n: first.stored, wrong: 0 });

      await sg.verdicts.catchUp();
      const rejectedLines = new Set(rejects.map((r) => r.line));
      const accepted = urls.map((url, i) => ({ url, line: i + 1 })).filter((u) => !rejectedLines.has(u.line));
      const [one] = accepted;
      const result = sg.verdicts.check(one!.url, 'url');
      assert.equal(result.verdict.level, 'high_risk', one!.url);
      assert.equal(result.verdict.reasons[0]?.code, 'FEED_HIGH_RISK');
      assert.equal(result.verdict.reasons[0]?.source, 'openphish');
      for (const { url } of accepted.filter((_, i) => i % 50 === 0)) {
        const r = sg.verdicts.check(url, 'url');
        assert.equal(r.verdict.level, 'high_risk', url);
        assert.ok(r.verdict.reasons.some((x) => x.code === 'FEED_HIGH_RISK'), url);
      }
    });

    it('does not condemn other links on the host of a listed link', async () => {
      const listed = new Set((await sg.db.selectFrom('feed_entries').select('evidence_key').where('feed', '=', 'openphish').execute()).map((r) => r.evidence_key));
      let checked = 0;
      for (const url of urls) {
        let host: string;
        try {
          host = new URL(url).host;
        } catch {
          continue;
        }
        const other = `https://${host}/scamgraph-test-never-listed`;
        let indicator;
        try {
          indicator = normalize('url', other);
        } catch {
          continue;
        }
        if (lookupEntries(indicator).some((e) => listed.has(e))) continue;
        assert.equal(sg.verdicts.check(other, 'url').verdict.level, 'no_record', other);
        if (++checked === 20) break;
      }
      assert.equal(checked, 20);
    });

    it('adds nothing when the same feed file is imported again', async () => {
      const before = await rowCounts(sg.db);
      const evidence = await evidenceRows(sg.db);
      const again = await importFeed(sg.db, join(dir, 'openphish.txt'), 'openphish', { region: 'HK', rejectsPath: join(dir, 'openphish.rejects.jsonl'), level: 'high_risk' });
      assert.deepEqual({ ...again, seconds: 0 }, { records: 2000, stored: 0, alreadyPresent: first.stored, duplicates: 0, rejected: first.rejected, seconds: 0 });
      assert.deepEqual(await rowCounts(sg.db), before);
      assert.deepEqual(await evidenceRows(sg.db), evidence);
    });

    it('imports a CSV feed of kind,value with a header, rejecting unknown kinds, bad values and whole shared hosts', async () => {
      const file = join(dir, 'police.csv');
      writeFileSync(
        file,
        [
          /* 1 */ 'kind,value',
          /* 2 */ 'phone,+852 6123 4599',
          /* 3 */ 'url,hxxps://parcel-hk-redelivery[.]top/track?id=991',
          /* 4 */ 'domain,evil-bank-login.com',
          /* 5 */ ',https://another-evil.xyz/pay',
          /* 6 */ 'bank_account,004-888-123456',
          /* 7 */ 'bogus,whatever',
          /* 8 */ 'phone,12',
          /* 9 */ 'domain,bit.ly',
          /* 10 */ 'url,https://bit.ly/abc123',
          /* 11 */ 'url,https://x.example,surplus',
        ].join('\n') + '\n',
      );
      const rejectsPath = join(dir, 'police.rejects.jsonl');
      const summary = await importFeed(sg.db, file, 'police-csv', { region: 'HK', rejectsPath, level: 'suspicious' });
      assert.deepEqual(readRejects(rejectsPath).map((r) => [r.line, r.code]), [
        [7, 'UNKNOWN_KIND'],
        [8, 'INVALID_PHONE'],
        [9, 'SHARED_HOST'],
        [11, 'MALFORMED_CSV'],
      ]);
      assert.equal(summary.stored, 6);
      assert.equal(summary.rejected, 4);
      const entries = (await sg.db.selectFrom('feed_entries').select(['evidence_key', 'kind', 'canonical', 'level']).where('feed', '=', 'police-csv').execute()).sort((a, b) => (a.evidence_key < b.evidence_key ? -1 : 1));
      assert.deepEqual(entries, [
        { evidence_key: 'bank_account:hk:004888123456', kind: 'bank_account', canonical: '004-888-123456', level: 1 },
        { evidence_key: 'phone:+85261234599', kind: 'phone', canonical: '+85261234599', level: 1 },
        { evidence_key: 'urle:another-evil.xyz/pay', kind: 'url', canonical: 'https://another-evil.xyz/pay', level: 1 },
        { evidence_key: 'urle:bit.ly/abc123', kind: 'url', canonical: 'https://bit.ly/abc123', level: 1 },
        { evidence_key: 'urle:parcel-hk-redelivery.top/track?id=991', kind: 'url', canonical: 'https://parcel-hk-redelivery.top/track?id=991', level: 1 },
        { evidence_key: 'urlx:evil-bank-login.com/', kind: 'domain', canonical: 'evil-bank-login.com', level: 1 },
      ]);

      await sg.verdicts.catchUp();
      const phone = sg.verdicts.check('61234599');
      assert.equal(phone.verdict.level, 'suspicious');
      assert.equal(phone.verdict.reasons[0]?.code, 'FEED_SUSPICIOUS');
      assert.equal(phone.verdict.reasons[0]?.source, 'police-csv');
      // A listed domain covers its whole site; a listed link on a shortener covers that link only.
      const site = sg.verdicts.check('https://secure.evil-bank-login.com/otp', 'url');
      assert.equal(site.verdict.level, 'suspicious');
      assert.equal(site.verdict.reasons[0]?.covers, 'evil-bank-login.com/');
      assert.equal(sg.verdicts.check('https://bit.ly/abc123', 'url').verdict.level, 'suspicious');
      assert.equal(sg.verdicts.check('https://bit.ly/other1', 'url').verdict.level, 'no_record');
      assert.equal(sg.verdicts.check('https://parcel-hk-redelivery.top/other', 'url').verdict.level, 'no_record');
    });

    it('does not count the header row of a CSV feed as a record', async () => {
      const file = join(dir, 'header-only.csv');
      writeFileSync(file, 'kind,value\nphone,+852 6123 4598\n');
      const summary = await importFeed(sg.db, file, 'header-count', { region: 'HK', rejectsPath: join(dir, 'header-only.rejects.jsonl'), level: 'suspicious' });
      assert.equal(summary.stored, 1);
      assert.equal(summary.records, 1, 'the header was counted as a record');
    });

    it('rejects a bare shared host on a line of a plain feed with SHARED_HOST, and skips comments and blank lines', async () => {
      const file = join(dir, 'plain-feed.txt');
      writeFileSync(file, ['# shorteners and phishing sites', 'bit.ly', '', 'fake-octopus-refund.top', 'x.vercel.app', 'https://x.vercel.app/login'].join('\n') + '\n');
      const rejectsPath = join(dir, 'plain-feed.rejects.jsonl');
      const summary = await importFeed(sg.db, file, 'plain', { region: 'HK', rejectsPath, level: 'high_risk' });
      assert.deepEqual(readRejects(rejectsPath).map((r) => [r.line, r.code]), [
        [2, 'SHARED_HOST'],
        [5, 'SHARED_HOST'],
      ]);
      assert.deepEqual({ ...summary, seconds: 0 }, { records: 4, stored: 2, alreadyPresent: 0, duplicates: 0, rejected: 2, seconds: 0 });
      const keys = (await sg.db.selectFrom('feed_entries').select('evidence_key').where('feed', '=', 'plain').execute()).map((r) => r.evidence_key).sort();
      assert.deepEqual(keys, ['urle:x.vercel.app/login', 'urlx:fake-octopus-refund.top/']);
      await sg.verdicts.catchUp();
      assert.equal(sg.verdicts.check('https://bit.ly/anything1', 'url').verdict.level, 'no_record');
      assert.equal(sg.verdicts.check('https://www.fake-octopus-refund.top/a', 'url').verdict.level, 'high_risk');
    });
  });

  describe(`incremental evidence equals recomputed evidence (${engine})`, () => {
    let sg: Sg;
    let dir: string;

    before(async () => {
      sg = await openTestScamgraph(engine, { loadIndex: false });
      dir = mkdtempSync(join(tmpdir(), 'scamgraph-import-evidence-'));
    });
    after(async () => {
      await sg?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('keeps the evidence table equal to what refreshEvidence recomputes, after imports with shared reporters and repeats', async () => {
      const options = { count: 3000, seed: 33, reporterShare: 0.5, repeatShare: 0.05, idPrefix: 'ev-' };
      const generated = await writeReports(join(dir, 'a.jsonl'), options);
      assert.ok(generated.repeats > 50 && generated.withReporter > 1000);
      const a = await importReports(sg.db, sg.secrets, join(dir, 'a.jsonl'), 'equivalence', { region: 'HK', rejectsPath: join(dir, 'a.rejects.jsonl'), batchSize: 400 });
      assert.deepEqual({ ...a, seconds: 0 }, { records: 3000, stored: 3000, alreadyPresent: 0, duplicates: generated.repeats, rejected: 0, seconds: 0 });
      // The same content again under new ids: what carried a reporter is a repeat now, the rest counts anew.
      const again = take(generateReports({ ...options, idPrefix: 'again-' }), 600);
      const firstOfA = [...generateReports(options)];
      assert.deepEqual(again.map((r) => r.narrative), firstOfA.slice(0, 600).map((r) => r.narrative));
      writeJsonl(join(dir, 'b.jsonl'), again);
      const b = await importReports(sg.db, sg.secrets, join(dir, 'b.jsonl'), 'equivalence', { region: 'HK', rejectsPath: join(dir, 'b.rejects.jsonl'), batchSize: 128 });
      assert.equal(b.stored, 600);
      assert.equal(b.duplicates, again.filter((r) => r.reporter !== undefined).length);

      // An independent model of the same evidence.
      const model = modelEvidence([...firstOfA, ...again]);
      const incremental = await sg.db.selectFrom('evidence').selectAll().orderBy('key').execute();
      assert.deepEqual(incremental.map((r) => r.key).sort(), [...model.entries.keys()].sort());
      const mismatches = incremental.filter((row) => {
        const e = model.entries.get(row.key)!;
        return row.report_count !== e.reporters.size || row.first_seen?.getTime() !== e.first || row.last_report?.getTime() !== e.last || row.scam_types !== e.scamTypes;
      });
      assert.deepEqual(mismatches.slice(0, 3), []);
      assert.ok(incremental.some((r) => r.report_count >= 30));

      // And what refreshEvidence recomputes from scratch, in a transaction rolled back afterwards.
      const before = await evidenceRows(sg.db);
      const keys = (await sql<{ key: string }>`SELECT evidence_key AS key FROM report_evidence UNION SELECT key FROM evidence`.execute(sg.db)).rows.map((r) => r.key);
      assert.equal(keys.length, before.length);
      const rollback = new Error('rollback');
      let recomputed: string[] = [];
      let changed = -1;
      await assert.rejects(
        sg.db.transaction().execute(async (trx) => {
          changed = await refreshEvidence(trx, keys, { policy: DEFAULT_VERDICT_POLICY, now: Date.now() / 1000 });
          recomputed = await evidenceRows(trx);
          throw rollback;
        }),
        (error) => error === rollback,
      );
      assert.equal(changed, 0, 'refreshEvidence found entries whose incremental evidence was wrong');
      // The verdict clock's time may stay earlier than recomputed (new reports only push a lapse later: the
      // clock then wakes early and stores the later time), never later: no lapse is missed.
      const clockless = (rows: string[]) => rows.map((r) => JSON.stringify({ ...JSON.parse(r), next_change_at: undefined }));
      assert.deepEqual(clockless(recomputed), clockless(before));
      const later = before.filter((row, i) => JSON.parse(row).next_change_at > JSON.parse(recomputed[i]!).next_change_at);
      assert.deepEqual(later, []);
      assert.ok(before.some((row, i) => JSON.parse(row).next_change_at < JSON.parse(recomputed[i]!).next_change_at), 'no time was kept: the case is not tested');
      assert.deepEqual(await evidenceRows(sg.db), before);
    });
  });
}

function take<T>(items: Iterable<T>, n: number): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (out.length === n) break;
    out.push(item);
  }
  return out;
}

async function extractedCount(db: Db): Promise<number> {
  const row = await db.selectFrom('report_indicators').select((eb) => eb.fn.countAll<number>().as('n')).where('extracted', '=', true).executeTakeFirstOrThrow();
  return Number(row.n);
}
