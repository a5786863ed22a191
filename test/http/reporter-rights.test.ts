import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { assertRefused, freshAddress } from '../helpers/http.js';

// The reporter's rights with the private status link (issue 17): see everything held, download it, correct
// the contact, withdraw. A withdrawal leaves nothing of the report in any table, nothing of it in clear in
// the audit log, and the verdict of a value it alone named goes back to no_record.

interface Receipt {
  reference: string;
  statusToken: string;
}
interface Held {
  reference: string;
  narrative: string;
  contact: { name?: string; email?: string; phone?: string } | null;
  indicators: { kind: string; canonical: string; role: string | null }[];
  accesses: { reads: number; contactReads: number };
  legalHold: boolean;
  retention: { contactUntil: string | null; narrativeUntil: string; fingerprintUntil: string };
  statusText: { en: string; 'zh-Hant': string };
}

const NARRATIVE = 'A man called Tony Lam said he was from the bank and asked me to move my savings.';
const EMAIL = 'chan.tai.man@example.com';

/** Every row of every table, by table, as text. */
async function rowsByTable(sg: Scamgraph): Promise<Map<string, string[]>> {
  const tables = await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`.execute(sg.db);
  const out = new Map<string, string[]>();
  for (const { name } of tables.rows) out.set(name, (await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(name)} t`.execute(sg.db)).rows.map((r) => r.row));
  return out;
}

const MINE = { scamType: 'impersonating_customer_service', channel: 'call', narrative: NARRATIVE, indicators: [{ value: '+852 6123 7001', role: 'caller' }, { value: '+852 6123 7002', role: 'caller' }], contact: { email: EMAIL, consent: true } };

for (const engine of ENGINES) {
  describe(`the reporter's rights (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let mine: Receipt;
    let officer: string;

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      await sg.auth.addUser('rights-officer', 'a-long-password-123', 'officer');
      officer = (await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: freshAddress(), payload: { username: 'rights-officer', password: 'a-long-password-123' } })).json().token as string;
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        remoteAddress: freshAddress(),
        payload: MINE,
      });
      assert.equal(res.statusCode, 201, res.body);
      mine = res.json() as Receipt;
      // Someone else reported the second number too.
      await app.inject({ method: 'POST', url: '/api/v1/reports', remoteAddress: freshAddress(), payload: { scamType: 'other', channel: 'call', narrative: 'Same caller', indicators: [{ value: '+852 6123 7002', role: 'caller' }] } });
      const read = await app.inject({ method: 'POST', url: `/api/v1/officer/reports/${mine.reference}/contact`, headers: { authorization: `Bearer ${officer}` }, payload: { reason: 'calling Mr Chan Tai Man back about the bank call' } });
      assert.equal(read.statusCode, 200, read.body);
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const call = (path: string, token = mine.statusToken, payload?: object) =>
      app.inject({ method: payload === undefined ? 'GET' : 'POST', url: `/api/v1/reports/status/${mine.reference}${path}`, remoteAddress: freshAddress(), headers: { 'x-status-token': token }, ...(payload === undefined ? {} : { payload }) });

    it('shows the reporter everything held about the report, as JSON they can download', async () => {
      const res = await call('/data');
      assert.equal(res.statusCode, 200, res.body);
      const held = res.json() as Held;
      assert.equal(held.narrative, NARRATIVE);
      assert.deepEqual(held.contact, { email: EMAIL });
      assert.deepEqual(held.indicators.map((i) => i.canonical).sort(), ['+85261237001', '+85261237002']);
      assert.equal(held.accesses.contactReads, 1, 'the officer’s reading of the contact is shown');
      assert.equal(held.legalHold, false);
      assert.equal(held.retention.contactUntil, null, 'an open report’s contact has no end date yet');
      assert.match(held.retention.narrativeUntil, /^\d{4}-\d\d-\d\d$/);
      assert.match(held.statusText['zh-Hant'], /\p{Script=Han}/u);
    });

    it('refuses a wrong token exactly as an unknown reference', async () => {
      const wrong = await call('/data', 'x'.repeat(32));
      const unknown = await app.inject({ url: '/api/v1/reports/status/SG-0000-0000-0000/data', remoteAddress: freshAddress(), headers: { 'x-status-token': mine.statusToken } });
      assertRefused(wrong, 'NOT_FOUND');
      assert.equal(wrong.body, unknown.body);
      assertRefused(await app.inject({ url: `/api/v1/reports/status/${mine.reference}/data`, remoteAddress: freshAddress() }), 'NOT_FOUND');
      assertRefused(await call('/withdraw', 'x'.repeat(32), { confirm: true }), 'NOT_FOUND');
    });

    it('lets the reporter correct their contact details', async () => {
      const res = await call('/contact', mine.statusToken, { contact: { name: 'Chan Tai Man', phone: '+852 6000 0000' } });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(((await call('/data')).json() as Held).contact, { name: 'Chan Tai Man', phone: '+852 6000 0000' });
      const audit = await sg.db.selectFrom('audit_log').select(['actor', 'details']).where('action', '=', 'report.contact_corrected').execute();
      assert.deepEqual(audit.map((a) => a.actor), ['reporter']);
    });

    let repeat = '';
    it('refuses to withdraw a report under a legal hold, or one whose repeat is held, erasing nothing', async () => {
      await sg.retention.hold('user:rights-officer', mine.reference, '2099-12-31', 'open case');
      assertRefused(await call('/withdraw', mine.statusToken, { confirm: true }), 'REPORT_HELD');
      assert.equal(((await call('/data')).json() as Held).legalHold, true);
      await sg.retention.lift('user:rights-officer', mine.reference, 'case closed');
      // The same reporter sends the same report again: a repeat, which a withdrawal erases with it.
      const again = await app.inject({ method: 'POST', url: '/api/v1/reports', remoteAddress: freshAddress(), payload: MINE });
      assert.equal(again.statusCode, 201, again.body);
      repeat = (again.json() as Receipt).reference;
      const row = await sg.db.selectFrom('reports').select('duplicate_of').where('reference', '=', repeat).executeTakeFirstOrThrow();
      assert.notEqual(row.duplicate_of, null, 'a repeat of mine');
      const read = await app.inject({ method: 'POST', url: `/api/v1/officer/reports/${repeat}/contact`, headers: { authorization: `Bearer ${officer}` }, payload: { reason: 'calling Mr Chan Tai Man back about the repeat' } });
      assert.equal(read.statusCode, 200, read.body);
      await sg.retention.hold('user:rights-officer', repeat, '2099-12-31', 'open case on the repeat');
      assertRefused(await call('/withdraw', mine.statusToken, { confirm: true }), 'REPORT_HELD');
      await sg.retention.lift('user:rights-officer', repeat, 'case closed');
    });

    it('a withdrawal erases the report from every table, keeps nothing of it in clear in the audit log, and the verdicts follow', async () => {
      assert.equal(sg.verdicts.check('+852 6123 7001', undefined, { exact: true }).verdict.level, 'suspicious');
      const shared = sg.verdicts.check('+852 6123 7002', undefined, { exact: true }).verdict.reportCount;
      const before = await rowsByTable(sg);
      const res = await call('/withdraw', mine.statusToken, { confirm: true });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(sg.verdicts.check('+852 6123 7001', undefined, { exact: true }).verdict.level, 'no_record', 'a value this report alone named has no record');
      assert.equal(sg.verdicts.check('+852 6123 7002', undefined, { exact: true }).verdict.reportCount, shared - 1);

      const after = await rowsByTable(sg);
      // What must be gone: the report's reference (outside the audit log's subjects), its story, the contact, the officer's reason.
      const traces = [mine.reference, 'Tony Lam', EMAIL, 'Chan Tai Man', '6000 0000', 'calling Mr Chan'];
      const found: string[] = [];
      for (const [table, rows] of after) {
        for (const row of rows) {
          for (const trace of traces) {
            if (!row.includes(trace)) continue;
            // The audit log keeps its rows (the chain) with the report's reference as their subject, and its
            // destroyed key's row names that subject: never what was said.
            if ((table === 'audit_log' || table === 'audit_subject_keys') && trace === mine.reference) continue;
            found.push(`${table}: ${trace}`);
          }
        }
      }
      assert.deepEqual(found, []);
      // The tables that held something of it, each now without it.
      const heldIt = [...before].filter(([table, rows]) => table !== 'audit_log' && table !== 'audit_subject_keys' && rows.some((r) => r.includes(mine.reference) || r.includes(NARRATIVE))).map(([t]) => t).sort();
      assert.deepEqual(heldIt, ['reports']);
      assert.ok((before.get('reporter_contacts')?.length ?? 0) > (after.get('reporter_contacts')?.length ?? 0));
      assert.ok((before.get('report_indicators')?.length ?? 0) > (after.get('report_indicators')?.length ?? 0));
      assert.ok((before.get('report_evidence')?.length ?? 0) > (after.get('report_evidence')?.length ?? 0));
      // The status link no longer opens anything; the audit chain still verifies.
      assertRefused(await call('/data'), 'NOT_FOUND');
      const actions = (await sg.db.selectFrom('audit_log').select('action').where('subject', '=', mine.reference).orderBy('seq').execute()).map((a) => a.action);
      assert.ok(actions.includes('audit.shred') && actions.at(-1) === 'report.withdrawn', actions.join());
      // The officer's reason about the repeat is shredded too: its subject's key is gone.
      const repeatActions = (await sg.db.selectFrom('audit_log').select('action').where('subject', '=', repeat).orderBy('seq').execute()).map((a) => a.action);
      assert.ok(repeatActions.includes('audit.shred'), repeatActions.join());
      assert.equal((await sg.audit.verify()).broken, null);
    });
  });
}
