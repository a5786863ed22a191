import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { PRINCIPAL_CACHE_MS } from '../../src/http/principal.js';
import type { Scamgraph } from '../../src/main.js';
import { computeTrends } from '../../src/modules/reports/trends.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, assertRefused, bearer, freshAddress, login } from '../helpers/http.js';
import { openApiDocument, recordAnswers, undocumentedAnswers } from '../helpers/openapi.js';
import { readableAuditRows } from '../../src/modules/audit/audit.repository.js';

// What the console and the public tips page need beyond the hub: bulk actions on ticked reports, a value's
// page (evidence, reports, correlation, history), user management by admins, and the public trends with
// small counts suppressed.

const CALLER = '+852 6555 0101';

for (const engine of ENGINES) {
  describe(`console API (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    /** Every route and status answered in this suite, checked against the API document at the end. */
    let answers: Set<string>;
    let admin: string;
    let officer: string;
    const references: string[] = [];

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      answers = recordAnswers(app);
      await sg.auth.addUser('head-admin', PASSWORD, 'admin');
      await sg.auth.addUser('duty-officer', PASSWORD, 'officer');
      admin = await login(app, 'head-admin');
      officer = await login(app, 'duty-officer');
      for (const narrative of ['First call', 'Second call', 'Third call']) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/reports', remoteAddress: freshAddress(), payload: { scamType: 'impersonating_officials', channel: 'call', narrative, indicators: [{ value: CALLER, role: 'caller' }] } });
        assert.equal(res.statusCode, 201, res.body);
        references.push((res.json() as { reference: string }).reference);
      }
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const call = (method: 'GET' | 'POST', url: string, token: string, payload?: object) => app.inject({ method, url, headers: bearer(token), ...(payload === undefined ? {} : { payload }) });
    const statuses = async () => (await sg.db.selectFrom('reports').select(['reference', 'status']).orderBy('id').execute()).map((r) => r.status);

    it('bulk triage and close act on the ticked reports in one transaction, one audit row each; an unknown one changes nothing', async () => {
      const unknown = await call('POST', '/api/v1/officer/reports/bulk/triage', officer, { references: [references[0], 'SG-ZZZZ-ZZZZ-ZZZZ'] });
      assertRefused(unknown, 'NOT_FOUND');
      assert.match(unknown.json().error.message, /SG-ZZZZ-ZZZZ-ZZZZ/);
      assert.deepEqual(await statuses(), ['new', 'new', 'new']);

      const triaged = await call('POST', '/api/v1/officer/reports/bulk/triage', officer, { references: [references[0], references[1], references[1]] });
      assert.deepEqual(triaged.json(), { reports: 2 });
      assert.deepEqual(await statuses(), ['triaged', 'triaged', 'new']);
      // Referral of a ticked report, and of one report on its own: a referral each, not marked as a cluster's.
      const referred = await call('POST', '/api/v1/officer/reports/bulk/refer', officer, { references: [references[0]], target: { kind: 'partner', name: 'Telco abuse desk' }, reason: 'Caller line to suspend' });
      assert.deepEqual(referred.json(), { reports: 1 });
      const single = await call('POST', `/api/v1/officer/reports/${references[2]}/refer`, officer, { target: { kind: 'unit', name: 'Cyber unit' }, reason: 'Same caller' });
      assert.deepEqual(single.json(), { status: 'referred' });
      const referrals = await sg.db.selectFrom('referrals as f').innerJoin('reports as r', 'r.id', 'f.report_id').select(['r.reference', 'f.target_kind', 'f.target', 'f.cluster_id']).orderBy('f.id').execute();
      assert.deepEqual(referrals.map((f) => [f.reference, f.target_kind, f.target, f.cluster_id]), [
        [references[0], 'partner', 'Telco abuse desk', null],
        [references[2], 'unit', 'Cyber unit', null],
      ]);
      assert.deepEqual(await statuses(), ['referred', 'triaged', 'referred']);
      const closed = await call('POST', '/api/v1/officer/reports/bulk/close', officer, { references, outcome: 'action_taken', reason: 'Caller line suspended by the telco' });
      assert.deepEqual(closed.json(), { reports: 3 });
      const again = await call('POST', '/api/v1/officer/reports/bulk/close', officer, { references, outcome: 'action_taken', reason: 'Closed twice' });
      assert.deepEqual(again.json(), { reports: 0 }, 'closed reports are skipped, not closed again');
      const audit = await sg.db.selectFrom('audit_log').select(['action', 'subject']).where('action', 'in', ['report.triage', 'report.close']).orderBy('seq').execute();
      assert.deepEqual(audit.map((a) => `${a.action} ${a.subject}`), [
        `report.triage ${references[0]}`,
        `report.triage ${references[1]}`,
        `report.close ${references[0]}`,
        `report.close ${references[1]}`,
        `report.close ${references[2]}`,
      ]);
    });

    it("a value's page: evidence, the reports naming it, its cluster, and the history of decisions about it", async () => {
      assert.equal((await call('POST', '/api/v1/officer/indicators/decision', officer, { value: CALLER, level: 'high_risk', reason: 'Three victims, same script' })).statusCode, 200);
      assert.equal((await call('POST', '/api/v1/officer/indicators/correlation', officer, { value: CALLER, correlate: false, reason: 'Spoofed caller ID' })).statusCode, 200);
      const res = await call('GET', `/api/v1/officer/indicators/profile?value=${encodeURIComponent(CALLER)}`, officer);
      assert.equal(res.statusCode, 200, res.body);
      const page = res.json();
      assert.equal(page.check.verdict.level, 'high_risk');
      assert.deepEqual(
        page.entries.map((e: { entry: string; reportCount: number; decision: { level: string; reason: string; by: string } }) => [e.entry, e.reportCount, e.decision.level, e.decision.reason, e.decision.by]),
        [['phone:+85265550101', 3, 'high_risk', 'Three victims, same script', 'user:duty-officer']],
      );
      assert.equal(page.reportTotal, 3);
      assert.deepEqual(page.reports.map((r: { reference: string }) => r.reference).sort(), [...references].sort());
      assert.deepEqual([page.correlation.key, page.correlation.excluded.reason], ['phone:+85265550101', 'Spoofed caller ID']);
      assert.deepEqual(page.history.map((h: { action: string }) => h.action), ['correlation.exclude', 'indicator.decide'], 'newest first');

      const unknown = (await call('GET', `/api/v1/officer/indicators/profile?value=${encodeURIComponent('+852 6555 0199')}`, officer)).json();
      assert.deepEqual([unknown.check.verdict.level, unknown.entries, unknown.reportTotal, unknown.history], ['no_record', [], 0, []]);
    });

    it('admins add users, change roles and disable them (their sessions end within a second), with a reason; audited; never themselves', async () => {
      const added = await call('POST', '/api/v1/officer/users', admin, { username: 'new-analyst', password: 'a long enough password', role: 'analyst' });
      assert.deepEqual(added.json(), { username: 'new-analyst', role: 'analyst' });
      assertRefused(await call('POST', '/api/v1/officer/users', admin, { username: 'new-analyst', password: 'a long enough password', role: 'officer' }), 'USER_EXISTS');
      const analyst = await login(app, 'new-analyst', 'a long enough password');
      assertRefused(await call('POST', '/api/v1/officer/reports/bulk/triage', analyst, { references }), 'FORBIDDEN');

      const promoted = await call('POST', '/api/v1/officer/users/new-analyst', admin, { role: 'officer', reason: 'Joined the triage team' });
      assert.deepEqual(promoted.json(), { username: 'new-analyst', role: 'officer', disabled: false });
      await delay(PRINCIPAL_CACHE_MS); // a signed-in caller is believed for at most this long without asking again
      assert.equal((await call('GET', '/api/v1/officer/queue', analyst)).statusCode, 401, 'a new role ends the old sessions');
      const asOfficer = await login(app, 'new-analyst', 'a long enough password');
      assert.equal((await call('GET', '/api/v1/officer/queue', asOfficer)).statusCode, 200);

      const disabled = await call('POST', '/api/v1/officer/users/new-analyst', admin, { disabled: true, reason: 'Left the unit' });
      assert.deepEqual(disabled.json(), { username: 'new-analyst', role: 'officer', disabled: true });
      await delay(PRINCIPAL_CACHE_MS);
      assert.equal((await call('GET', '/api/v1/officer/queue', asOfficer)).statusCode, 401, 'disabling ends the sessions');
      const refused = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: freshAddress(), payload: { username: 'new-analyst', password: 'a long enough password' } });
      assertRefused(refused, 'INVALID_CREDENTIALS');

      assertRefused(await call('POST', '/api/v1/officer/users/head-admin', admin, { role: 'analyst', reason: 'Stepping down' }), 'SELF_CHANGE');
      assertRefused(await call('POST', '/api/v1/officer/users/new-analyst', officer, { disabled: false, reason: 'Not my call' }), 'FORBIDDEN');

      // An admin demoted after signing in no longer acts as one, even with a request already under way.
      const demotedMeanwhile = { id: 0, username: 'duty-officer', role: 'admin' as const };
      await assert.rejects(sg.auth.updateUser(demotedMeanwhile, 'new-analyst', { disabled: false }, 'Stale admin'), { code: 'FORBIDDEN' });

      const users = (await call('GET', '/api/v1/officer/users', admin)).json().users as { username: string; role: string; disabledAt: string | null; activeSessions: number }[];
      assert.deepEqual(users.map((u) => [u.username, u.role, u.disabledAt !== null, u.activeSessions]), [
        ['duty-officer', 'officer', false, 1],
        ['head-admin', 'admin', false, 1],
        ['new-analyst', 'officer', true, 0],
      ]);
      // Two admins demoting each other at the same moment: one change goes through, the other finds its own
      // admin role gone; neither deadlocks (on PostgreSQL the two transactions really overlap).
      await sg.auth.addUser('second-admin', PASSWORD, 'admin');
      const head = { id: 0, username: 'head-admin', role: 'admin' as const };
      const second = { id: 0, username: 'second-admin', role: 'admin' as const };
      const outcomes = await Promise.allSettled([
        sg.auth.updateUser(head, 'second-admin', { role: 'officer' }, 'Crossed demotion'),
        sg.auth.updateUser(second, 'head-admin', { role: 'officer' }, 'Crossed demotion'),
      ]);
      assert.deepEqual(outcomes.map((o) => (o.status === 'fulfilled' ? 'done' : (o.reason as { code: string }).code)).sort(), ['FORBIDDEN', 'done']);
      assert.equal((await sg.db.selectFrom('users').select('username').where('role', '=', 'admin').execute()).length, 1);

      const audit = await readableAuditRows(sg.db, sg.secrets.auditKey, await sg.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details']).where('action', 'like', 'user.%').where('subject', '=', 'user:new-analyst').orderBy('seq').execute());
      assert.deepEqual(audit.map((a) => [a.actor, a.action, a.subject, (a.details as { reason?: string }).reason]), [
        ['user:head-admin', 'user.add', 'user:new-analyst', undefined],
        ['user:head-admin', 'user.update', 'user:new-analyst', 'Joined the triage team'],
        ['user:head-admin', 'user.update', 'user:new-analyst', 'Left the unit'],
      ]);
    });

    it('public trends: people reporting each type in the 7 whole days before today and the 7 before; under 10 never published, others rounded down to 5', async () => {
      const submit = async (scamType: string, i: number, address = freshAddress()): Promise<number> => {
        const res = await app.inject({ method: 'POST', url: '/api/v1/reports', remoteAddress: address, payload: { scamType, channel: 'sms', narrative: `Trend report ${scamType} ${i}`, indicators: [{ value: `+852 6700 ${String(1000 + i)}` }] } });
        assert.equal(res.statusCode, 201, res.body);
        return (await sg.db.selectFrom('reports').select('id').where('reference', '=', (res.json() as { reference: string }).reference).executeTakeFirstOrThrow()).id;
      };
      const daysAgo = async (ids: number[], days: number) => {
        await sg.db.updateTable('reports').set({ received_at: new Date(Date.now() - days * 86_400_000) }).where('id', 'in', ids).execute();
      };
      const courier: number[] = [];
      for (let i = 0; i < 13; i += 1) courier.push(await submit('phishing_courier', i));
      await daysAgo(courier, 3);
      const earlier: number[] = [];
      for (let i = 0; i < 12; i += 1) earlier.push(await submit('phishing_courier', 20 + i));
      await daysAgo(earlier, 9);
      // Rental: 14 reports from 9 people (one of them sent 6): under 10.
      const rental: number[] = [];
      for (let i = 0; i < 8; i += 1) rental.push(await submit('rental', 100 + i));
      for (let i = 0; i < 6; i += 1) rental.push(await submit('rental', 200 + i, '10.77.0.1'));
      // Loan: 11 people, but 2 of the reports were closed as not a scam: 9.
      const loan: number[] = [];
      for (let i = 0; i < 11; i += 1) loan.push(await submit('loan', 300 + i));
      await sg.db.updateTable('reports').set({ status: 'closed', outcome: 'not_a_scam' }).where('id', 'in', loan.slice(0, 2)).execute();
      await daysAgo([...rental, ...loan], 2);
      await submit('phishing_courier', 999); // today: not in a window until tomorrow

      const trends = await computeTrends(sg.db, new Date());
      assert.deepEqual(trends.types.map((t) => [t.scamType, t.recent, t.previous]), [['phishing_courier', 10, 10]], '13 and 12 people round down to 10; rental (9 people) and loan (9 after exclusions) are not published');
      assert.equal(trends.until, new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000).toISOString());
      const res = await app.inject({ method: 'GET', url: '/api/v1/trends' });
      assert.equal(res.statusCode, 200);
      assert.deepEqual([res.json().smallestPublished, res.json().roundedTo], [10, 5]);
      assert.ok(res.json().types.every((t: { recent: number; previous: number | null }) => t.recent >= 10 && t.recent % 5 === 0 && (t.previous === null || (t.previous >= 10 && t.previous % 5 === 0))));
      const tips = (await app.inject({ method: 'GET', url: '/api/v1/tips' })).json().tips as { scamType: string; label: { en: string }; tips: { 'zh-Hant': string }[] }[];
      const courierTips = tips.find((t) => t.scamType === 'phishing_courier')!;
      assert.deepEqual([courierTips.label.en, /速遞/.test(courierTips.tips[0]!['zh-Hant'])], ['Phishing (courier)', true]);
      assert.deepEqual(tips.map((t) => t.scamType), Object.keys((await app.inject({ method: 'GET', url: '/api/v1/taxonomy' })).json().scamTypes), 'tips for every scam type, in the taxonomy order');
    });

    it('answered with no status the API document does not list for the route', async () => {
      assert.deepEqual(undocumentedAnswers(await openApiDocument(app), answers), []);
    });
  });
}
