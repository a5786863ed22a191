import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql, type Transaction } from 'kysely';
import { ENGINES, openTestScamgraph } from '../../../test/helpers/database.js';
import type { Scamgraph } from '../../main.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit, verifyAudit, type ChainWalk } from './audit.repository.js';

class Rollback extends Error {}

for (const engine of ENGINES) {
  describe(`audit log (${engine})`, () => {
    let sg: Scamgraph;
    before(async () => {
      sg = await openTestScamgraph(engine, {});
      for (let i = 1; i <= 10; i++) {
        await sg.db.transaction().execute((trx) => appendAudit(trx, sg.secrets.auditKey, { actor: 'user:alice', action: 'indicator.decide', subject: `phone:+8529123456${i % 10}`, details: { level: 'high_risk', reason: `case ${i}`, nested: { b: 1, a: [i] } } }));
      }
    });
    after(() => sg.close());

    /** Tampers inside a transaction (bypassing the append-only triggers as a database owner could), verifies, rolls back. */
    async function tamper(change: (trx: Transaction<Database>) => Promise<unknown>): Promise<ChainWalk> {
      let result: ChainWalk | undefined;
      await sg.db
        .transaction()
        .execute(async (trx) => {
          await sql`SET LOCAL session_replication_role = replica`.execute(trx);
          await change(trx);
          result = await verifyAudit(trx, sg.secrets.auditKey);
          throw new Rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
      return result as ChainWalk;
    }

    it('an untouched chain verifies', async () => {
      const walk = await verifyAudit(sg.db, sg.secrets.auditKey, { pageSize: 3 }); // across pages
      assert.deepEqual([walk.rows, walk.broken, walk.head.seq], [10, null, 10]);
      const last = await sg.db.selectFrom('audit_log').select('hash').where('seq', '=', 10).executeTakeFirstOrThrow();
      assert.ok(walk.head.hash.equals(last.hash));
    });

    it('refuses UPDATE and DELETE through the triggers', async () => {
      await assert.rejects(sg.db.updateTable('audit_log').set({ actor: 'user:mallory' }).where('seq', '=', 3).execute(), /append-only/);
      await assert.rejects(sg.db.deleteFrom('audit_log').where('seq', '=', 3).execute(), /append-only/);
    });

    it('catches an edited row', async () => {
      const result = await tamper((trx) => trx.updateTable('audit_log').set({ details: JSON.stringify({ level: 'cleared', reason: 'case 5', nested: { a: [5], b: 1 } }) }).where('seq', '=', 5).execute());
      assert.deepEqual(result.broken, { seq: 5, problem: 'altered', detail: 'row 5 does not match its own hash: its content was changed' });
    });

    it('catches a deleted row', async () => {
      const result = await tamper((trx) => trx.deleteFrom('audit_log').where('seq', '=', 6).execute());
      assert.equal(result.broken?.seq, 6);
      assert.equal(result.broken?.problem, 'removed');
    });

    it('catches reordered rows', async () => {
      const result = await tamper(async (trx) => {
        await trx.updateTable('audit_log').set({ seq: 1000 }).where('seq', '=', 4).execute();
        await trx.updateTable('audit_log').set({ seq: 4 }).where('seq', '=', 5).execute();
        await trx.updateTable('audit_log').set({ seq: 5 }).where('seq', '=', 1000).execute();
      });
      assert.equal(result.broken?.seq, 4);
      assert.equal(result.broken?.problem, 'out_of_order');
    });

    it('catches a row inserted by someone without the audit key', async () => {
      const result = await tamper(async (trx) => {
        // Make room at 7 (through a detour: the primary key is checked row by row).
        await trx.updateTable('audit_log').set({ seq: sql`seq + 1000` }).where('seq', '>=', 7).execute();
        await trx.updateTable('audit_log').set({ seq: sql`seq - 999` }).where('seq', '>=', 1000).execute();
        const prev = await trx.selectFrom('audit_log').select('hash').where('seq', '=', 6).executeTakeFirstOrThrow();
        await trx.insertInto('audit_log').values({ seq: 7, at: new Date(), actor: 'user:mallory', action: 'contact.read', subject: 'SG-0000-0000-0000', details: '{}', prev_hash: prev.hash, hash: Buffer.alloc(32) }).execute();
      });
      assert.equal(result.broken?.seq, 7);
      assert.equal(result.broken?.problem, 'altered');
    });
  });
}
