import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openTestScamgraph } from '../../test/helpers/database.js';
import type { Scamgraph } from '../main.js';
import { appendAudit } from '../modules/audit/audit.repository.js';
import type { Checkpoint } from '../modules/audit/checkpoint.js';
import { startCheckpointJob } from './audit-checkpoint.job.js';

/** Resolves once `condition` holds, checked every few milliseconds (10 s at most). */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 10_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('audit checkpoint job', () => {
  let sg: Scamgraph;
  before(async () => {
    sg = await openTestScamgraph('pglite', {});
  });
  after(() => sg.close());

  it('signs at once and then on every tick, follows new rows, reports a damaged log instead of signing it, and stops', async () => {
    const published: Checkpoint[] = [];
    const errors: string[] = [];
    const append = () => sg.db.transaction().execute((trx) => appendAudit(trx, sg.secrets.auditKey, { actor: 'system', action: 'test.tick', subject: 'job', details: {} }));
    await append();
    const job = startCheckpointJob(sg.audit, 10, (error) => errors.push(String((error as { code?: string }).code)), (c) => published.push(c));
    try {
      await until(() => published.length >= 2, 'two checkpoints');
      assert.equal(published[0]?.tree_size, 1);
      await append();
      await until(() => published.at(-1)?.tree_size === 2, 'a checkpoint of the new row');
      assert.deepEqual(sg.audit.latestCheckpoint()?.tree_size, 2, 'each is kept in the checkpoint log');
      await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(sg.db);
      await sql`DELETE FROM audit_log WHERE seq = 2`.execute(sg.db);
      await sql`ALTER TABLE audit_log ENABLE TRIGGER USER`.execute(sg.db);
      await until(() => errors.length >= 2, 'the damage reported on two ticks');
      assert.deepEqual([...new Set(errors)], ['AUDIT_LOG_BROKEN']);
    } finally {
      await job.stop();
    }
    const count = published.length + errors.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(published.length + errors.length, count, 'nothing runs after stop');
  });
});
