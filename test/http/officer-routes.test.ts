import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import type { Role } from '../../src/modules/auth/auth.service.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, assertRefused, bearer, countRows, freshAddress, login, registeredRoutes } from '../helpers/http.js';
import { openApiDocument, recordAnswers, undocumentedAnswers } from '../helpers/openapi.js';

// Officer routes end to end through app.inject(): who may call what, and the flow from reports to verdicts,
// officer decisions, protected entities, reporters' contacts, the audit log and the status page.

const REF = 'SG-AAAA-AAAA-AAAA'; // well-formed; no such report
const ROLE_BELOW: Record<Role, Role | null> = { analyst: null, officer: 'analyst', admin: 'officer' };

interface Guarded {
  method: 'GET' | 'POST';
  path: string;
  role: Role;
  /** A valid request (so that only the token decides), and its status for a user with exactly `role`. */
  url: string;
  payload?: object;
  ok: number;
}

/** The role each route needs. The first test checks it names every officer route. */
const GUARDED: Guarded[] = [
  { method: 'GET', path: '/api/v1/officer/indicators', role: 'analyst', url: '/api/v1/officer/indicators?value=%2B85251234567', ok: 200 },
  { method: 'POST', path: '/api/v1/officer/indicators/decision', role: 'officer', url: '/api/v1/officer/indicators/decision', payload: { value: '+852 5123 4567', level: 'suspicious', reason: 'role check' }, ok: 200 },
  { method: 'GET', path: '/api/v1/officer/protected', role: 'analyst', url: '/api/v1/officer/protected', ok: 200 },
  { method: 'POST', path: '/api/v1/officer/protected', role: 'officer', url: '/api/v1/officer/protected', payload: { value: 'role-check.com.hk', name: 'Role check' }, ok: 200 },
  { method: 'POST', path: '/api/v1/officer/protected/withdraw', role: 'officer', url: '/api/v1/officer/protected/withdraw', payload: { value: 'never-protected.com.hk', how: 'removed', reason: 'role check' }, ok: 404 },
  { method: 'GET', path: '/api/v1/officer/reports/:reference', role: 'analyst', url: `/api/v1/officer/reports/${REF}`, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/contact', role: 'officer', url: `/api/v1/officer/reports/${REF}/contact`, payload: { reason: 'role check' }, ok: 404 },
  { method: 'GET', path: '/api/v1/officer/audit', role: 'admin', url: '/api/v1/officer/audit', ok: 200 },
  { method: 'GET', path: '/api/v1/officer/audit/verify', role: 'admin', url: '/api/v1/officer/audit/verify', ok: 200 },
  { method: 'POST', path: '/api/v1/auth/logout', role: 'analyst', url: '/api/v1/auth/logout', ok: 204 },
  // The hub: triage queue, report work, clusters, correlation, stats.
  { method: 'GET', path: '/api/v1/officer/queue', role: 'analyst', url: '/api/v1/officer/queue', ok: 200 },
  { method: 'GET', path: '/api/v1/officer/reports/:reference/work', role: 'analyst', url: `/api/v1/officer/reports/${REF}/work`, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/triage', role: 'officer', url: `/api/v1/officer/reports/${REF}/triage`, payload: { vulnerable: true }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/notes', role: 'officer', url: `/api/v1/officer/reports/${REF}/notes`, payload: { body: 'role check' }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/refer', role: 'officer', url: `/api/v1/officer/reports/${REF}/refer`, payload: { target: { kind: 'unit', name: 'Cyber unit' }, reason: 'role check' }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/close', role: 'officer', url: `/api/v1/officer/reports/${REF}/close`, payload: { outcome: 'not_a_scam', reason: 'role check' }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/reopen', role: 'officer', url: `/api/v1/officer/reports/${REF}/reopen`, payload: { reason: 'role check' }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/label', role: 'officer', url: `/api/v1/officer/reports/${REF}/label`, payload: { scamType: 'investment' }, ok: 404 },
  { method: 'GET', path: '/api/v1/officer/clusters', role: 'analyst', url: '/api/v1/officer/clusters', ok: 200 },
  { method: 'GET', path: '/api/v1/officer/clusters/:id', role: 'analyst', url: '/api/v1/officer/clusters/999999', ok: 404 },
  { method: 'GET', path: '/api/v1/officer/clusters/:id/reports', role: 'analyst', url: '/api/v1/officer/clusters/999999/reports', ok: 404 },
  { method: 'GET', path: '/api/v1/officer/clusters/:id/graph', role: 'analyst', url: '/api/v1/officer/clusters/999999/graph', ok: 404 },
  { method: 'POST', path: '/api/v1/officer/clusters/:id/triage', role: 'officer', url: '/api/v1/officer/clusters/999999/triage', payload: {}, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/clusters/:id/refer', role: 'officer', url: '/api/v1/officer/clusters/999999/refer', payload: { target: { kind: 'partner', name: 'A bank' }, reason: 'role check' }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/clusters/:id/close', role: 'officer', url: '/api/v1/officer/clusters/999999/close', payload: { outcome: 'duplicate', reason: 'role check' }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/indicators/correlation', role: 'officer', url: '/api/v1/officer/indicators/correlation', payload: { value: '+852 5123 9999', correlate: false, reason: 'role check' }, ok: 200 },
  { method: 'GET', path: '/api/v1/officer/stats', role: 'analyst', url: '/api/v1/officer/stats', ok: 200 },
  { method: 'POST', path: '/api/v1/officer/reports/bulk/triage', role: 'officer', url: '/api/v1/officer/reports/bulk/triage', payload: { references: [REF] }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/reports/bulk/refer', role: 'officer', url: '/api/v1/officer/reports/bulk/refer', payload: { references: [REF], target: { kind: 'unit', name: 'Cyber unit' }, reason: 'role check' }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/reports/bulk/close', role: 'officer', url: '/api/v1/officer/reports/bulk/close', payload: { references: [REF], outcome: 'duplicate', reason: 'role check' }, ok: 404 },
  // The console's indicator page and user management.
  { method: 'GET', path: '/api/v1/officer/indicators/profile', role: 'analyst', url: '/api/v1/officer/indicators/profile?value=%2B85251234567', ok: 200 },
  { method: 'GET', path: '/api/v1/officer/users', role: 'admin', url: '/api/v1/officer/users', ok: 200 },
  { method: 'POST', path: '/api/v1/officer/users', role: 'admin', url: '/api/v1/officer/users', payload: { username: 'role-check-user', password: 'a long enough password', role: 'analyst' }, ok: 200 },
  { method: 'POST', path: '/api/v1/officer/users/:username', role: 'admin', url: '/api/v1/officer/users/no-such-user', payload: { disabled: true, reason: 'role check' }, ok: 404 },
  // One's own account (any signed-in user), and an admin's password reset.
  { method: 'GET', path: '/api/v1/officer/account/sessions', role: 'analyst', url: '/api/v1/officer/account/sessions', ok: 200 },
  { method: 'POST', path: '/api/v1/officer/account/sessions/:id/revoke', role: 'analyst', url: '/api/v1/officer/account/sessions/999999/revoke', ok: 404 },
  { method: 'POST', path: '/api/v1/officer/account/password', role: 'analyst', url: '/api/v1/officer/account/password', payload: { currentPassword: 'not-the-password', newPassword: 'role check password' }, ok: 403 },
  { method: 'POST', path: '/api/v1/officer/users/:username/password-reset', role: 'admin', url: '/api/v1/officer/users/no-such-user/password-reset', payload: { reason: 'role check' }, ok: 404 },
  // Partner organisations and their keys: administrators only.
  { method: 'GET', path: '/api/v1/officer/partners', role: 'admin', url: '/api/v1/officer/partners', ok: 200 },
  { method: 'POST', path: '/api/v1/officer/partners', role: 'admin', url: '/api/v1/officer/partners', payload: { name: 'Role Check Bank', type: 'bank', scopes: ['payee:check'], reason: 'role check' }, ok: 200 },
  { method: 'POST', path: '/api/v1/officer/partners/:id/keys', role: 'admin', url: '/api/v1/officer/partners/999999/keys', payload: { scopes: ['payee:check'], reason: 'role check' }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/partners/:id/keys/:keyId/revoke', role: 'admin', url: '/api/v1/officer/partners/999999/keys/1/revoke', payload: { reason: 'role check' }, ok: 404 },
  { method: 'GET', path: '/api/v1/officer/partners/:id/usage', role: 'admin', url: '/api/v1/officer/partners/999999/usage', ok: 404 },
  { method: 'GET', path: '/api/v1/officer/payee-outcomes', role: 'analyst', url: '/api/v1/officer/payee-outcomes', ok: 200 },
  { method: 'GET', path: '/api/v1/officer/telco-outcomes', role: 'analyst', url: '/api/v1/officer/telco-outcomes', ok: 200 },
  // Legal holds.
  { method: 'GET', path: '/api/v1/officer/holds', role: 'analyst', url: '/api/v1/officer/holds', ok: 200 },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/hold', role: 'officer', url: `/api/v1/officer/reports/${REF}/hold`, payload: { until: '2099-01-01', reason: 'role check' }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/reports/:reference/hold/lift', role: 'officer', url: `/api/v1/officer/reports/${REF}/hold/lift`, payload: { reason: 'role check' }, ok: 200 },
  // Campaigns of forwarded messages, and the SMS sender registry (administrators change it).
  { method: 'GET', path: '/api/v1/officer/campaigns', role: 'analyst', url: '/api/v1/officer/campaigns', ok: 200 },
  { method: 'GET', path: '/api/v1/officer/campaigns/:id', role: 'analyst', url: '/api/v1/officer/campaigns/999999', ok: 404 },
  { method: 'POST', path: '/api/v1/officer/campaigns/:id/share', role: 'officer', url: '/api/v1/officer/campaigns/999999/share', payload: { reason: 'role check' }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/campaigns/:id/withdraw', role: 'officer', url: '/api/v1/officer/campaigns/999999/withdraw', payload: { reason: 'role check' }, ok: 404 },
  { method: 'GET', path: '/api/v1/officer/senders', role: 'analyst', url: '/api/v1/officer/senders', ok: 200 },
  { method: 'POST', path: '/api/v1/officer/senders/import', role: 'admin', url: '/api/v1/officer/senders/import', payload: { csv: 'sender_id,organisation,status,registered_on,expires_on\n#RoleCheck,Role Check Ltd,active,2024-01-01,\n', reason: 'role check' }, ok: 200 },
  { method: 'POST', path: '/api/v1/officer/senders/suspend', role: 'admin', url: '/api/v1/officer/senders/suspend', payload: { senderId: '#Nobody', reason: 'role check' }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/senders/reinstate', role: 'admin', url: '/api/v1/officer/senders/reinstate', payload: { senderId: '#Nobody', reason: 'role check' }, ok: 404 },
  // Disputes (issue 17): analysts read the queue; officers decide and reveal a disputer's contact.
  { method: 'GET', path: '/api/v1/officer/disputes', role: 'analyst', url: '/api/v1/officer/disputes', ok: 200 },
  { method: 'GET', path: '/api/v1/officer/disputes/counts', role: 'analyst', url: '/api/v1/officer/disputes/counts', ok: 200 },
  { method: 'GET', path: '/api/v1/officer/disputes/:reference', role: 'analyst', url: '/api/v1/officer/disputes/DP-AAAA-AAAA-AAAA', ok: 404 },
  { method: 'POST', path: '/api/v1/officer/disputes/:reference/contact', role: 'officer', url: '/api/v1/officer/disputes/DP-AAAA-AAAA-AAAA/contact', payload: { reason: 'role check' }, ok: 404 },
  { method: 'POST', path: '/api/v1/officer/disputes/:reference/decide', role: 'officer', url: '/api/v1/officer/disputes/DP-AAAA-AAAA-AAAA/decide', payload: { decision: 'clear', reason: 'role check' }, ok: 404 },
];

interface Reason {
  code: string;
  covers?: string;
  count?: number;
}
interface Checked {
  kind: string;
  canonical: string;
  verdict: { level: string; reasons: (Reason & { message: { en: string } })[]; reportCount: number; scamTypes: string[] };
  lookalikes: { protected: string }[];
}
interface Submitted {
  reference: string;
  statusToken: string;
  statusUrl: string;
}

const codes = (c: Checked): string[] => c.verdict.reasons.map((r) => r.code);

for (const engine of ENGINES) {
  describe(`officer routes (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    /** Every route and status answered in this suite, checked against the API document at the end. */
    let answers: Set<string>;
    const tokens = {} as Record<Role, string>;
    let loggedOut: string;
    let expired: string;

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      answers = recordAnswers(app);
      for (const role of ['analyst', 'officer', 'admin'] as const) {
        await sg.auth.addUser(`an-${role}`, PASSWORD, role);
        tokens[role] = await login(app, `an-${role}`);
      }
      // Admins, so that only the state of their session can explain a refusal.
      await sg.auth.addUser('gone', PASSWORD, 'admin');
      loggedOut = await login(app, 'gone');
      assert.equal((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(loggedOut) })).statusCode, 204);
      const stale = await sg.auth.addUser('stale', PASSWORD, 'admin');
      expired = await login(app, 'stale');
      await sg.db.updateTable('sessions').set({ expires_at: new Date(Date.now() - 1000) }).where('user_id', '=', stale.id).execute();
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const call = (g: Guarded, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> =>
      app.inject({ method: g.method, url: g.url, headers, ...(g.payload === undefined ? {} : { payload: g.payload }), remoteAddress: freshAddress() });

    async function check(value: string): Promise<Checked> {
      const res = await app.inject({ method: 'GET', url: '/api/v1/check', query: { value } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Checked;
    }

    async function submit(payload: object, remoteAddress = freshAddress()): Promise<Submitted> {
      const res = await app.inject({ method: 'POST', url: '/api/v1/reports', payload, remoteAddress });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as Submitted;
    }

    async function act(role: Role, url: string, payload: object): Promise<unknown> {
      const res = await app.inject({ method: 'POST', url, headers: bearer(tokens[role]), payload });
      assert.equal(res.statusCode, 200, res.body);
      return res.json();
    }

    async function auditRows(): Promise<{ actor: string; action: string; subject: string; details: unknown }[]> {
      const res = await app.inject({ method: 'GET', url: '/api/v1/officer/audit?after=0&limit=1000', headers: bearer(tokens.admin) });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { rows: { actor: string; action: string; subject: string; details: unknown }[] }).rows;
    }

    it('the role table names every officer route, and logout', () => {
      const guarded = registeredRoutes(app).filter((r) => r.startsWith('POST /api/v1/auth/logout') || r.includes(' /api/v1/officer/'));
      assert.deepEqual(GUARDED.map((g) => `${g.method} ${g.path}`).sort(), guarded);
    });

    for (const g of GUARDED) {
      it(`${g.method} ${g.path} needs a live session of ${g.role} or above`, async () => {
        const rowsBefore = await countRows(sg);
        const refused: [string, Record<string, string>, 'UNAUTHENTICATED' | 'FORBIDDEN'][] = [
          ['no token', {}, 'UNAUTHENTICATED'],
          ['a garbage token', { authorization: 'Bearer garbage' }, 'UNAUTHENTICATED'],
          ['a well-formed unknown token', bearer('A'.repeat(43)), 'UNAUTHENTICATED'],
          ['a token without "Bearer"', { authorization: tokens.admin }, 'UNAUTHENTICATED'],
          ['a Basic credential', { authorization: `Basic ${Buffer.from(`an-admin:${PASSWORD}`).toString('base64')}` }, 'UNAUTHENTICATED'],
          ['a logged-out token', bearer(loggedOut), 'UNAUTHENTICATED'],
          ['an expired token', bearer(expired), 'UNAUTHENTICATED'],
        ];
        const below = ROLE_BELOW[g.role];
        if (below !== null) refused.push([`an ${below}`, bearer(tokens[below]), 'FORBIDDEN']);
        for (const [what, headers, code] of refused) {
          const res = await call(g, headers);
          assert.equal(res.statusCode, code === 'FORBIDDEN' ? 403 : 401, `${what}: ${res.body}`);
          assertRefused(res, code);
        }
        assert.deepEqual(await countRows(sg), rowsBefore, 'a refused call wrote something');
        // A user with exactly the role needed gets through (logout ends its own, fresh session).
        const token = g.path === '/api/v1/auth/logout' ? await login(app, `an-${g.role}`) : tokens[g.role];
        const res = await call(g, bearer(token));
        assert.equal(res.statusCode, g.ok, res.body);
      });
    }

    it('a wrong password and an unknown user get the same INVALID_CREDENTIALS, and no session', async () => {
      const sessions = async (): Promise<number> => Number((await sg.db.selectFrom('sessions').select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      const before = await sessions();
      const answers = [];
      for (const username of ['an-admin', 'no-such-user']) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: freshAddress(), payload: { username, password: 'the-wrong-password-456' } });
        assertRefused(res, 'INVALID_CREDENTIALS');
        answers.push(res.json());
      }
      assert.deepEqual(answers[0], answers[1]);
      assert.equal(await sessions(), before);
    });

    describe('from reports to verdicts and back', () => {
      const PHONE = '+852 9876 5432';
      const REPORT = { scamType: 'investment', channel: 'whatsapp', narrative: 'Promised 30% a month, then stopped answering.', indicators: [{ value: PHONE, role: 'caller' }] };
      const EMAIL = 'jane.reporter@example.com';
      const reporters = [freshAddress(), freshAddress(), freshAddress()];
      const refs: string[] = [];
      let withContact: Submitted;

      it('three reporters naming one phone make it high_risk', async () => {
        refs.push((await submit(REPORT, reporters[0])).reference);
        const one = await check(PHONE);
        assert.equal(one.verdict.level, 'suspicious');
        assert.deepEqual(codes(one), ['REPORTS_SUSPICIOUS']);
        for (const address of reporters.slice(1)) refs.push((await submit(REPORT, address)).reference);
        const three = await check(PHONE);
        assert.equal(three.canonical, '+85298765432');
        assert.equal(three.verdict.level, 'high_risk');
        assert.deepEqual(codes(three), ['REPORTS_HIGH_RISK']);
        // The public count is rounded down (1, 2, 5, …): nobody watches reports arrive one by one.
        assert.equal(three.verdict.reportCount, 2);
        assert.match(three.verdict.reasons[0]!.message.en, /^2 or more people/);
        const exact = await app.inject({ method: 'GET', url: `/api/v1/officer/indicators/profile?value=${encodeURIComponent(PHONE)}`, headers: bearer(tokens.analyst) });
        assert.equal((exact.json() as { check: Checked }).check.verdict.reportCount, 3);
        assert.deepEqual(three.verdict.scamTypes, ['investment']);
      });

      it('the same reporter sending the same report again is linked as a duplicate, not counted, and not told so', async () => {
        const again = await submit(REPORT, reporters[0]);
        // The answer is the same as to any report: telling would confirm that this person reported before.
        assert.deepEqual(Object.keys(again).sort(), ['indicators', 'reference', 'status', 'statusToken', 'statusUrl']);
        const exact = await app.inject({ method: 'GET', url: `/api/v1/officer/indicators/profile?value=${encodeURIComponent(PHONE)}`, headers: bearer(tokens.analyst) });
        assert.equal((exact.json() as { check: Checked }).check.verdict.reportCount, 3);
        const res = await app.inject({ method: 'GET', url: `/api/v1/officer/reports/${again.reference}`, headers: bearer(tokens.analyst) });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal((res.json() as { duplicateOf: string }).duplicateOf, refs[0]);
      });

      it('an officer clearing the phone makes it no_record with OFFICER_CLEARED', async () => {
        const decided = await act('officer', '/api/v1/officer/indicators/decision', { value: PHONE, level: 'cleared', reason: 'Number reassigned to a real business' });
        assert.deepEqual(decided, { entry: 'phone:+85298765432' });
        const cleared = await check(PHONE);
        assert.equal(cleared.verdict.level, 'no_record');
        assert.deepEqual(codes(cleared), ['OFFICER_CLEARED']);
      });

      it('a protected domain is verified, and a look-alike of it suspicious', async () => {
        assert.deepEqual(await act('officer', '/api/v1/officer/protected', { value: 'hsbc.com.hk', name: 'HSBC' }), { entry: 'urlx:hsbc.com.hk/' });
        const real = await check('https://www.hsbc.com.hk/login');
        assert.equal(real.verdict.level, 'verified');
        assert.deepEqual(codes(real), ['PROTECTED_ENTITY']);
        const fake = await check('hsbc-secure-login.com');
        assert.equal(fake.verdict.level, 'suspicious');
        assert.deepEqual(codes(fake), ['LOOKALIKE_PROTECTED']);
        assert.equal(fake.lookalikes[0]?.protected, 'hsbc.com.hk');
      });

      it('a protected domain recorded as compromised is no longer verified', async () => {
        await act('officer', '/api/v1/officer/protected/withdraw', { value: 'hsbc.com.hk', how: 'compromised', reason: 'DNS hijacked' });
        const after = await check('https://www.hsbc.com.hk/login');
        assert.equal(after.verdict.level, 'suspicious');
        assert.deepEqual(codes(after), ['PROTECTED_COMPROMISED']);
        const list = await app.inject({ method: 'GET', url: '/api/v1/officer/protected', headers: bearer(tokens.analyst) });
        const hsbc = (list.json() as { entities: { canonical: string; name: string; compromisedAt: string | null; compromiseReason: string | null }[] }).entities.find((e) => e.canonical === 'hsbc.com.hk');
        assert.equal(hsbc?.name, 'HSBC');
        assert.equal(hsbc?.compromiseReason, 'DNS hijacked');
        assert.ok(hsbc?.compromisedAt !== null && !Number.isNaN(Date.parse(hsbc?.compromisedAt as string)));
      });

      it('a report shows officers that a contact was given, but not the contact', async () => {
        withContact = await submit({ ...REPORT, narrative: 'Please call me back.', contact: { name: 'Jane Reporter', email: EMAIL, consent: true } });
        const res = await app.inject({ method: 'GET', url: `/api/v1/officer/reports/${withContact.reference}`, headers: bearer(tokens.analyst) });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal((res.json() as { hasContact: boolean }).hasContact, true);
        for (const secret of [EMAIL, 'jane.reporter', 'Jane Reporter']) assert.ok(!res.body.includes(secret), `the report shows ${secret}`);
      });

      it('only ciphertext of the contact is stored', async () => {
        const rows = await sg.db.selectFrom('reporter_contacts as c').innerJoin('reports as r', 'r.id', 'c.report_id').selectAll('c').where('r.reference', '=', withContact.reference).execute();
        assert.equal(rows.length, 1);
        const row = rows[0] as (typeof rows)[number];
        assert.ok(row.ciphertext.length >= EMAIL.length);
        for (const [column, value] of Object.entries(row)) {
          const bytes = Buffer.isBuffer(value) ? value : Buffer.from(String(value instanceof Date ? value.toISOString() : value));
          for (const secret of [EMAIL, 'jane.reporter', 'Jane Reporter']) {
            assert.ok(!bytes.includes(secret) && !bytes.toString('base64').includes(Buffer.from(secret).toString('base64')), `${column} holds ${secret}`);
          }
        }
      });

      it('an officer reveals the contact by stating why, and the read is audited', async () => {
        const reason = 'Reporter asked to be called back';
        const revealed = await act('officer', `/api/v1/officer/reports/${withContact.reference}/contact`, { reason });
        assert.deepEqual(revealed, { contact: { name: 'Jane Reporter', email: EMAIL } });
        const rows = await auditRows();
        const read = rows.filter((r) => r.action === 'contact.read');
        assert.deepEqual(read.map((r) => ({ actor: r.actor, subject: r.subject, details: r.details })), [{ actor: 'user:an-officer', subject: withContact.reference, details: { reason } }]);
        assert.ok(rows.some((r) => r.action === 'report.read' && r.actor === 'user:an-analyst' && r.subject === withContact.reference));
        assert.ok(rows.some((r) => r.action === 'indicator.decide' && r.subject === 'phone:+85298765432'));
        // A report without contact details: NOT_FOUND, and no audit row.
        const auditBefore = rows.length;
        const none = await app.inject({ method: 'POST', url: `/api/v1/officer/reports/${refs[1]}/contact`, headers: bearer(tokens.officer), payload: { reason } });
        assertRefused(none, 'NOT_FOUND');
        assert.equal((await auditRows()).length, auditBefore);
      });

      it('a contact ciphertext moved to another report is refused with DATA_INTEGRITY, shown to nobody, and audited', async () => {
        // Someone with database access moves Jane's encrypted contact onto another report: the reference is
        // authenticated with it, so it no longer decrypts.
        const other = await sg.db.selectFrom('reports').select('id').where('reference', '=', refs[1]!).executeTakeFirstOrThrow();
        const jane = await sg.db.selectFrom('reporter_contacts as c').innerJoin('reports as r', 'r.id', 'c.report_id').select(['c.nonce', 'c.ciphertext']).where('r.reference', '=', withContact.reference).executeTakeFirstOrThrow();
        await sg.db.insertInto('reporter_contacts').values({ report_id: other.id, nonce: jane.nonce, ciphertext: jane.ciphertext }).execute();
        const res = await app.inject({ method: 'POST', url: `/api/v1/officer/reports/${refs[1]}/contact`, headers: bearer(tokens.officer), payload: { reason: 'checking' } });
        assert.equal(res.statusCode, 500);
        assert.deepEqual(Object.keys(res.json() as object), ['error']);
        assert.equal((res.json() as { error: { code: string } }).error.code, 'DATA_INTEGRITY');
        assert.doesNotMatch(res.body, /Jane|jane/);
        const rows = await auditRows();
        assert.ok(rows.some((r) => r.action === 'contact.integrity_failure' && r.subject === refs[1]));
        assert.ok(!rows.some((r) => r.action === 'contact.read' && r.subject === refs[1]));
        await sg.db.deleteFrom('reporter_contacts').where('report_id', '=', other.id).execute();
      });

      it('the audit chain verifies, over every row', async () => {
        const res = await app.inject({ method: 'GET', url: '/api/v1/officer/audit/verify', headers: bearer(tokens.admin) });
        assert.equal(res.statusCode, 200, res.body);
        const rows = Number((await sg.db.selectFrom('audit_log').select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
        assert.ok(rows >= 6, `only ${rows} audit rows`);
        assert.deepEqual(res.json(), { rows, broken: null });
      });

      it('the status page opens with the token from the submit response, and only with it', async () => {
        const { reference, statusToken, statusUrl } = withContact;
        assert.equal(statusUrl, `/status/${reference}#${statusToken}`, 'the private page, with the token in the fragment no server sees');
        for (const request of [{ url: `/api/v1/reports/status/${reference}?token=${statusToken}` }, { url: `/api/v1/reports/status/${reference}`, headers: { 'x-status-token': statusToken } }]) {
          const res = await app.inject({ method: 'GET', ...request });
          assert.equal(res.statusCode, 200, res.body);
          const body = res.json() as { reference: string; status: string; statusText: { en: string }; receivedAt: string };
          assert.equal(body.reference, reference);
          assert.equal(body.status, 'new');
          assert.ok(body.statusText.en.length > 0);
          assert.ok(!Number.isNaN(Date.parse(body.receivedAt)));
        }
        const other = await submit({ ...REPORT, narrative: 'Another report.' });
        for (const url of [`/api/v1/reports/status/${reference}?token=${other.statusToken}`, `/api/v1/reports/status/${reference}`, `/api/v1/reports/status/${REF}?token=${statusToken}`]) {
          assertRefused(await app.inject({ method: 'GET', url }), 'NOT_FOUND');
        }
      });
    });

    describe('links on shared hosting and on a site of their own', () => {
      const reportLink = async (value: string): Promise<void> => {
        for (let i = 0; i < 3; i += 1) await submit({ scamType: 'phishing_bank', channel: 'sms', narrative: '', indicators: [{ value, role: 'link' }] });
      };

      it('three reports of a link on shared hosting condemn that link only', async () => {
        await reportLink('https://someone.vercel.app/phish');
        const exact = await check('https://someone.vercel.app/phish');
        assert.equal(exact.verdict.level, 'high_risk');
        assert.deepEqual(exact.verdict.reasons.map((r) => [r.code, r.covers, r.count]), [['REPORTS_HIGH_RISK', undefined, 2]]);
        const sibling = await check('https://someone.vercel.app/other');
        assert.equal(sibling.verdict.level, 'no_record');
        assert.deepEqual(codes(sibling), ['NO_RECORD']);
      });

      it('three reports of a link on its own site condemn the whole site', async () => {
        await reportLink('https://evil-example.top/a');
        const sibling = await check('https://evil-example.top/b');
        assert.equal(sibling.verdict.level, 'high_risk');
        assert.deepEqual(sibling.verdict.reasons.map((r) => [r.code, r.covers, r.count]), [['REPORTS_HIGH_RISK', 'evil-example.top/', 2]]);
      });
    });

    it('answered with no status the API document does not list for the route', async () => {
      assert.deepEqual(undocumentedAnswers(await openApiDocument(app), answers), []);
    });
  });
}
