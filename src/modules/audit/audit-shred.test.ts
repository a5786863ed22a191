import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { ENGINES, databaseRows, openTestScamgraph } from '../../../test/helpers/database.js';
import type { Scamgraph } from '../../main.js';
import { ERASED, UNREADABLE, isSealed } from './audit-crypto.js';
import { appendAudit, readableAuditRows, shredSubject, verifyAudit } from './audit.repository.js';

// The audit log holds personal free text only encrypted under its subject's key; erasing the subject
// destroys the key (crypto-shredding), and the chain, which covers the stored form, still verifies.

const REPORT = 'SG-2024-0001-0042';
const OTHER = 'SG-2024-0001-0043';
const NAMED = 'rang Mrs Chan Tai-man at 9123 4567 about her report';

for (const engine of ENGINES) {
  describe(`audit log without personal data in clear (${engine})`, () => {
    let sg: Scamgraph;
    const rows = () => sg.db.selectFrom('audit_log').select(['seq', 'actor', 'action', 'subject', 'details']).orderBy('seq').execute();
    const readable = async () => readableAuditRows(sg.db, sg.secrets.auditKey, await rows());
    before(async () => {
      sg = await openTestScamgraph(engine, {});
      await sg.db.transaction().execute(async (trx) => {
        await appendAudit(trx, sg.secrets.auditKey, { actor: 'user:alice', action: 'contact.read', subject: REPORT, details: { reason: NAMED } });
        await appendAudit(trx, sg.secrets.auditKey, { actor: 'user:alice', action: 'report.note', subject: REPORT, details: { note: 'Chan Tai-man is afraid of the caller', level: 3 } });
        await appendAudit(trx, sg.secrets.auditKey, { actor: 'user:bob', action: 'contact.read', subject: OTHER, details: { reason: 'calling Mr Wong back' } });
        await appendAudit(trx, sg.secrets.auditKey, { actor: 'user:bob', action: 'report.read', subject: OTHER, details: {} });
      });
    });
    after(() => sg.close());

    it('stores no clear text of a reason or note naming a person anywhere in the database, and readers see it', async () => {
      const everything = (await databaseRows(sg)).join('\n');
      for (const clear of ['Chan Tai-man', '9123 4567', 'Mr Wong']) assert.ok(!everything.includes(clear), `${clear} is in the database`);
      const stored = await rows();
      assert.ok(isSealed((stored[0]?.details as Record<string, unknown>).reason));
      assert.equal((stored[1]?.details as Record<string, unknown>).level, 3, 'fields that are not personal stay readable without a key');
      const shown = await readable();
      assert.deepEqual(shown.map((r) => r.details), [{ reason: NAMED }, { note: 'Chan Tai-man is afraid of the caller', level: 3 }, { reason: 'calling Mr Wong back' }, {}]);
      // One key per subject, created on first use.
      const keys = await sg.db.selectFrom('audit_subject_keys').select(['subject']).orderBy('id').execute();
      assert.deepEqual(keys.map((k) => k.subject), [REPORT, OTHER]);
      assert.equal((await verifyAudit(sg.db, sg.secrets.auditKey)).broken, null);
    });

    it('catches an edit of an encrypted value, as of any other', async () => {
      await sg.db
        .transaction()
        .execute(async (trx) => {
          await sql`SET LOCAL session_replication_role = replica`.execute(trx);
          const row = await trx.selectFrom('audit_log').select('details').where('seq', '=', 1).executeTakeFirstOrThrow();
          const sealed = (row.details as { reason: { enc: string; key: number } }).reason;
          const bytes = Buffer.from(sealed.enc, 'base64');
          bytes[14] = (bytes[14] as number) ^ 1;
          await trx.updateTable('audit_log').set({ details: JSON.stringify({ reason: { ...sealed, enc: bytes.toString('base64') } }) }).where('seq', '=', 1).execute();
          const walk = await verifyAudit(trx, sg.secrets.auditKey);
          assert.deepEqual([walk.broken?.seq, walk.broken?.problem], [1, 'altered']);
          const shown = await readableAuditRows(trx, sg.secrets.auditKey, await trx.selectFrom('audit_log').select(['subject', 'details']).where('seq', '=', 1).execute());
          assert.deepEqual(shown[0]?.details, { reason: UNREADABLE });
          throw new Error('rollback');
        })
        .catch((error: Error) => assert.equal(error.message, 'rollback'));
    });

    it('shredding a subject erases its text for good, audited, and the chain still verifies', async () => {
      const destroyed = await sg.db.transaction().execute((trx) => shredSubject(trx, sg.secrets.auditKey, REPORT, 'system:erasure'));
      assert.equal(destroyed, 1);
      const shown = await readable();
      assert.deepEqual(shown.map((r) => [r.subject, r.action, r.details]), [
        [REPORT, 'contact.read', { reason: ERASED }],
        [REPORT, 'report.note', { note: ERASED, level: 3 }],
        [OTHER, 'contact.read', { reason: 'calling Mr Wong back' }],
        [OTHER, 'report.read', {}],
        [REPORT, 'audit.shred', { keys: 1 }],
      ]);
      assert.equal(shown.at(-1)?.actor, 'system:erasure');
      const walk = await verifyAudit(sg.db, sg.secrets.auditKey);
      assert.deepEqual([walk.broken, walk.rows], [null, 5]);
      // The key's bytes are gone; the row stays, so a reader can say erased rather than missing.
      const key = await sg.db.selectFrom('audit_subject_keys').selectAll().where('subject', '=', REPORT).executeTakeFirstOrThrow();
      assert.deepEqual([key.wrapped, key.shredded_at instanceof Date], [null, true]);
      // The service's view (the console's audit page) reads the same.
      assert.deepEqual((await sg.audit.list(0, 10)).map((r) => r.details).slice(0, 2), [{ reason: ERASED }, { note: ERASED, level: 3 }]);
      const report = await sg.audit.verify();
      assert.equal(report.broken, null);
    });

    it('a later write about a shredded subject gets a new key; the erased rows stay erased; shredding nothing is harmless', async () => {
      await sg.db.transaction().execute((trx) => appendAudit(trx, sg.secrets.auditKey, { actor: 'user:alice', action: 'report.reopen', subject: REPORT, details: { reason: 'reporter wrote again' } }));
      const shown = await readable();
      assert.deepEqual(shown.at(-1)?.details, { reason: 'reporter wrote again' });
      assert.deepEqual(shown[0]?.details, { reason: ERASED });
      assert.equal(await sg.db.transaction().execute((trx) => shredSubject(trx, sg.secrets.auditKey, 'SG-NEVER-WRITTEN')), 0);
      assert.equal((await verifyAudit(sg.db, sg.secrets.auditKey)).broken, null);
    });
  });
}
