import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { AuthService } from '../../src/modules/auth/auth.service.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, assertRefused, bearer, freshAddress } from '../helpers/http.js';
import { readableAuditRows } from '../../src/modules/audit/audit.repository.js';

// Sign-in guessing meets a backoff per account name, whatever the number of addresses, kept in the database
// so that every server node applies it; it caps, and the right password after the wait clears it. Sign-ins,
// failed sign-ins and sign-outs are audited, with one alert when an account's backoff starts.

const WRONG = 'not-the-password-000';

for (const engine of ENGINES) {
  describe(`sign-in throttle and audit (${engine})`, () => {
    let sg: Scamgraph;
    /** Two server nodes: two apps, each with its own AuthService, on one database. */
    let nodes: FastifyInstance[];

    before(async () => {
      sg = await openTestScamgraph(engine);
      const second = new AuthService(sg.db, sg.secrets.auditKey);
      nodes = [await buildApp(sg), await buildApp({ ...sg, auth: second })];
      await sg.auth.addUser('duty-officer', PASSWORD, 'officer');
      await sg.auth.addUser('night-officer', PASSWORD, 'officer');
    });
    after(async () => {
      for (const app of nodes) await app.close();
      await sg.close();
    });

    const signIn = (username: string, password: string, remoteAddress = freshAddress(), node = 0): Promise<LightMyRequestResponse> =>
      (nodes[node] as FastifyInstance).inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { username, password } });

    async function auditRows(): Promise<{ actor: string; action: string; subject: string; details: Record<string, unknown> }[]> {
      const rows = await readableAuditRows(sg.db, sg.secrets.auditKey, await sg.db.selectFrom('audit_log').select(['actor', 'action', 'subject', 'details']).orderBy('seq').execute());
      return rows as { actor: string; action: string; subject: string; details: Record<string, unknown> }[];
    }

    /** Lets the account's wait pass, as time would. */
    const waitOver = () => sg.db.updateTable('login_throttle').set({ locked_until: new Date(Date.now() - 1000) }).execute();

    it('200 guesses from 10 addresses across two nodes: 5 are checked, the other 195 are LOGIN_THROTTLED with Retry-After', async () => {
      const addresses = Array.from({ length: 10 }, () => freshAddress());
      const codes = new Map<string, number>();
      let retryAfter: string | undefined;
      for (let i = 0; i < 200; i++) {
        // Each address stays within its own 20 a minute; the guesses alternate between the nodes.
        const res = await signIn('duty-officer', `${WRONG}${i}`, addresses[i % 10], i % 2);
        const code = (res.json() as { error: { code: string } }).error.code;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        if (code === 'LOGIN_THROTTLED') {
          assertRefused(res, 'LOGIN_THROTTLED');
          retryAfter = res.headers['retry-after'] as string | undefined;
        }
      }
      assert.deepEqual(Object.fromEntries(codes), { INVALID_CREDENTIALS: 5, LOGIN_THROTTLED: 195 });
      assert.ok(Number(retryAfter) > 0 && Number(retryAfter) <= 30, `Retry-After: ${retryAfter}`);
      // The right password does not get in while the account waits.
      assertRefused(await signIn('duty-officer', PASSWORD), 'LOGIN_THROTTLED');
      // Another account is not affected.
      assert.equal((await signIn('night-officer', PASSWORD)).statusCode, 200);
    });

    it('audits each checked failure and one alert when the backoff starts; no row holds a password', async () => {
      const rows = (await auditRows()).filter((r) => r.subject === 'user:duty-officer');
      assert.deepEqual(rows.map((r) => r.action), ['auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.login_failed', 'auth.throttled']);
      assert.deepEqual(rows.map((r) => r.details.failures), [1, 2, 3, 4, 5, 5]);
      assert.equal(rows[0]?.actor, 'anonymous');
      assert.match(String(rows[0]?.details.address), /^10\./);
      const all = JSON.stringify(await auditRows());
      assert.doesNotMatch(all, new RegExp(`${WRONG}|${PASSWORD}`));
    });

    it('after the wait the next guess waits twice as long; the right password gets in and clears the count', async () => {
      await waitOver();
      assertRefused(await signIn('duty-officer', WRONG), 'INVALID_CREDENTIALS');
      const doubled = await signIn('duty-officer', PASSWORD);
      assertRefused(doubled, 'LOGIN_THROTTLED');
      assert.ok(Number(doubled.headers['retry-after']) > 30 && Number(doubled.headers['retry-after']) <= 60, String(doubled.headers['retry-after']));
      await waitOver();
      const res = await signIn('duty-officer', PASSWORD, freshAddress(), 1);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(await sg.db.selectFrom('login_throttle').selectAll().executeTakeFirst(), undefined, 'the count is gone');
      // Five fresh failures are free again.
      for (let i = 0; i < 5; i++) assertRefused(await signIn('duty-officer', WRONG), 'INVALID_CREDENTIALS');
      assertRefused(await signIn('duty-officer', WRONG), 'LOGIN_THROTTLED');
      await waitOver();
      assert.equal((await signIn('duty-officer', PASSWORD)).statusCode, 200);
    });

    it('a name no user has is throttled the same way, with the same answers, and audited without the name', async () => {
      const answers = async (username: string): Promise<string[]> => {
        const seen: string[] = [];
        for (let i = 0; i < 7; i++) {
          const res = await signIn(username, WRONG);
          const error = (res.json() as { error: { code: string; message: string } }).error;
          seen.push(`${res.statusCode} ${error.code} ${error.message.replace(/\d+ s/, 'N s')} ${res.headers['retry-after'] === undefined ? '' : 'retry-after'}`);
        }
        return seen;
      };
      await sg.auth.addUser('real-officer', PASSWORD, 'officer');
      assert.deepEqual(await answers('no-such-officer'), await answers('real-officer'));
      const rows = await auditRows();
      assert.equal(JSON.stringify(rows).includes('no-such-officer'), false, 'an unknown name may be a mistyped password: never stored');
      assert.equal(rows.filter((r) => r.subject === 'user:?' && r.action === 'auth.throttled').length, 1);
      assert.equal((await sg.db.selectFrom('login_throttle').select('name_hash').execute()).length, 2, 'one count per name, keyed by a hash');
    });

    it('keeps the per-address limit: the 21st sign-in from one address in a minute is RATE_LIMITED', async () => {
      const address = freshAddress();
      const statuses: number[] = [];
      for (let i = 0; i < 21; i++) statuses.push((await signIn(`someone-${i}`, WRONG, address)).statusCode);
      assert.deepEqual(statuses, [...Array(20).fill(401), 429]);
      assertRefused(await signIn('someone-21', WRONG, address), 'RATE_LIMITED');
    });

    it('audits a sign-in and a sign-out by the user, from their address, without the token', async () => {
      const address = freshAddress();
      const res = await signIn('night-officer', PASSWORD, address);
      const token = (res.json() as { token: string }).token;
      assert.equal((await (nodes[0] as FastifyInstance).inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) })).statusCode, 204);
      const rows = (await auditRows()).filter((r) => r.subject === 'user:night-officer');
      assert.deepEqual(rows.slice(-2).map((r) => [r.actor, r.action, r.details.address ?? null]), [
        ['user:night-officer', 'auth.login', address],
        ['user:night-officer', 'auth.logout', null],
      ]);
      assert.doesNotMatch(JSON.stringify(await auditRows()), new RegExp(token));
      assert.equal((await sg.audit.verify()).broken, null);
    });
  });
}
