import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app.js';
import { requirePartnerScope, PartnerKeyResolver } from '../../src/http/partner-auth.js';
import { PRINCIPAL_CACHE_MS } from '../../src/http/principal.js';
import type { Scamgraph } from '../../src/main.js';
import { PartnerMeter } from '../../src/modules/partners/partner-meter.js';
import { PartnersService } from '../../src/modules/partners/partners.service.js';
import { ENGINES, openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, assertRefused, bearer, freshAddress, login } from '../helpers/http.js';
import { readableAuditRows } from '../../src/modules/audit/audit.repository.js';

// Partner organisations and their API keys (issue 13, "Organisations and keys"): shown once, stored hashed,
// scoped, expiring, rotated with an overlap, revoked on every node within a second; limits and usage per
// organisation, never per address, and never with the values checked.

for (const engine of ENGINES) {
  describe(`partner keys (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let admin: string;
    let officer: string;

    before(async () => {
      sg = await openTestScamgraph(engine, { loadIndex: false });
      app = await buildApp(sg);
      // A route of this test only, behind a scope no key below has unless given it.
      app.get('/api/v1/partner/test/feeds', { onRequest: requirePartnerScope({ resolver: new PartnerKeyResolver(sg.partners), meter: sg.partnerMeter }, 'feeds:read') }, async () => ({ ok: true }));
      await sg.auth.addUser('pk-admin', PASSWORD, 'admin');
      await sg.auth.addUser('pk-officer', PASSWORD, 'officer');
      admin = await login(app, 'pk-admin');
      officer = await login(app, 'pk-officer');
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    const me = (token: string, a = app) => a.inject({ url: '/api/v1/partner/me', headers: bearer(token), remoteAddress: freshAddress() });
    const addOrg = async (name: string, scopes: string[], extra: Record<string, unknown> = {}) => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/officer/partners', headers: bearer(admin), payload: { name, type: 'bank', scopes, reason: 'pilot onboarding', ...extra } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { organisation: { id: number; name: string }; key: { id: number; token: string; prefix: string; scopes: string[]; status: string } };
    };

    it('an organisation is added with its first key, shown once and stored only as its SHA-256', async () => {
      const { organisation, key } = await addOrg('Alpha Bank', ['payee:check', 'outcomes:write']);
      assert.match(key.token, /^sgp_[A-Za-z0-9_-]{32}$/);
      assert.equal(key.prefix, key.token.slice(0, 12));
      assert.deepEqual(key.scopes, ['payee:check', 'outcomes:write']);
      const stored = await sg.db.selectFrom('partner_keys').selectAll().where('id', '=', key.id).executeTakeFirstOrThrow();
      assert.deepEqual(Buffer.from(stored.key_hash), createHash('sha256').update(key.token).digest());
      // Nowhere else: not in the table's other columns, the list, or the audit log.
      assert.ok(!JSON.stringify(stored).includes(key.token.slice(12)));
      const list = await app.inject({ url: '/api/v1/officer/partners', headers: bearer(admin) });
      assert.equal(list.statusCode, 200);
      assert.ok(!list.body.includes(key.token.slice(12)), 'the list shows the prefix only');
      assert.equal((list.json() as { organisations: { name: string; keys: unknown[] }[] }).organisations.find((o) => o.name === 'Alpha Bank')?.keys.length, 1);
      const audit = await readableAuditRows(sg.db, sg.secrets.auditKey, await sg.db.selectFrom('audit_log').select(['action', 'actor', 'subject', 'details']).where('subject', '=', 'organisation:Alpha Bank').orderBy('seq').execute());
      assert.deepEqual(audit.map((r) => r.action), ['partner.add', 'partner.key.create']);
      assert.ok(audit.every((r) => r.actor === 'user:pk-admin' && JSON.stringify(r.details).includes('pilot onboarding')));
      assert.ok(!JSON.stringify(audit).includes(key.token.slice(12)));
      const res = await me(key.token);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual((res.json() as { organisation: { name: string } }).organisation.name, 'Alpha Bank');
      assert.equal(organisation.name, 'Alpha Bank');
    });

    it('refuses no key, a malformed one, a made-up one and a console session token: 401', async () => {
      assertRefused(await app.inject({ url: '/api/v1/partner/me' }), 'UNAUTHENTICATED');
      assertRefused(await me('not-a-key'), 'UNAUTHENTICATED');
      assertRefused(await me(`sgp_${'A'.repeat(32)}`), 'UNAUTHENTICATED');
      assertRefused(await me(officer), 'UNAUTHENTICATED');
      // …and a partner key is no console session.
      const { key } = await addOrg('Beta Wallet', ['payee:check'], { type: 'wallet' });
      assertRefused(await app.inject({ url: '/api/v1/officer/partners', headers: bearer(key.token) }), 'UNAUTHENTICATED');
    });

    it('a key without the route’s scope gets 403 naming it', async () => {
      const { key } = await addOrg('Gamma Bank', ['payee:check']);
      const res = await app.inject({ url: '/api/v1/partner/test/feeds', headers: bearer(key.token) });
      assertRefused(res, 'FORBIDDEN');
      assert.match(res.body, /feeds:read/);
      const { organisation } = await addOrg('Gamma Telco', ['feeds:read'], { type: 'telco' });
      assert.ok(organisation.id > 0);
    });

    it('an expired key is refused, saying so', async () => {
      const { organisation, key } = await addOrg('Delta Bank', ['payee:check']);
      await sg.db.updateTable('partner_keys').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', key.id).execute();
      // A fresh resolver (another node) reads the key as it is now.
      const other = await buildApp(sg);
      try {
        const res = await me(key.token, other);
        assertRefused(res, 'UNAUTHENTICATED');
        assert.match(res.body, /expired/);
      } finally {
        await other.close();
      }
      assert.ok(organisation.id > 0);
    });

    it('a revoked key is refused at once on the node that revoked it and within a second on every other', async () => {
      const { organisation, key } = await addOrg('Epsilon Bank', ['payee:check']);
      const nodeB = await buildApp({ ...sg, partners: new PartnersService(sg.db, sg.secrets.auditKey), partnerMeter: new PartnerMeter(sg.db) });
      try {
        assert.equal((await me(key.token, nodeB)).statusCode, 200); // node B now believes the key for up to a second
        const revoked = await app.inject({ method: 'POST', url: `/api/v1/officer/partners/${organisation.id}/keys/${key.id}/revoke`, headers: bearer(admin), payload: { reason: 'key leaked in a log' } });
        assert.equal(revoked.statusCode, 200, revoked.body);
        assert.equal((revoked.json() as { key: { status: string } }).key.status, 'revoked');
        const here = await me(key.token);
        assertRefused(here, 'UNAUTHENTICATED');
        assert.match(here.body, /revoked/);
        await delay(PRINCIPAL_CACHE_MS + 50);
        assertRefused(await me(key.token, nodeB), 'UNAUTHENTICATED');
        const again = await app.inject({ method: 'POST', url: `/api/v1/officer/partners/${organisation.id}/keys/${key.id}/revoke`, headers: bearer(admin), payload: { reason: 'twice' } });
        assertRefused(again, 'INVALID_TRANSITION');
        const audit = await readableAuditRows(sg.db, sg.secrets.auditKey, await sg.db.selectFrom('audit_log').select(['action', 'subject', 'details']).where('subject', '=', 'organisation:Epsilon Bank').where('action', '=', 'partner.key.revoke').execute());
        assert.equal(audit.length, 1);
        assert.match(JSON.stringify(audit[0]?.details), /key leaked in a log/);
      } finally {
        await nodeB.close();
      }
    });

    it('rotation: the replaced key works through the overlap, then expires; the new key works', async () => {
      const { organisation, key: first } = await addOrg('Zeta Bank', ['payee:check']);
      const rotate = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: `/api/v1/officer/partners/${organisation.id}/keys`, headers: bearer(admin), payload: { scopes: ['payee:check'], reason: 'yearly rotation', ...payload } });
      const res = await rotate({ replaces: first.id, overlapHours: 24 });
      assert.equal(res.statusCode, 200, res.body);
      const { key: second, replaced } = res.json() as { key: { token: string; id: number }; replaced: { expiresAt: string } };
      const overlap = new Date(replaced.expiresAt).getTime() - Date.now();
      assert.ok(overlap > 23.9 * 3_600_000 && overlap <= 24 * 3_600_000, `overlap ${overlap} ms`);
      assert.equal((await me(first.token)).statusCode, 200);
      assert.equal((await me(second.token)).statusCode, 200);
      // With no overlap the replaced key stops at once (this node forgets its cached answer on the change).
      const third = await rotate({ replaces: second.id, overlapHours: 0 });
      assert.equal(third.statusCode, 200, third.body);
      assertRefused(await me(second.token), 'UNAUTHENTICATED');
      assert.equal((await me((third.json() as { key: { token: string } }).key.token)).statusCode, 200);
      // Another organisation's key cannot be rotated from here.
      const other = await addOrg('Eta Bank', ['payee:check']);
      assertRefused(await rotate({ replaces: other.key.id }), 'NOT_FOUND');
    });

    it('only administrators manage partners; everyone else gets 401 or 403 and nothing is written', async () => {
      const before = await sg.db.selectFrom('organisations').select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
      const payload = { name: 'Theta Bank', type: 'bank', scopes: ['payee:check'], reason: 'not allowed' };
      assertRefused(await app.inject({ method: 'POST', url: '/api/v1/officer/partners', payload }), 'UNAUTHENTICATED');
      assertRefused(await app.inject({ method: 'POST', url: '/api/v1/officer/partners', headers: bearer(officer), payload }), 'FORBIDDEN');
      assertRefused(await app.inject({ url: '/api/v1/officer/partners', headers: bearer(officer) }), 'FORBIDDEN');
      assertRefused(await app.inject({ url: '/api/v1/officer/partners/1/usage', headers: bearer(officer) }), 'FORBIDDEN');
      assertRefused(await app.inject({ method: 'POST', url: '/api/v1/officer/partners/1/keys', headers: bearer(officer), payload: { scopes: ['payee:check'], reason: 'nope' } }), 'FORBIDDEN');
      assertRefused(await app.inject({ method: 'POST', url: '/api/v1/officer/partners/1/keys/1/revoke', headers: bearer(officer), payload: { reason: 'nope' } }), 'FORBIDDEN');
      const after = await sg.db.selectFrom('organisations').select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(after.n), Number(before.n));
    });

    it('bad input: an unknown type or scope, a duplicate name, no reason', async () => {
      const post = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/officer/partners', headers: bearer(admin), payload });
      assertRefused(await post({ name: 'Iota Bank', type: 'casino', scopes: ['payee:check'], reason: 'x y z' }), 'VALIDATION_FAILED');
      assertRefused(await post({ name: 'Iota Bank', type: 'bank', scopes: ['everything'], reason: 'x y z' }), 'VALIDATION_FAILED');
      assertRefused(await post({ name: 'Iota Bank', type: 'bank', scopes: [], reason: 'x y z' }), 'VALIDATION_FAILED');
      assertRefused(await post({ name: 'Iota Bank', type: 'bank', scopes: ['payee:check'] }), 'VALIDATION_FAILED');
      assertRefused(await post({ name: 'Alpha Bank', type: 'bank', scopes: ['payee:check'], reason: 'again' }), 'ORGANISATION_EXISTS');
    });

    it('limits count per organisation, not per address: requests per minute, then the daily quota', async () => {
      const limited = await addOrg('Kappa Bank', ['payee:check'], { requestsPerMinute: 3 });
      const free = await addOrg('Lambda Bank', ['payee:check']);
      // Four calls within one minute, each from a fresh address (done again if the minute turned meanwhile).
      let calls: Awaited<ReturnType<typeof me>>[] = [];
      for (let attempt = 0; attempt < 3; attempt++) {
        const minute = Math.floor(Date.now() / 60_000);
        calls = [];
        for (let i = 0; i < 4; i++) calls.push(await me(limited.key.token));
        if (Math.floor(Date.now() / 60_000) === minute) break;
      }
      assert.deepEqual(calls.map((r) => r.statusCode), [200, 200, 200, 429]);
      assertRefused(calls[3] as Awaited<ReturnType<typeof me>>, 'RATE_LIMITED');
      const retry = Number(calls[3]?.headers['retry-after']);
      assert.ok(retry >= 1 && retry <= 60, `Retry-After ${retry}`);
      assert.equal((await me(free.key.token)).statusCode, 200, 'another organisation is not limited by it');

      const quota = await addOrg('Mu Bank', ['payee:check'], { dailyQuota: 2 });
      assert.equal((await me(quota.key.token)).statusCode, 200);
      assert.equal((await me(quota.key.token)).statusCode, 200);
      const over = await me(quota.key.token);
      assertRefused(over, 'QUOTA_EXCEEDED');
      assert.ok(Number(over.headers['retry-after']) > 0);
      // The quota holds across a flush (the counts are then read back from the database, every node's).
      await sg.partnerMeter.flush();
      assertRefused(await me(quota.key.token), 'QUOTA_EXCEEDED');
    });

    it('usage is counted per organisation, day and route, with refusals; the table holds counts only', async () => {
      const { organisation, key } = await addOrg('Nu Bank', ['payee:check']);
      for (let i = 0; i < 3; i++) assert.equal((await me(key.token)).statusCode, 200);
      await sg.partnerMeter.flush();
      const res = await app.inject({ url: `/api/v1/officer/partners/${organisation.id}/usage?days=7`, headers: bearer(admin) });
      assert.equal(res.statusCode, 200, res.body);
      const today = new Date().toISOString().slice(0, 10);
      assert.deepEqual((res.json() as { usage: unknown[] }).usage, [{ organisationId: organisation.id, day: today, route: 'GET /api/v1/partner/me', calls: 3, refused: 0 }]);
      const columns = await sg.db.introspection.getTables().then((tables) => tables.find((t) => t.name === 'partner_usage')?.columns.map((c) => c.name).sort());
      assert.deepEqual(columns, ['calls', 'day', 'organisation_id', 'refused', 'route']);
    });
  });
}
