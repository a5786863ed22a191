import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Migrator, type KyselyPlugin } from 'kysely';
import { openStorage, type Storage } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import * as initial from '../src/storage/migrations/001-initial.js';
import { ENGINES, freshDatabase, type FreshDatabase } from './helpers/database.js';

// Every process migrates on open: with nothing to do that must cost one query (the migrator's introspection
// and lock cost a one-off `check` hundreds of milliseconds), and a missing migration must still be run.

/** A plugin that counts the statements sent through it (raw `sql` ones too: plugins see every query). */
function statementCounter(): KyselyPlugin & { count: number } {
  return {
    count: 0,
    transformQuery(args) {
      this.count++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
}

for (const engine of ENGINES) {
  describe(`migrateToLatest when the schema is current (${engine})`, () => {
    let fresh: FreshDatabase;
    let storage: Storage;

    before(async () => {
      fresh = await freshDatabase(engine);
      storage = await openStorage({ databaseUrl: fresh.url, dataDir: 'memory://' });
    });
    after(async () => {
      await storage.close();
      await fresh.drop();
    });

    it('runs the migrations a database of the first schema lacks', async () => {
      const first = new Migrator({ db: storage.db, provider: { getMigrations: async () => ({ '001-initial': initial }) } });
      assert.equal((await first.migrateToLatest()).error, undefined);
      const results = (await migrateToLatest(storage.db)).results ?? [];
      assert.ok(results.length > 0, 'the later migrations ran');
      assert.ok(results.every((r) => r.status === 'Success' && r.migrationName !== '001-initial'));
    });

    it('then, with nothing left to do, sends one statement and applies nothing', async () => {
      const counter = statementCounter();
      const result = await migrateToLatest(storage.db.withPlugin(counter));
      assert.deepEqual(result.results, []);
      assert.equal(counter.count, 1);
    });
  });
}
