import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../../src/http/app.js';
import type { Scamgraph } from '../../src/main.js';
import { appendAudit } from '../../src/modules/audit/audit.repository.js';
import { parseCheckpoint, signatureProblem } from '../../src/modules/audit/checkpoint.js';
import { loadSigningKey } from '../../src/modules/audit/signing-key.js';
import { ENGINES, TEST_SIGNING_KEY, openTestScamgraph } from '../helpers/database.js';
import { PASSWORD, assertRefused, bearer, login } from '../helpers/http.js';

// The audit log's public checkpoint and the admin's verification over HTTP: the checkpoint anyone may keep,
// and a log cut short after it caught.

for (const engine of ENGINES) {
  describe(`audit checkpoint routes (${engine})`, () => {
    let sg: Scamgraph;
    let app: FastifyInstance;
    let admin: string;
    let officer: string;
    before(async () => {
      sg = await openTestScamgraph(engine, {});
      app = await buildApp(sg);
      await sg.auth.addUser('audit-admin', PASSWORD, 'admin');
      await sg.auth.addUser('audit-officer', PASSWORD, 'officer');
      admin = await login(app, 'audit-admin');
      officer = await login(app, 'audit-officer');
      await sg.db.transaction().execute(async (trx) => {
        for (const subject of ['phone:+85291234567', 'phone:+85291234568']) await appendAudit(trx, sg.secrets.auditKey, { actor: 'user:audit-admin', action: 'indicator.decide', subject, details: { level: 'high_risk' } });
      });
    });
    after(async () => {
      await app.close();
      await sg.close();
    });

    it('has no checkpoint to show before one is signed', async () => {
      assertRefused(await app.inject({ method: 'GET', url: '/api/v1/audit/checkpoint' }), 'NOT_FOUND');
    });

    it('verifying needs an admin', async () => {
      assertRefused(await app.inject({ method: 'GET', url: '/api/v1/officer/audit/verify' }), 'UNAUTHENTICATED');
      assertRefused(await app.inject({ method: 'GET', url: '/api/v1/officer/audit/verify', headers: bearer(officer) }), 'FORBIDDEN');
    });

    it("an admin's verification signs a checkpoint, served to anyone, whose signature the published key verifies", async () => {
      const verified = await app.inject({ method: 'GET', url: '/api/v1/officer/audit/verify', headers: bearer(admin) });
      assert.equal(verified.statusCode, 200, verified.body);
      const rows = (verified.json() as { rows: number }).rows;
      // The two rows written above, and the sign-ins of the users (audited too).
      assert.equal(rows, Number((await sg.db.selectFrom('audit_log').select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n));
      assert.ok(rows >= 2);
      const res = await app.inject({ method: 'GET', url: '/api/v1/audit/checkpoint' });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(Object.keys(res.json()).sort(), ['key_id', 'sha256_root_hash', 'timestamp', 'tree_head_signature', 'tree_size']);
      const checkpoint = parseCheckpoint(res.body, 'the answer');
      assert.equal(checkpoint.tree_size, rows);
      assert.equal(signatureProblem(checkpoint, loadSigningKey(TEST_SIGNING_KEY).publicKey), null);
    });

    it('a log whose newest rows were removed after the checkpoint fails the verification, named', async () => {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(sg.db);
      await sql`DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)`.execute(sg.db);
      await sql`ALTER TABLE audit_log ENABLE TRIGGER USER`.execute(sg.db);
      const res = await app.inject({ method: 'GET', url: '/api/v1/officer/audit/verify', headers: bearer(admin) });
      assert.equal(res.statusCode, 200, res.body);
      const { broken } = res.json() as { broken: { problem: string; detail: string } | null };
      assert.equal(broken?.problem, 'truncated');
      assert.match(broken?.detail ?? '', /were removed from its end/);
    });
  });
}
