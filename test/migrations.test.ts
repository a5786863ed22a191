import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Migrator, sql } from 'kysely';
import { DEFAULT_VERDICT_POLICY } from '../src/config.js';
import { addReportEvidence } from '../src/modules/verdicts/verdicts.repository.js';
import { openStorage, type Storage } from '../src/storage/database.js';
import { migrateToLatest } from '../src/storage/migrate.js';
import * as initial from '../src/storage/migrations/001-initial.js';
import { ENGINES, freshDatabase, type FreshDatabase } from './helpers/database.js';

// A database made by the first schema, with reports in it, is brought up to date without losing what it counted.

const ENTRY = 'phone:+85291234567';
const ctx = { policy: DEFAULT_VERDICT_POLICY, now: Date.now() / 1000 };
const counted = Buffer.alloc(32, 1); // an original report's reporter
const repeated = Buffer.alloc(32, 2); // a reporter whose only report here is a repeat (counts nowhere)

for (const engine of ENGINES) {
  describe(`migrations 002–007 on a database of the first schema (${engine})`, () => {
    let fresh: FreshDatabase;
    let storage: Storage;

    before(async () => {
      fresh = await freshDatabase(engine);
      storage = await openStorage({ databaseUrl: fresh.url, dataDir: 'memory://' });
      const first = new Migrator({ db: storage.db, provider: { getMigrations: async () => ({ '001-initial': initial }) } });
      assert.equal((await first.migrateToLatest()).error, undefined);
      await sql`
        INSERT INTO reports (id, reference, source, fingerprint, content_hash, received_at, channel, scam_type, narrative, duplicate_of)
        VALUES (1, 'SG-A', 'public', ${counted}, ${Buffer.alloc(32, 9)}, now(), 'sms', 'investment', '', NULL),
               (2, 'SG-B', 'public', ${repeated}, ${Buffer.alloc(32, 9)}, now(), 'sms', 'investment', '', 1)`.execute(storage.db);
      await sql`INSERT INTO report_evidence (evidence_key, report_id) VALUES (${ENTRY}, 1), (${ENTRY}, 2)`.execute(storage.db);
      await sql`INSERT INTO report_indicators (report_id, key, kind, canonical) VALUES (1, ${ENTRY}, 'phone', '+85291234567'), (2, ${ENTRY}, 'phone', '+85291234567')`.execute(storage.db);
      await sql`
        INSERT INTO reports (id, reference, source, fingerprint, content_hash, received_at, channel, scam_type, narrative)
        VALUES (3, 'SG-C', 'public', ${Buffer.alloc(32, 3)}, ${Buffer.alloc(32, 8)}, now(), 'call', 'romance', '')`.execute(storage.db);
      await sql`
        INSERT INTO evidence (key, report_count, first_seen, last_seen, last_report, scam_types, feed_level, decision, protection)
        VALUES (${ENTRY}, 1, now(), now(), now(), 1, 0, 0, 0)`.execute(storage.db);
    });
    after(async () => {
      await storage.close();
      await fresh.drop();
    });

    it('fills evidence_reporters from the stored originals, not from repeats', async () => {
      const result = await migrateToLatest(storage.db);
      assert.deepEqual(result.results?.map((r) => r.migrationName), ['002-evidence-reporters', '003-link-tables-unchecked', '004-clusters', '005-triage', '006-audit-subject', '007-verdict-log', '010-sessions-and-throttle', '011-audit-owner', '012-partners', '013-change-notify', '014-webhooks', '015-stix-objects', '016-telco-outcomes', '017-taxii-pulls', '018-messages', '019-sender-registry', '020-retention', '021-disputes', '022-audit-subject-keys', '023-campaign-share-history']);
      const rows = await storage.db.selectFrom('evidence_reporters').selectAll().execute();
      assert.deepEqual(rows.map((r) => [r.evidence_key, Buffer.from(r.fingerprint).equals(counted)]), [[ENTRY, true]]);
    });

    it('keeps what every report was counted by, and gives each entry its kind (migration 007)', async () => {
      const reports = await storage.db.selectFrom('reports').select(['id', 'fingerprint', 'independence']).orderBy('id').execute();
      assert.ok(reports.every((r) => Buffer.from(r.independence).equals(Buffer.from(r.fingerprint))));
      const e = await storage.db.selectFrom('evidence').select(['kind', 'report_count', 'source_count', 'level']).where('key', '=', ENTRY).executeTakeFirstOrThrow();
      assert.deepEqual([e.kind, e.report_count, e.source_count, e.level], ['phone', 1, 1, 0]);
      // Its stored levels are not judged yet: the first start re-judges everything (any policy differs).
      assert.equal((await storage.db.selectFrom('verdict_policy').select('policy').executeTakeFirstOrThrow()).policy, 'unjudged');
      const sources = await storage.db.selectFrom('evidence_sources').selectAll().execute();
      assert.deepEqual(sources.map((r) => [r.evidence_key, Buffer.from(r.independence).equals(counted)]), [[ENTRY, true]]);
    });

    it('leaves the link tables without foreign keys (migration 003)', async () => {
      const keys = await sql<{ table: string }>`
        SELECT conrelid::regclass::text AS table FROM pg_constraint
        WHERE contype = 'f' AND conrelid IN ('report_indicators'::regclass, 'report_evidence'::regclass)`.execute(storage.db);
      assert.deepEqual(keys.rows, []);
      const kept = await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_constraint WHERE contype = 'f' AND conrelid = 'reporter_contacts'::regclass`.execute(storage.db);
      assert.equal(kept.rows[0]?.n, 1, 'contacts keep theirs');
    });

    it('clusters the reports stored before (migration 004): two sharing a number, one alone', async () => {
      const rows = await storage.db.selectFrom('report_clusters').selectAll().orderBy('report_id').execute();
      assert.deepEqual(rows.map((r) => [r.report_id, r.cluster_id]), [[1, 1], [2, 1], [3, 3]]);
      const clusters = await storage.db.selectFrom('clusters').select(['id', 'report_count']).orderBy('id').execute();
      assert.deepEqual(clusters.map((c) => [c.id, c.report_count]), [[1, 2], [3, 1]]);
      const key = await storage.db.selectFrom('correlation_keys').selectAll().executeTakeFirstOrThrow();
      assert.deepEqual([key.key, key.cluster_id, key.blocked, key.family], [ENTRY, 1, 0, 'phone:+852912345']);
    });

    it('then a reporter counted before the migration is not counted again; a new one is', async () => {
      const report = (fingerprint: Buffer) => ({ entry: ENTRY, fingerprint, independence: fingerprint, receivedAt: new Date(), scamType: 'investment', mayRepeat: true });
      await storage.db.transaction().execute((trx) => addReportEvidence(trx, [report(counted)], ctx));
      const count = async (): Promise<number> => (await storage.db.selectFrom('evidence').select('report_count').where('key', '=', ENTRY).executeTakeFirstOrThrow()).report_count;
      assert.equal(await count(), 1);
      await storage.db.transaction().execute((trx) => addReportEvidence(trx, [report(repeated), report(repeated)], ctx));
      assert.equal(await count(), 2, 'the reporter of a repeat had not been counted; twice in one batch counts once');
    });
  });
}
