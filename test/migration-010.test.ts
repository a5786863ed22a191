import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import { AuthService } from '../src/modules/auth/auth.service.js';
import { openStorage, type Storage } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import * as initial from '../src/storage/migrations/001-initial.js';
import * as evidenceReporters from '../src/storage/migrations/002-evidence-reporters.js';
import * as linkTablesUnchecked from '../src/storage/migrations/003-link-tables-unchecked.js';
import * as clusters from '../src/storage/migrations/004-clusters.js';
import * as triage from '../src/storage/migrations/005-triage.js';
import * as auditSubject from '../src/storage/migrations/006-audit-subject.js';
import { ENGINES, TEST_SECRET, freshDatabase, type FreshDatabase } from './helpers/database.js';

// Sessions and users made before migration 010 keep working after it: each session gets an id to be listed and
// revoked by, and counts as used when the migration ran (not idle since it was created).

const TOKEN = 'A'.repeat(43);

for (const engine of ENGINES) {
  describe(`migration 010 on a database with users and sessions (${engine})`, () => {
    let fresh: FreshDatabase;
    let storage: Storage;

    before(async () => {
      fresh = await freshDatabase(engine);
      storage = await openStorage({ databaseUrl: fresh.url, dataDir: 'memory://' });
      const earlier = { '001-initial': initial, '002-evidence-reporters': evidenceReporters, '003-link-tables-unchecked': linkTablesUnchecked, '004-clusters': clusters, '005-triage': triage, '006-audit-subject': auditSubject };
      assert.equal((await new Migrator({ db: storage.db, provider: { getMigrations: async () => earlier } }).migrateToLatest()).error, undefined);
      await sql`INSERT INTO users (id, username, password_hash, role) VALUES (7, 'old-officer', 'x', 'officer')`.execute(storage.db);
      await sql`
        INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
        VALUES (${createHash('sha256').update(TOKEN).digest()}, 7, now() - interval '2 hours', now() + interval '10 hours')`.execute(storage.db);
    });
    after(async () => {
      await storage.close();
      await fresh.drop();
    });

    it('gives the session an id and a last-used time, and the user no password to change', async () => {
      const result = await migrateToLatest(storage.db);
      assert.ok(result.results?.some((r) => r.migrationName === '010-sessions-and-throttle' && r.status === 'Success'));
      const session = await storage.db.selectFrom('sessions').select(['id', 'last_used_at', 'user_agent']).executeTakeFirstOrThrow();
      assert.equal(typeof session.id, 'number');
      assert.ok(Date.now() - session.last_used_at.getTime() < 60_000);
      assert.equal(session.user_agent, null);
      const user = await storage.db.selectFrom('users').select(['must_change_password', 'password_changed_at']).executeTakeFirstOrThrow();
      assert.deepEqual(user, { must_change_password: false, password_changed_at: null });
    });

    it('the session still signs its user in, and is listed', async () => {
      const auth = new AuthService(storage.db, TEST_SECRET);
      const user = await auth.authenticate(TOKEN);
      assert.deepEqual(user, { id: 7, username: 'old-officer', role: 'officer' });
      assert.ok(user !== null);
      const sessions = await auth.sessions(user, TOKEN);
      assert.deepEqual(sessions.map((s) => s.current), [true]);
    });
  });
}
