import { setTimeout as delay } from 'node:timers/promises';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PRINCIPAL_CACHE_MS } from '../../src/http/principal.js';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { AuthService, TOUCH_EVERY_MS } from '../../src/modules/auth/auth.service.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, assertRefused, bearer, freshAddress, login } from '../helpers/http.js';
import { readableAuditRows } from '../../src/modules/audit/audit.repository.js';

// Sessions and passwords: the idle timeout beside the 12 hours, one's own sessions listed and revoked, a
// password change that ends one's other sessions, and an administrator's reset to a one-time password that
// only lets its user choose a new one. Every change audited, without a password or a token in it.

const NEW_PASSWORD = 'a-brand-new-password-789';
const MINUTE = 60_000;

interface SessionRow {
  id: number;
  createdAt: string;
  lastUsedAt: string;
  expiresAt: string;
  userAgent: string | null;
  current: boolean;
}

for (const engine of ENGINES) {
  describe(`sessions and passwords (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let admin: string;

    before(async () => {
      sg = await openTestScamgraph(engine);
      app = await buildApp(sg);
      await sg.auth.addUser('head-admin', PASSWORD, 'admin');
      admin = await login(app, 'head-admin');
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const get = (url: string, token: string): Promise<LightMyRequestResponse> => app.inject({ method: 'GET', url, headers: bearer(token) });
    const post = (url: string, token: string, payload?: object): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'POST', url, headers: bearer(token), remoteAddress: freshAddress(), ...(payload === undefined ? {} : { payload }) });
    const signIn = (username: string, password: string, extra: object = {}): Promise<LightMyRequestResponse> =>
      app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: freshAddress(), payload: { username, password, ...extra } });
    const live = async (token: string): Promise<boolean> => {
      const res = await get('/api/v1/officer/account/sessions', token);
      if (res.statusCode === 401) return false;
      assert.equal(res.statusCode, 200, res.body);
      return true;
    };
    const sessionsOf = async (token: string): Promise<SessionRow[]> => (await get('/api/v1/officer/account/sessions', token)).json().sessions as SessionRow[];
    const lastUsed = async (userId: number): Promise<Date[]> => (await sg.db.selectFrom('sessions').select('last_used_at').where('user_id', '=', userId).execute()).map((r) => r.last_used_at);
    // Written behind the server's back, as time passing would: a principal it resolved is believed for up to
    // PRINCIPAL_CACHE_MS, so the next request waits that long.
    const setLastUsed = async (userId: number, at: Date): Promise<void> => {
      await sg.db.updateTable('sessions').set({ last_used_at: at }).where('user_id', '=', userId).execute();
      await delay(PRINCIPAL_CACHE_MS + 10);
    };
    const audit = async (subject: string) => (await readableAuditRows(sg.db, sg.secrets.auditKey, await sg.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details']).where('subject', '=', subject).orderBy('seq').execute())).map(({ subject: _subject, ...row }) => row) as { actor: string; action: string; details: Record<string, unknown> }[];

    describe('the idle timeout', () => {
      it('ends a session unused for longer than the idle minutes (30 by default), before its 12 hours', async () => {
        const user = await sg.auth.addUser('idle-analyst', PASSWORD, 'analyst');
        const token = await login(app, 'idle-analyst');
        await setLastUsed(user.id, new Date(Date.now() - 29 * MINUTE));
        assert.equal(await live(token), true, '29 minutes idle: still live');
        await setLastUsed(user.id, new Date(Date.now() - 31 * MINUTE));
        assert.equal(await live(token), false, '31 minutes idle: ended');
        assertRefused(await get('/api/v1/officer/queue', token), 'UNAUTHENTICATED');
      });

      it('is configurable: with SCAMGRAPH_SESSION_IDLE_MINUTES=5 six idle minutes end it', async () => {
        const short = await buildApp({ ...sg, auth: new AuthService(sg.db, sg.secrets.auditKey, { idleMinutes: 5 }) });
        try {
          const user = await sg.auth.addUser('brief-analyst', PASSWORD, 'analyst');
          const token = await login(short, 'brief-analyst');
          await setLastUsed(user.id, new Date(Date.now() - 6 * MINUTE));
          assertRefused(await short.inject({ method: 'GET', url: '/api/v1/officer/account/sessions', headers: bearer(token) }), 'UNAUTHENTICATED');
          assert.equal(await live(token), true, 'the default 30 minutes keep it');
        } finally {
          await short.close();
        }
      });

      it('writes the last-used time at most once a minute per session, so most checks are one read', async () => {
        const user = await sg.auth.addUser('busy-analyst', PASSWORD, 'analyst');
        const token = await login(app, 'busy-analyst');
        const recent = new Date(Date.now() - 20_000);
        await setLastUsed(user.id, recent);
        for (let i = 0; i < 5; i++) assert.equal(await live(token), true);
        assert.deepEqual(await lastUsed(user.id), [recent], 'used 20 s ago: not written again');
        const older = new Date(Date.now() - TOUCH_EVERY_MS - 5000);
        await setLastUsed(user.id, older);
        const before = Date.now();
        assert.equal(await live(token), true);
        const [written] = await lastUsed(user.id);
        assert.ok(written !== undefined && written.getTime() >= before - 1000, `written: ${written?.toISOString()}`);
      });
    });

    describe("one's own sessions", () => {
      it('lists them with created and last-used times and the browser, this one marked', async () => {
        await sg.auth.addUser('two-tabs', PASSWORD, 'officer');
        const first = await login(app, 'two-tabs');
        const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: freshAddress(), headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Test/1.0' }, payload: { username: 'two-tabs', password: PASSWORD } });
        const second = (res.json() as { token: string }).token;
        const sessions = await sessionsOf(second);
        assert.equal(sessions.length, 2);
        assert.equal(sessions.filter((s) => s.current).length, 1);
        const mine = sessions.find((s) => s.current) as SessionRow;
        assert.equal(mine.userAgent, 'Mozilla/5.0 (X11; Linux x86_64) Test/1.0');
        assert.ok(Date.parse(mine.createdAt) <= Date.parse(mine.lastUsedAt) && Date.parse(mine.expiresAt) - Date.parse(mine.createdAt) === 12 * 3600_000);
        assert.equal((await sessionsOf(first)).find((s) => s.current)?.id, sessions.find((s) => !s.current)?.id, 'each token sees its own as current');
        assert.equal(JSON.stringify(sessions).includes(second) || JSON.stringify(sessions).includes(first), false, 'no token is listed');
      });

      it('revokes another of them (it stops working), or this one; never anyone else’s', async () => {
        const first = await login(app, 'two-tabs');
        const second = await login(app, 'two-tabs');
        const firstId = (await sessionsOf(first)).find((s) => s.current)?.id as number;
        // Someone else's session id is not theirs to end.
        assertRefused(await post(`/api/v1/officer/account/sessions/${firstId}/revoke`, admin), 'NOT_FOUND');
        assert.equal(await live(first), true);
        assert.equal((await post(`/api/v1/officer/account/sessions/${firstId}/revoke`, second)).statusCode, 204);
        assert.equal(await live(first), false);
        assert.equal(await live(second), true);
        assertRefused(await post(`/api/v1/officer/account/sessions/${firstId}/revoke`, second), 'NOT_FOUND');
        const mine = (await sessionsOf(second)).find((s) => s.current)?.id as number;
        assert.equal((await post(`/api/v1/officer/account/sessions/${mine}/revoke`, second)).statusCode, 204);
        assert.equal(await live(second), false);
        const rows = (await audit('user:two-tabs')).filter((r) => r.action === 'session.revoke');
        assert.deepEqual(rows.map((r) => [r.actor, r.details.session]), [['user:two-tabs', firstId], ['user:two-tabs', mine]]);
      });
    });

    describe('a password change', () => {
      it('needs the current password: WRONG_PASSWORD otherwise, and nothing changes', async () => {
        await sg.auth.addUser('changer', PASSWORD, 'analyst');
        const token = await login(app, 'changer');
        assertRefused(await post('/api/v1/officer/account/password', token, { currentPassword: 'not-my-password-1', newPassword: NEW_PASSWORD }), 'WRONG_PASSWORD');
        assert.equal(await live(token), true, 'a wrong current password does not end the session');
        assertRefused(await post('/api/v1/officer/account/password', token, { currentPassword: PASSWORD, newPassword: 'too-short' }), 'VALIDATION_FAILED');
        assertRefused(await post('/api/v1/officer/account/password', token, { currentPassword: PASSWORD, newPassword: PASSWORD }), 'VALIDATION_FAILED');
        assert.equal((await signIn('changer', PASSWORD)).statusCode, 200, 'the password is still the old one');
      });

      it('sets the new one, ends every other session of the user and keeps this one; audited', async () => {
        const other = await login(app, 'changer');
        const token = await login(app, 'changer');
        const res = await post('/api/v1/officer/account/password', token, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
        assert.equal(res.statusCode, 200, res.body);
        assert.ok((res.json() as { endedSessions: number }).endedSessions >= 1);
        assert.equal(await live(other), false, 'the other session ended');
        assert.equal(await live(token), true, 'this one stays');
        assertRefused(await signIn('changer', PASSWORD), 'INVALID_CREDENTIALS');
        assert.equal((await signIn('changer', NEW_PASSWORD)).statusCode, 200);
        const rows = await audit('user:changer');
        assert.deepEqual(rows.filter((r) => r.action.startsWith('user.password')).map((r) => [r.actor, r.action]), [
          ['anonymous', 'user.password_change_failed'],
          ['user:changer', 'user.password_change'],
        ]);
        assert.doesNotMatch(JSON.stringify(rows), new RegExp(`${PASSWORD}|${NEW_PASSWORD}|${token}`));
      });

      it('guesses of the current password count towards the sign-in backoff', async () => {
        await sg.auth.addUser('guessed', PASSWORD, 'analyst');
        const token = await login(app, 'guessed');
        for (let i = 0; i < 5; i++) assertRefused(await post('/api/v1/officer/account/password', token, { currentPassword: `guess-number-${i}`, newPassword: NEW_PASSWORD }), 'WRONG_PASSWORD');
        const throttled = await post('/api/v1/officer/account/password', token, { currentPassword: PASSWORD, newPassword: NEW_PASSWORD });
        assertRefused(throttled, 'LOGIN_THROTTLED');
        assert.ok(Number(throttled.headers['retry-after']) > 0);
        assertRefused(await signIn('guessed', PASSWORD), 'LOGIN_THROTTLED');
      });
    });

    describe("an administrator's reset", () => {
      it('gives a one-time password shown once, ends the user’s sessions and clears their backoff; audited with the reason', async () => {
        await sg.auth.addUser('forgetful', PASSWORD, 'officer');
        const token = await login(app, 'forgetful');
        for (let i = 0; i < 6; i++) await signIn('forgetful', `wrong-guess-${i}-xyz`);
        assertRefused(await signIn('forgetful', PASSWORD), 'LOGIN_THROTTLED');
        const res = await post('/api/v1/officer/users/forgetful/password-reset', admin, { reason: 'Forgot it after leave' });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.headers['cache-control'], 'no-store');
        const reset = res.json() as { username: string; password: string; endedSessions: number };
        assert.equal(reset.username, 'forgetful');
        assert.ok(reset.password.length >= 20);
        assert.equal(reset.endedSessions, 1);
        assert.equal(await live(token), false);
        assertRefused(await signIn('forgetful', PASSWORD), 'INVALID_CREDENTIALS');
        const rows = await audit('user:forgetful');
        const row = rows.find((r) => r.action === 'user.password_reset');
        assert.deepEqual(row, { actor: 'user:head-admin', action: 'user.password_reset', details: { reason: 'Forgot it after leave', endedSessions: 1 } });
        assert.doesNotMatch(JSON.stringify(rows), new RegExp(reset.password));

        // The one-time password signs in only with a new password beside it, and only once.
        const sessionsBefore = Number((await sg.db.selectFrom('sessions').select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
        assertRefused(await signIn('forgetful', reset.password), 'PASSWORD_CHANGE_REQUIRED');
        assert.equal(Number((await sg.db.selectFrom('sessions').select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), sessionsBefore, 'no session for it');
        assertRefused(await signIn('forgetful', reset.password, { newPassword: reset.password }), 'VALIDATION_FAILED');
        const chosen = await signIn('forgetful', reset.password, { newPassword: NEW_PASSWORD });
        assert.equal(chosen.statusCode, 200, chosen.body);
        assert.equal(await live((chosen.json() as { token: string }).token), true);
        assertRefused(await signIn('forgetful', reset.password), 'INVALID_CREDENTIALS');
        assert.equal((await signIn('forgetful', NEW_PASSWORD)).statusCode, 200);
        // Once changed, newPassword at sign-in is refused: changes go through the account page.
        assertRefused(await signIn('forgetful', NEW_PASSWORD, { newPassword: 'yet-another-password-1' }), 'VALIDATION_FAILED');
        assert.ok((await audit('user:forgetful')).some((r) => r.action === 'user.password_change' && r.details.via === 'sign-in'));
      });

      it('spends a one-time password once: of two sign-ins with it at the same moment, one chooses the password', async () => {
        await sg.auth.addUser('raced', PASSWORD, 'officer');
        const reset = (await post('/api/v1/officer/users/raced/password-reset', admin, { reason: 'Raced sign-ins' })).json() as { password: string };
        const answers = await Promise.all(['first-choice-password', 'second-choice-password'].map((newPassword) => signIn('raced', reset.password, { newPassword })));
        assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 401], answers.map((r) => r.body).join(' | '));
        const winner = answers[0]?.statusCode === 200 ? 'first-choice-password' : 'second-choice-password';
        assert.equal((await signIn('raced', winner)).statusCode, 200, 'the password chosen by the one that got in is the one set');
      });

      it('is refused for oneself (SELF_CHANGE), for no such user (NOT_FOUND), and for an admin demoted meanwhile (FORBIDDEN)', async () => {
        assertRefused(await post('/api/v1/officer/users/head-admin/password-reset', admin, { reason: 'My own' }), 'SELF_CHANGE');
        assertRefused(await post('/api/v1/officer/users/nobody-here/password-reset', admin, { reason: 'No one' }), 'NOT_FOUND');
        const stale = await sg.auth.addUser('stale-admin', PASSWORD, 'admin');
        await sg.db.updateTable('users').set({ role: 'officer' }).where('id', '=', stale.id).execute();
        await assert.rejects(sg.auth.resetPassword(stale, 'forgetful', 'Stale admin'), { code: 'FORBIDDEN' });
      });
    });
  });
}
