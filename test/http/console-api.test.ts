import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { computeTrends } from '../../src/modules/reports/trends.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, assertRefused, bearer, freshAddress, login } from '../helpers/http.js';

// What the console and the public tips page need beyond the hub: bulk actions on ticked reports, a value's
// page (evidence, reports, correlation, history), user management by admins, and the public trends with
// small counts suppressed.

const CALLER = '+852 6555 0101';

for (const engine of ENGINES) {
  describe(`console API (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let admin: string;
    let officer: string;
    const references: string[] = [];

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
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

    it('admins add users, change roles and disable them (their sessions end at once), with a reason; audited; never themselves', async () => {
      const added = await call('POST', '/api/v1/officer/users', admin, { username: 'new-analyst', password: 'a long enough password', role: 'analyst' });
      assert.deepEqual(added.json(), { username: 'new-analyst', role: 'analyst' });
      assertRefused(await call('POST', '/api/v1/officer/users', admin, { username: 'new-analyst', password: 'a long enough password', role: 'officer' }), 'USER_EXISTS');
      const analyst = await login(app, 'new-analyst', 'a long enough password');
      assertRefused(await call('POST', '/api/v1/officer/reports/bulk/triage', analyst, { references }), 'FORBIDDEN');

      const promoted = await call('POST', '/api/v1/officer/users/new-analyst', admin, { role: 'officer', reason: 'Joined the triage team' });
      assert.deepEqual(promoted.json(), { username: 'new-analyst', role: 'officer', disabled: false });
      assert.equal((await call('GET', '/api/v1/officer/queue', analyst)).statusCode, 401, 'a new role ends the old sessions');
      const asOfficer = await login(app, 'new-analyst', 'a long enough password');
      assert.equal((await call('GET', '/api/v1/officer/queue', asOfficer)).statusCode, 200);

      const disabled = await call('POST', '/api/v1/officer/users/new-analyst', admin, { disabled: true, reason: 'Left the unit' });
      assert.deepEqual(disabled.json(), { username: 'new-analyst', role: 'officer', disabled: true });
      assert.equal((await call('GET', '/api/v1/officer/queue', asOfficer)).statusCode, 401, 'disabling ends the sessions');
      const refused = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: freshAddress(), payload: { username: 'new-analyst', password: 'a long enough password' } });
      assertRefused(refused, 'INVALID_CREDENTIALS');

      assertRefused(await call('POST', '/api/v1/officer/users/head-admin', admin, { role: 'analyst', reason: 'Stepping down' }), 'SELF_CHANGE');
      assertRefused(await call('POST', '/api/v1/officer/users/new-analyst', officer, { disabled: false, reason: 'Not my call' }), 'FORBIDDEN');

      const users = (await call('GET', '/api/v1/officer/users', admin)).json().users as { username: string; role: string; disabledAt: string | null; activeSessions: number }[];
      assert.deepEqual(users.map((u) => [u.username, u.role, u.disabledAt !== null, u.activeSessions]), [
        ['duty-officer', 'officer', false, 1],
        ['head-admin', 'admin', false, 1],
        ['new-analyst', 'officer', true, 0],
      ]);
      const audit = await sg.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details']).where('action', 'like', 'user.%').orderBy('seq').execute();
      assert.deepEqual(audit.map((a) => [a.actor, a.action, a.subject, (a.details as { reason?: string }).reason]), [
        ['user:head-admin', 'user.add', 'user:new-analyst', undefined],
        ['user:head-admin', 'user.update', 'user:new-analyst', 'Joined the triage team'],
        ['user:head-admin', 'user.update', 'user:new-analyst', 'Left the unit'],
      ]);
    });

    it('public trends: reports per type this week and last, a count under 10 never published', async () => {
      const submit = async (scamType: string, i: number): Promise<void> => {
        const res = await app.inject({ method: 'POST', url: '/api/v1/reports', remoteAddress: freshAddress(), payload: { scamType, channel: 'sms', narrative: `Trend report ${scamType} ${i}`, indicators: [{ value: `+852 6700 ${String(1000 + i)}` }] } });
        assert.equal(res.statusCode, 201, res.body);
      };
      for (let i = 0; i < 24; i += 1) await submit('phishing_courier', i);
      for (let i = 0; i < 9; i += 1) await submit('rental', 100 + i);
      // Half the courier reports arrived 8 days ago: last week's window.
      const courier = await sg.db.selectFrom('reports').select('id').where('scam_type', '=', 'phishing_courier').orderBy('id').limit(12).execute();
      await sg.db.updateTable('reports').set({ received_at: new Date(Date.now() - 8 * 86_400_000) }).where('id', 'in', courier.map((r) => r.id)).execute();

      const now = (await computeTrends(sg.db, new Date())).types.map((t) => [t.scamType, t.recent, t.previous]);
      assert.deepEqual(now, [['phishing_courier', 12, 12]], 'rental (9) and officials (3) are under 10: not published');
      const res = await app.inject({ method: 'GET', url: '/api/v1/trends' });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().smallestPublished, 10);
      assert.ok(res.json().types.every((t: { recent: number; previous: number | null }) => t.recent >= 10 && (t.previous === null || t.previous >= 10)));
      const tips = (await app.inject({ method: 'GET', url: '/api/v1/tips' })).json().tips;
      assert.match(tips.phishing_courier.tips[0]['zh-Hant'], /速遞/);
      assert.equal(Object.keys(tips).length, Object.keys((await app.inject({ method: 'GET', url: '/api/v1/taxonomy' })).json().scamTypes).length, 'tips for every scam type');
    });
  });
}
