import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { appendAudit } from '../src/modules/audit/audit.repository.js';
import { openStorage } from '../src/storage/database.js';
import type { Database } from '../src/storage/schema.js';
import { deriveSecrets } from '../src/storage/secrets.js';
import { TEST_SECRET, childEnv } from './helpers/database.js';

// `scamgraph audit verify` and `audit key` as an operator and a partner use them, on an embedded data
// directory: the tail removed, the table emptied, the log rewritten with the audit key, each caught
// against a checkpoint kept outside the database.

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'scamgraph.js');

describe('audit verify against signed checkpoints (CLI)', () => {
  let dir: string;
  let data: string;
  let keyFile: string;
  let partnerCopy: string;
  const scamgraph = (...args: string[]) => {
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', env: childEnv({ SCAMGRAPH_AUDIT_SIGNING_KEY: keyFile }), timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  /** Changes the stored log as someone holding the data directory could (triggers off). */
  async function tamper(change: (db: Kysely<Database>) => Promise<unknown>): Promise<void> {
    const storage = await openStorage({ databaseUrl: null, dataDir: data });
    try {
      await sql`ALTER TABLE audit_log DISABLE TRIGGER USER`.execute(storage.db);
      await change(storage.db);
      await sql`ALTER TABLE audit_log ENABLE TRIGGER USER`.execute(storage.db);
    } finally {
      await storage.close();
    }
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scamgraph-audit-cli-'));
    data = join(dir, 'data');
    keyFile = join(dir, 'keys', 'audit-signing.key');
    partnerCopy = join(dir, 'partner-copy.json');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the first verify signs a checkpoint with a key generated 0600 outside the data directory; audit key prints its public half', () => {
    assert.equal(scamgraph('demo', '--data', data).status, 0); // three audited protections
    const first = scamgraph('audit', 'verify', '--data', data);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /^Audit log verifies: 3 rows, chain intact\.\nNo checkpoint to check it against yet: .*\nSigned a checkpoint: 3 rows, head \S+, key \S+; appended to .*audit-checkpoints\.jsonl\.\n$/);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    const log = join(data, 'audit-checkpoints.jsonl');
    const checkpoint = JSON.parse(readFileSync(log, 'utf8').trim()) as { tree_size: number; key_id: string };
    assert.equal(checkpoint.tree_size, 3);
    copyFileSync(log, partnerCopy); // what a partner fetched and kept

    const key = scamgraph('audit', 'key');
    assert.equal(key.status, 0, key.stderr);
    assert.match(key.stdout, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\nkey id \(SHA-256 of the key, base64\): (\S+)\n$/);
    assert.equal(/key id .*: (\S+)/.exec(key.stdout)?.[1], checkpoint.key_id);
    assert.doesNotMatch(key.stdout, /PRIVATE/);
    writeFileSync(join(dir, 'public.pem'), key.stdout.split('key id')[0] as string);

    const again = scamgraph('audit', 'verify', '--data', data, '--checkpoint', partnerCopy, '--key', join(dir, 'public.pem'));
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /Consistent with the checkpoint of \S+ \(3 rows, head \S+\)\./);
  });

  it('catches the newest row removed, against the checkpoint log and against a partner\'s copy', async () => {
    await tamper((db) => sql`DELETE FROM audit_log WHERE seq = 3`.execute(db));
    for (const args of [[], ['--checkpoint', partnerCopy]]) {
      const result = scamgraph('audit', 'verify', '--data', data, ...args);
      assert.equal(result.status, 1, result.stdout + result.stderr);
      assert.match(result.stdout, /^Audit log BROKEN at row 3: truncated \(the log has 2 rows, the checkpoint of \S+ signed 3: rows 3\.\.3 were removed from its end\)\.\n$/);
    }
  });

  it('catches the whole table emptied (it used to "verify: 0 rows"), even with the checkpoint log gone too', async () => {
    await tamper((db) => sql`TRUNCATE audit_log`.execute(db));
    rmSync(join(data, 'audit-checkpoints.jsonl'));
    const result = scamgraph('audit', 'verify', '--data', data, '--checkpoint', partnerCopy);
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /BROKEN at row 1: truncated \(the log has 0 rows/);
  });

  it('catches a rewrite by someone holding the audit key, whose recomputed chain verifies on its own', async () => {
    const { auditKey } = deriveSecrets(TEST_SECRET); // the data directory's key, which its holder has
    await tamper((db) =>
      db.transaction().execute(async (trx) => {
        for (const subject of ['domain:a.example', 'domain:b.example', 'domain:c.example']) await appendAudit(trx, auditKey, { actor: 'cli', action: 'protected.add', subject, details: {} });
      }),
    );
    const result = scamgraph('audit', 'verify', '--data', data, '--checkpoint', partnerCopy);
    assert.equal(result.status, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /BROKEN at row 3: rewritten \(row 3 is not the one the checkpoint of \S+ signed: the log up to it was rewritten\)/);
    assert.equal(existsSync(join(data, 'audit-checkpoints.jsonl')), false, 'nothing signed for a log that failed');
  });

  it('refuses a checkpoint that was altered or signed by another key, and a file that is no checkpoint', () => {
    const good = JSON.parse(readFileSync(partnerCopy, 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'altered.json'), JSON.stringify({ ...good, tree_size: 0 }, null, 2));
    const altered = scamgraph('audit', 'verify', '--data', data, '--checkpoint', join(dir, 'altered.json'));
    assert.equal(altered.status, 1);
    assert.match(altered.stdout, /BROKEN at row 0: bad_checkpoint \(the checkpoint of \S+ is not to be trusted: its signature does not verify/);
    writeFileSync(join(dir, 'other.pem'), generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }) as string);
    const otherKey = scamgraph('audit', 'verify', '--data', data, '--checkpoint', partnerCopy, '--key', join(dir, 'other.pem'));
    assert.match(otherKey.stdout, /bad_checkpoint \(.*names signing key \S+, not this log's key/);
    writeFileSync(join(dir, 'junk.json'), '{"tree_size": 3}\n');
    const junk = scamgraph('audit', 'verify', '--data', data, '--checkpoint', join(dir, 'junk.json'));
    assert.equal(junk.status, 1);
    assert.match(junk.stderr, /is not a signed audit checkpoint .* \[INVALID_CHECKPOINT\]/);
    assert.equal(scamgraph('audit', 'sign', '--data', data).status, 2);
  });
});
