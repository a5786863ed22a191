import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { openStorage } from '../../storage/database.js';
import { migrateToLatest } from '../../storage/migrate.js';
import type { Database } from '../../storage/schema.js';
import { CheckCounter } from './check-counter.js';

const counts = async (db: Kysely<Database>): Promise<[string, number][]> =>
  (await db.selectFrom('check_counts').selectAll().orderBy('day').execute()).map((r) => [new Date(r.day).toISOString().slice(0, 10), Number(r.checks)]);

test('checks are counted per UTC day, added to what other servers counted, and kept when a flush fails', async () => {
  const storage = await openStorage({ databaseUrl: null, dataDir: 'memory://' });
  try {
    await migrateToLatest(storage.db);
    const counter = new CheckCounter(storage.db);
    const day1 = Date.parse('2026-11-23T23:59:59Z');
    counter.add(1, day1);
    counter.add(2, day1);
    counter.add(1, day1 + 2000); // the next UTC day
    await counter.flush();
    assert.deepEqual(await counts(storage.db), [['2026-11-23', 3], ['2026-11-24', 1]]);
    const other = new CheckCounter(storage.db);
    other.add(5, day1 + 2000);
    await other.close();
    assert.deepEqual(await counts(storage.db), [['2026-11-23', 3], ['2026-11-24', 6]]);
    counter.add(4, day1 + 2000);
    await sql`ALTER TABLE check_counts RENAME TO check_counts_away`.execute(storage.db);
    await assert.rejects(counter.flush());
    await sql`ALTER TABLE check_counts_away RENAME TO check_counts`.execute(storage.db);
    await counter.flush();
    assert.deepEqual(await counts(storage.db), [['2026-11-23', 3], ['2026-11-24', 10]], 'the failed flush kept its counts for the next');
  } finally {
    await storage.close();
  }
});
