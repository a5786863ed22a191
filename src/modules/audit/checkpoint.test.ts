import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql, type Kysely, type Transaction } from 'kysely';
import { ENGINES, openTestScamgraph } from '../../../test/helpers/database.js';
import type { Scamgraph } from '../../main.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit, verifyAudit } from './audit.repository.js';
import { AuditService, type AuditReport } from './audit.service.js';
import { keyIdOf, parseCheckpoint, signatureProblem, signCheckpoint, type Checkpoint } from './checkpoint.js';
import { CheckpointFile } from './checkpoint-log.js';
import { loadSigningKey } from './signing-key.js';

class Rollback extends Error {}

const entry = (i: number, reason = `case ${i}`) => ({ actor: 'user:alice', action: 'indicator.decide', subject: `phone:+8529123456${i % 10}`, details: { level: 'high_risk', reason } });

for (const engine of ENGINES) {
  describe(`signed checkpoints of the audit log (${engine})`, () => {
    let sg: Scamgraph;
    let dir: string;
    let keyFile: string;
    let logs = 0;
    /** An audit service over `db` with a checkpoint log of its own (the signing key is shared). */
    const serviceOn = (db: Kysely<Database>): { audit: AuditService; log: CheckpointFile; path: string } => {
      const path = join(dir, `checkpoints-${++logs}.jsonl`);
      const log = new CheckpointFile(path);
      return { audit: new AuditService(db, sg.secrets.auditKey, { signingKeyFile: keyFile, log }), log, path };
    };
    const appendIn = async (trx: Transaction<Database>, from: number, to: number, reason?: string): Promise<void> => {
      for (let i = from; i <= to; i++) await appendAudit(trx, sg.secrets.auditKey, entry(i, reason));
    };
    const append = (db: Kysely<Database>, from: number, to: number) => db.transaction().execute((trx) => appendIn(trx, from, to));

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'scamgraph-checkpoints-'));
      keyFile = join(dir, 'keys', 'audit-signing.key');
      sg = await openTestScamgraph(engine, {}, { auditCheckpoints: { signingKeyFile: keyFile, logFile: join(dir, 'main.jsonl'), intervalMinutes: 15 } });
      await append(sg.db, 1, 10);
    });
    after(async () => {
      await sg.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Tampers as a database owner could (triggers off), checks `audit` over the tampered log, rolls back. */
    async function tampered<T>(change: (trx: Transaction<Database>) => Promise<unknown>, check: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
      let result: T | undefined;
      await sg.db
        .transaction()
        .execute(async (trx) => {
          await sql`SET LOCAL session_replication_role = replica`.execute(trx);
          await change(trx);
          result = await check(trx);
          throw new Rollback();
        })
        .catch((error: unknown) => {
          if (!(error instanceof Rollback)) throw error;
        });
      return result as T;
    }

    it('signs checkpoints of a log that verifies, each later than the last, appended as JSON Lines; the key generated 0600 on first use', async () => {
      const { audit, path } = serviceOn(sg.db);
      const first = await audit.publish();
      assert.equal(first.tree_size, 10);
      const head = await sg.db.selectFrom('audit_log').select('hash').where('seq', '=', 10).executeTakeFirstOrThrow();
      assert.equal(first.sha256_root_hash, head.hash.toString('base64'));
      const again = await audit.publish(); // nothing new: the same head, signed afresh
      assert.equal(again.tree_size, 10);
      assert.ok(again.timestamp > first.timestamp);
      const lines = readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => parseCheckpoint(l, path));
      assert.deepEqual(lines, [first, again]);
      const key = loadSigningKey(keyFile);
      assert.equal(first.key_id, keyIdOf(key.publicKey));
      for (const c of lines) assert.equal(signatureProblem(c, key.publicKey), null);
      assert.equal(statSync(keyFile).mode & 0o777, 0o600);
      assert.equal(statSync(join(dir, 'keys')).mode & 0o777, 0o700);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      assert.equal(audit.latestCheckpoint()?.timestamp, again.timestamp);
    });

    it('verify checks the log against the latest checkpoint and then signs a new one; publish walks only the rows since', async () => {
      const { audit } = serviceOn(sg.db);
      const none = await audit.verify();
      assert.deepEqual([none.broken, none.checkpoint, none.published?.tree_size], [null, null, 10]);
      await append(sg.db, 11, 12);
      const report = await audit.verify();
      assert.deepEqual([report.rows, report.broken, report.checkpoint?.tree_size, report.published?.tree_size], [12, null, 10, 12]);
      await append(sg.db, 13, 13);
      assert.equal((await audit.publish()).tree_size, 13);
    });

    /** The same tampering, caught by verify against the checkpoint and refused by publish. */
    async function caught(change: (trx: Transaction<Database>) => Promise<unknown>): Promise<{ report: AuditReport; publish: string; chainAlone: boolean }> {
      const { audit, log } = serviceOn(sg.db);
      const checkpoint = await audit.publish();
      return tampered(change, async (trx) => {
        const over = new AuditService(trx, sg.secrets.auditKey, { signingKeyFile: keyFile, log });
        const report = await over.verify(checkpoint);
        const publish = await over.publish().then(() => 'signed', (error: Error & { code?: string }) => `${error.code}: ${error.message}`);
        // What the chain alone says (all an earlier version had).
        const chainAlone = (await verifyAudit(trx, sg.secrets.auditKey)).broken === null;
        return { report, publish, chainAlone };
      });
    }

    it('catches a truncation of the whole table', async () => {
      const { report, publish, chainAlone } = await caught((trx) => sql`TRUNCATE audit_log`.execute(trx));
      assert.equal(chainAlone, true, 'an empty table is a chain that verifies');
      assert.equal(report.broken?.problem, 'truncated');
      assert.equal(report.broken?.seq, 1);
      assert.match(report.broken?.detail ?? '', /^the log has 0 rows, the checkpoint of \S+ signed 13: rows 1\.\.13 were removed from its end$/);
      assert.equal(report.published, null, 'a damaged log is never signed');
      assert.match(publish, /^AUDIT_LOG_BROKEN: .*truncated/);
    });

    it('catches the removal of the newest rows', async () => {
      const { report, publish, chainAlone } = await caught((trx) => trx.deleteFrom('audit_log').where('seq', '>', 10).execute());
      assert.equal(chainAlone, true);
      assert.deepEqual([report.broken?.problem, report.broken?.seq, report.rows], ['truncated', 11, 10]);
      assert.match(publish, /^AUDIT_LOG_BROKEN: .*rows 11\.\.13 were removed/);
    });

    it('catches a rewrite by someone holding the audit key, who recomputed the chain (same length, or longer)', async () => {
      const rewrite = (extra: number) => async (trx: Transaction<Database>) => {
        await trx.deleteFrom('audit_log').where('seq', '>=', 5).execute();
        await appendIn(trx, 5, 13 + extra, 'rewritten');
      };
      for (const extra of [0, 2]) {
        const { report, publish, chainAlone } = await caught(rewrite(extra));
        assert.equal(chainAlone, true, 'the recomputed chain verifies on its own');
        assert.deepEqual([report.broken?.problem, report.broken?.seq], ['rewritten', 13]);
        assert.match(publish, /^AUDIT_LOG_BROKEN: .*rewritten/);
      }
    });

    it('refuses a checkpoint that was altered or that another key signed, and takes a partner-held public key', async () => {
      const { audit } = serviceOn(sg.db);
      const good = await audit.publish();
      const altered: Checkpoint = { ...good, tree_size: good.tree_size - 1 };
      const byAltered = await audit.verify(altered);
      assert.deepEqual([byAltered.broken?.problem, byAltered.published], ['bad_checkpoint', null]);
      assert.match(byAltered.broken?.detail ?? '', /its signature does not verify/);
      const other = generateKeyPairSync('ed25519');
      const forged = signCheckpoint({ ...other, keyId: keyIdOf(other.publicKey) }, 0, Buffer.alloc(32), Date.now());
      const byForged = await audit.verify(forged);
      assert.equal(byForged.broken?.problem, 'bad_checkpoint');
      assert.match(byForged.broken?.detail ?? '', /names signing key .* not this log's key/);
      // A partner checks with the public key it was given: ours verifies, the forger's does not.
      assert.equal((await audit.verify(good, loadSigningKey(keyFile).publicKey)).broken, null);
      assert.equal((await audit.verify(good, other.publicKey)).broken?.problem, 'bad_checkpoint');
    });
  });
}
