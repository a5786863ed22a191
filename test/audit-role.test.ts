import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { openScamgraph, type Scamgraph } from '../src/main.js';
import { appendAudit } from '../src/modules/audit/audit.repository.js';
import { AUDIT_OWNER_ROLE } from '../src/storage/migrations/011-audit-owner.js';
import { ENGINES, testConfig } from './helpers/database.js';

// On PostgreSQL the service's role, which runs the migrations through its one DATABASE_URL, may only
// append to and read the audit log afterwards. The test database's own user is a superuser, which
// bypasses every privilege, so this connects as an ordinary role made for this run (and dropped after it;
// the shared owner role, which other databases on the server use, is left alone).

for (const engine of ENGINES.filter((e) => e === 'postgres')) {
  describe(`the audit log on PostgreSQL, as the service's ordinary role (${engine})`, () => {
    const admin = process.env.DATABASE_URL as string;
    const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
    const role = `scamgraph_test_svc_${suffix}`;
    const database = `scamgraph_test_role_${suffix}`;
    let sg: Scamgraph;
    const asAdmin = async (db: string | null, ...statements: string[]): Promise<void> => {
      const url = new URL(admin);
      if (db !== null) url.pathname = `/${db}`;
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        for (const statement of statements) await client.query(statement);
      } finally {
        await client.end();
      }
    };

    before(async () => {
      // The deployment of docs/audit.md: the administrator owns the database (and so its schema, whose owner
      // could drop any table in it); the service's login role may create in the schema, and create roles
      // for its first migration.
      await asAdmin(null, `CREATE ROLE ${role} LOGIN CREATEROLE`, `CREATE DATABASE ${database}`);
      await asAdmin(database, `GRANT CREATE ON SCHEMA public TO ${role} WITH GRANT OPTION`);
      const url = new URL(admin);
      url.username = role;
      url.pathname = `/${database}`;
      sg = await openScamgraph(testConfig(url.toString()), {}); // migrates, as that role
    });
    after(async () => {
      await sg?.close();
      await asAdmin(null, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`, `DROP ROLE IF EXISTS ${role}`);
    });

    it('the migration handed audit_log to a role no one logs in as, and the service left it and gave up CREATEROLE', async () => {
      const owner = await sql<{ owner: string; member: boolean; createrole: boolean; superuser: boolean }>`
        SELECT tableowner AS owner, pg_has_role(current_user, ${AUDIT_OWNER_ROLE}, 'MEMBER') AS member,
               (SELECT rolcreaterole FROM pg_roles WHERE rolname = current_user) AS createrole,
               (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser
        FROM pg_tables WHERE tablename = 'audit_log'`.execute(sg.db);
      assert.deepEqual(owner.rows[0], { owner: AUDIT_OWNER_ROLE, member: false, createrole: false, superuser: false });
      const login = await sql<{ rolcanlogin: boolean }>`SELECT rolcanlogin FROM pg_roles WHERE rolname = ${AUDIT_OWNER_ROLE}`.execute(sg.db);
      assert.equal(login.rows[0]?.rolcanlogin, false);
    });

    it('appending and verifying work', async () => {
      for (let i = 0; i < 3; i++) {
        await sg.db.transaction().execute((trx) => appendAudit(trx, sg.secrets.auditKey, { actor: 'user:alice', action: 'contact.read', subject: `SG-TEST-${i}`, details: { reason: 'test' } }));
      }
      const report = await sg.audit.verify();
      assert.deepEqual([report.rows, report.broken], [3, null]);
    });

    const refused: [string, string][] = [
      ['UPDATE', `UPDATE audit_log SET actor = 'user:mallory'`],
      ['DELETE', 'DELETE FROM audit_log WHERE seq = 3'],
      ['TRUNCATE', 'TRUNCATE audit_log'],
      ['ALTER TABLE ... DISABLE TRIGGER', 'ALTER TABLE audit_log DISABLE TRIGGER USER'],
      ['replacing the triggers\' function', `CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$`],
      ['joining the owner role', `GRANT ${AUDIT_OWNER_ROLE} TO CURRENT_USER`],
      ['acting as the owner role', `SET ROLE ${AUDIT_OWNER_ROLE}`],
      ['dropping the table', 'DROP TABLE audit_log'],
    ];
    for (const [what, statement] of refused) {
      it(`${what} is refused for want of privilege (not by a trigger, which an owner could turn off)`, async () => {
        await assert.rejects(sql.raw(statement).execute(sg.db), (error: Error & { code?: string }) => {
          assert.equal(error.code, '42501', `${error.code}: ${error.message}`); // insufficient_privilege
          return true;
        });
      });
    }

    it('and the log is whole afterwards', async () => {
      assert.deepEqual((await sg.audit.verify()).broken, null);
      assert.equal((await sg.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n, 3);
    });
  });
}
