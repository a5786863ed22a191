import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { actorOf, requireRole, requireScope } from '../../src/http/auth.js';
import { PRINCIPAL_CACHE_MS, PrincipalResolver, ROLE_SCOPES } from '../../src/http/principal.js';
import type { Scamgraph } from '../../src/main.js';
import type { AuthService } from '../../src/modules/auth/auth.service.js';
import { openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, assertRefused, bearer, freshAddress, login } from '../helpers/http.js';

// Callers are principals with scopes, resolved once per request and believed for at most a second: a
// console page's burst of requests costs one session lookup, and a session ended or a user disabled stops
// working within that second.

describe('principals', () => {
  let sg: Scamgraph;
  let app: FastifyInstance;
  /** Session lookups that reached AuthService. */
  let lookups = 0;
  let failNext = false;

  before(async () => {
    sg = await openTestScamgraph('pglite', { loadIndex: false });
    // The real AuthService, counted: every lookup still runs its query.
    const counted = Object.create(sg.auth) as AuthService;
    counted.authenticate = async (token: string) => {
      lookups += 1;
      if (failNext) {
        failNext = false;
        throw new Error('database away');
      }
      return sg.auth.authenticate(token);
    };
    app = await buildApp({ ...sg, auth: counted });
    // Routes of this test only, to see what a guard leaves on the request.
    app.get('/api/v1/officer/test/whoami', { onRequest: requireScope(counted, 'cases:read') }, async (request) => ({ principal: request.principal, actor: actorOf(request) }));
    app.get('/api/v1/officer/test/two-guards', { onRequest: [requireScope(counted, 'cases:read'), requireScope(counted, 'cases:act')] }, async () => ({ ok: true }));
    app.get('/api/v1/officer/test/officer-role', { onRequest: requireRole(counted, 'officer') }, async () => ({ ok: true }));
    for (const [name, role] of [['p-analyst', 'analyst'], ['p-officer', 'officer'], ['p-admin', 'admin']] as const) await sg.auth.addUser(name, PASSWORD, role);
  });
  after(async () => {
    await app.close();
    await sg.close();
  });

  const get = (url: string, token: string) => app.inject({ url, headers: bearer(token), remoteAddress: freshAddress() });

  it('a signed-in user is a principal {kind, id, name, role, scopes}; the audit actor stays user:NAME', async () => {
    const token = await login(app, 'p-officer');
    const res = await get('/api/v1/officer/test/whoami', token);
    assert.equal(res.statusCode, 200, res.body);
    const { principal, actor } = res.json();
    const id = (await sg.db.selectFrom('users').select('id').where('username', '=', 'p-officer').executeTakeFirstOrThrow()).id;
    assert.deepEqual(principal, { kind: 'user', id, name: 'p-officer', role: 'officer', scopes: [...ROLE_SCOPES.officer] });
    assert.equal(actor, 'user:p-officer');
  });

  it('roles map to scope sets, each role holding the one below', () => {
    assert.ok(ROLE_SCOPES.analyst.every((s) => ROLE_SCOPES.officer.includes(s)));
    assert.ok(ROLE_SCOPES.officer.every((s) => ROLE_SCOPES.admin.includes(s)));
    assert.deepEqual([...ROLE_SCOPES.analyst], ['cases:read']);
  });

  it('requireScope refuses a caller without the scope; requireRole still means "this role or higher"', async () => {
    const analyst = await login(app, 'p-analyst');
    const officer = await login(app, 'p-officer');
    const refused = await get('/api/v1/officer/test/two-guards', analyst);
    assertRefused(refused, 'FORBIDDEN');
    assert.match(refused.json().error.message, /cases:act/);
    assert.equal((await get('/api/v1/officer/test/two-guards', officer)).statusCode, 200);
    const byRole = await get('/api/v1/officer/test/officer-role', analyst);
    assertRefused(byRole, 'FORBIDDEN');
    assert.match(byRole.json().error.message, /officer role or higher/);
    assert.equal((await get('/api/v1/officer/test/officer-role', await login(app, 'p-admin'))).statusCode, 200);
  });

  it('a burst of requests with one token costs one lookup; so does a request through two guards', async () => {
    const token = await login(app, 'p-officer');
    await delay(PRINCIPAL_CACHE_MS);
    const before = lookups;
    const answers = await Promise.all(Array.from({ length: 8 }, () => get('/api/v1/officer/queue', token)));
    assert.deepEqual(answers.map((a) => a.statusCode), Array(8).fill(200));
    assert.equal(lookups - before, 1);

    await delay(PRINCIPAL_CACHE_MS + 50); // the cached answer has lapsed: the next request asks again, once
    const again = lookups;
    assert.equal((await get('/api/v1/officer/test/two-guards', token)).statusCode, 200);
    assert.equal(lookups - again, 1);
  });

  it('a session ended elsewhere stops working within a second', async () => {
    const token = await login(app, 'p-officer');
    assert.equal((await get('/api/v1/officer/queue', token)).statusCode, 200);
    await sg.auth.logout((await sg.auth.authenticate(token))!, token); // as another node would: this app's cache is not told
    await delay(PRINCIPAL_CACHE_MS);
    assertRefused(await get('/api/v1/officer/queue', token), 'UNAUTHENTICATED');
  });

  it('a user disabled elsewhere stops working within a second', async () => {
    await sg.auth.addUser('p-leaver', PASSWORD, 'officer');
    const token = await login(app, 'p-leaver');
    assert.equal((await get('/api/v1/officer/queue', token)).statusCode, 200);
    const admin = { id: 0, username: 'p-admin', role: 'admin' as const };
    await sg.auth.updateUser(admin, 'p-leaver', { disabled: true }, 'left the unit');
    await delay(PRINCIPAL_CACHE_MS);
    assertRefused(await get('/api/v1/officer/queue', token), 'UNAUTHENTICATED');
  });

  it('a failed lookup is not remembered: the next request asks again', async () => {
    const token = await login(app, 'p-analyst');
    await delay(PRINCIPAL_CACHE_MS);
    failNext = true;
    assert.equal((await get('/api/v1/officer/queue', token)).statusCode, 500);
    assert.equal((await get('/api/v1/officer/queue', token)).statusCode, 200);
  });

  it('the cache cannot be set to believe a token for longer than a second', () => {
    assert.throws(() => new PrincipalResolver(sg.auth, PRINCIPAL_CACHE_MS + 1), RangeError);
    assert.throws(() => new PrincipalResolver(sg.auth, 0), RangeError);
  });
});
