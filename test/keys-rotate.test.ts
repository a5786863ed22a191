import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigError, type Config } from '../src/config.js';
import { openScamgraph, type Scamgraph } from '../src/main.js';
import { readableAuditRows } from '../src/modules/audit/audit.repository.js';
import { rotateMasterSecret } from '../src/modules/audit/key-rotation.js';
import { deriveSecrets, masterKeyId } from '../src/storage/secrets.js';
import { ENGINES, TEST_SECRET, childEnv, freshDatabase, testConfig, type FreshDatabase } from './helpers/database.js';

// Rotating the master secret re-wraps the data keys and changes nothing else: every encrypted or keyed
// value written before reads the same after, and the old secret no longer opens the database.

const NEW_SECRET = Buffer.alloc(32, 7);
const CONTACT = { email: 'rotating.reporter@example.com', phone: '+85291110000', consent: true as const };
const REPORT = { scamType: 'investment' as const, channel: 'call' as const, narrative: 'They promised 30% a month.', indicators: [{ value: '+852 9123 0042', role: 'caller' as const }], contact: CONTACT };

function webhookSecret(key: Buffer, row: { secret_nonce: Buffer; secret_ciphertext: Buffer }): string {
  const decipher = createDecipheriv('aes-256-gcm', key, row.secret_nonce);
  decipher.setAuthTag(row.secret_ciphertext.subarray(row.secret_ciphertext.length - 16));
  return Buffer.concat([decipher.update(row.secret_ciphertext.subarray(0, row.secret_ciphertext.length - 16)), decipher.final()]).toString('utf8');
}

for (const engine of ENGINES) {
  describe(`keys rotate (${engine})`, () => {
    let dir: string;
    let fresh: FreshDatabase;
    let config: (secret: Buffer) => Readonly<Config>;
    let reference: string;
    let hookSecret: string;
    let fingerprint: Buffer;
    let before_: { stixKey: Buffer; fingerprintKey: Buffer; auditKey: Buffer };
    const open = (secret: Buffer): Promise<Scamgraph> => openScamgraph(config(secret), {});
    async function using<T>(secret: Buffer, run: (sg: Scamgraph) => Promise<T>): Promise<T> {
      const sg = await open(secret);
      try {
        return await run(sg);
      } finally {
        await sg.close();
      }
    }

    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'scamgraph-keys-'));
      fresh = await freshDatabase(engine);
      // On disk for PGlite, so that the database outlives one open.
      config = (secret) => testConfig(fresh.url, { dataDir: join(dir, 'data'), secretKey: secret });
      await using(TEST_SECRET, async (sg) => {
        before_ = { stixKey: sg.secrets.stixKey, fingerprintKey: sg.secrets.fingerprintKey, auditKey: sg.secrets.auditKey };
        // The keys a database starts with are those the secret derives: data written before the keyring reads on.
        assert.deepEqual(before_, (({ stixKey, fingerprintKey, auditKey }) => ({ stixKey, fingerprintKey, auditKey }))(deriveSecrets(TEST_SECRET)));
        reference = (await sg.reports.submit(REPORT, '203.0.113.9')).reference;
        await sg.reports.readContact('user:officer', reference, 'calling Ms Lee back');
        const { organisation } = await sg.partners.addOrganisation('cli', { name: 'Rotation Bank', type: 'bank', scopes: ['webhooks:manage'] }, 'rotation test');
        hookSecret = (await sg.webhooks.subscribe(organisation, { url: 'https://hooks.example.com/scamgraph' })).secret;
        fingerprint = (await sg.db.selectFrom('reports').select('fingerprint').where('reference', '=', reference).executeTakeFirstOrThrow()).fingerprint;
      });
    });
    after(async () => {
      await fresh.drop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('re-wraps the data keys in one audited transaction, with the ids of the secrets and never key material', async () => {
      const rotation = await using(TEST_SECRET, (sg) => rotateMasterSecret(sg.db, sg.secrets.auditKey, TEST_SECRET, NEW_SECRET, 'cli'));
      assert.deepEqual([rotation.from, rotation.to], [masterKeyId(TEST_SECRET), masterKeyId(NEW_SECRET)]);
      assert.equal(rotation.keys.length, 6);
      await using(NEW_SECRET, async (sg) => {
        const row = await sg.db.selectFrom('audit_log').selectAll().where('action', '=', 'keys.rotate').executeTakeFirstOrThrow();
        assert.deepEqual([row.seq, row.actor, row.subject], [rotation.seq, 'cli', 'keys']);
        const text = JSON.stringify(row.details);
        for (const key of Object.values(sg.secrets)) for (const form of [key.toString('hex'), key.toString('base64')]) assert.ok(!text.includes(form));
        for (const secret of [TEST_SECRET, NEW_SECRET]) assert.ok(!text.includes(secret.toString('base64')));
      });
    });

    it('with the new secret: the contact and the webhook secret decrypt, the chain verifies, keys and fingerprints are unchanged', async () => {
      await using(NEW_SECRET, async (sg) => {
        assert.deepEqual(sg.secrets.stixKey, before_.stixKey, 'STIX ids unchanged');
        assert.deepEqual(sg.secrets.fingerprintKey, before_.fingerprintKey);
        assert.deepEqual(await sg.reports.readContact('user:officer', reference, 'after the rotation'), { email: CONTACT.email, phone: CONTACT.phone });
        const hook = await sg.db.selectFrom('webhook_subscriptions').select(['secret_nonce', 'secret_ciphertext']).executeTakeFirstOrThrow();
        assert.equal(webhookSecret(sg.secrets.webhookKey, hook), hookSecret);
        const report = await sg.audit.verify();
        assert.equal(report.broken, null);
        // The reason written before the rotation still reads (the subject keys hang off the unchanged audit key).
        const reads = await readableAuditRows(sg.db, sg.secrets.auditKey, await sg.db.selectFrom('audit_log').select(['subject', 'details']).where('action', '=', 'contact.read').orderBy('seq').execute());
        assert.deepEqual(reads.map((r) => (r.details as { reason: string }).reason), ['calling Ms Lee back', 'after the rotation']);
        // The same reporter again: the same fingerprint, so linked as a repeat (it counts once).
        const again = (await sg.reports.submit(REPORT, '203.0.113.9')).reference;
        const rows = await sg.db.selectFrom('reports').select(['reference', 'fingerprint', 'duplicate_of']).orderBy('id').execute();
        const repeat = rows.find((r) => r.reference === again);
        assert.deepEqual(repeat?.fingerprint, fingerprint);
        assert.equal(repeat?.duplicate_of, (await sg.db.selectFrom('reports').select('id').where('reference', '=', reference).executeTakeFirstOrThrow()).id);
      });
    });

    it('the old secret no longer opens the database: a ConfigError naming both secrets, not garbage', async () => {
      await assert.rejects(open(TEST_SECRET), (error: Error) => {
        assert.ok(error instanceof ConfigError, String(error));
        assert.match(error.message, new RegExp(`key id ${masterKeyId(TEST_SECRET)}\\) does not open this database's data keys: they are wrapped under the secret with key id ${masterKeyId(NEW_SECRET)}`));
        return true;
      });
      // A rotation from a secret that is not the one in use is refused, and changes nothing.
      await using(NEW_SECRET, async (sg) => {
        await assert.rejects(rotateMasterSecret(sg.db, sg.secrets.auditKey, TEST_SECRET, Buffer.alloc(32, 9), 'cli'), ConfigError);
        assert.equal((await sg.audit.verify()).broken, null);
      });
    });
  });
}

// The command as an operator runs it, on an embedded data directory with its own secret.key, and with
// SCAMGRAPH_SECRET_KEY.
describe('scamgraph keys rotate (CLI)', () => {
  const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
  const BIN = join(ROOT, 'bin', 'scamgraph.js');
  let dir: string;
  const scamgraph = (env: Record<string, string>, input: string | undefined, ...args: string[]) => {
    const { SCAMGRAPH_SECRET_KEY: _unset, ...rest } = childEnv();
    const result = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', env: { ...rest, ...env }, input, timeout: 120_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  };
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scamgraph-keys-cli-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('with the data directory’s secret.key: generates a new secret, replaces the file, audits; the data stays readable', () => {
    assert.equal(scamgraph({}, undefined, 'demo', '--data', 'data').status, 0);
    const oldKey = readFileSync(join(dir, 'data', 'secret.key'), 'utf8');
    const rotated = scamgraph({}, undefined, 'keys', 'rotate', '--data', 'data');
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.match(rotated.stdout, /^Rotated the master secret: key id (\S+) -> (\S+)\. Re-wrapped 6 data keys \(audit v1, contact v1, fingerprint v1, payee check id v1, stix ids v1, webhook secret v1\); nothing re-encrypted\. Audit row \d+\.\nThe new secret is in data\/secret\.key;/);
    const newKey = readFileSync(join(dir, 'data', 'secret.key'), 'utf8');
    assert.notEqual(newKey, oldKey);
    assert.equal(existsSync(join(dir, 'data', 'secret.key.next')), false);
    const verify = scamgraph({}, undefined, 'audit', 'verify', '--data', 'data');
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    const status = scamgraph({}, undefined, 'keys', 'status', '--json', '--data', 'data');
    assert.equal(status.status, 0, status.stderr);
    const keys = (JSON.parse(status.stdout) as { keys: { masterId: string }[] }).keys;
    assert.equal(keys.length, 6);
    assert.ok(keys.every((k) => k.masterId === /-> (\S+)\./.exec(rotated.stdout)?.[1]));
    // The old key file put back: refused, clearly (exit 2, a configuration problem), naming the rotation.
    writeFileSync(join(dir, 'data', 'secret.key'), oldKey);
    const old = scamgraph({}, undefined, 'keys', 'status', '--data', 'data');
    assert.equal(old.status, 2);
    assert.match(old.stderr, /does not open this database's data keys: they are wrapped under the secret with key id \S+ \(since .*scamgraph keys rotate replaced the secret then\)/);
    writeFileSync(join(dir, 'data', 'secret.key'), newKey);
  });

  it('a rotation interrupted after its commit is finished on the next open (secret.key.next moved into place)', () => {
    const current = readFileSync(join(dir, 'data', 'secret.key'), 'utf8');
    const next = Buffer.alloc(32, 3).toString('base64');
    writeFileSync(join(dir, 'next.txt'), next + '\n');
    assert.equal(scamgraph({}, undefined, 'keys', 'rotate', '--new-secret-file', 'next.txt', '--data', 'data').status, 0);
    // As if the process had died between its commit and the rename.
    writeFileSync(join(dir, 'data', 'secret.key.next'), next + '\n');
    writeFileSync(join(dir, 'data', 'secret.key'), current);
    const status = scamgraph({}, undefined, 'keys', 'status', '--data', 'data');
    assert.equal(status.status, 0, status.stderr);
    assert.equal(readFileSync(join(dir, 'data', 'secret.key'), 'utf8').trim(), next);
    assert.equal(existsSync(join(dir, 'data', 'secret.key.next')), false);
  });

  it('with SCAMGRAPH_SECRET_KEY: the new secret from stdin, then only it opens the database; usage errors exit 2', () => {
    const first = Buffer.alloc(32, 11).toString('base64');
    const second = Buffer.alloc(32, 12).toString('base64');
    assert.equal(scamgraph({ SCAMGRAPH_SECRET_KEY: first }, undefined, 'demo', '--data', 'env').status, 0);
    const needs = scamgraph({ SCAMGRAPH_SECRET_KEY: first }, undefined, 'keys', 'rotate', '--data', 'env');
    assert.equal(needs.status, 2);
    assert.match(needs.stderr, /needs the new secret/);
    const junk = scamgraph({ SCAMGRAPH_SECRET_KEY: first }, 'not a key\n', 'keys', 'rotate', '--new-secret-stdin', '--data', 'env');
    assert.equal(junk.status, 2);
    assert.doesNotMatch(junk.stderr, /not a key/, 'the text given is never repeated');
    const same = scamgraph({ SCAMGRAPH_SECRET_KEY: first }, first + '\n', 'keys', 'rotate', '--new-secret-stdin', '--data', 'env');
    assert.match(same.stderr, /the new secret is the one in use/);
    const rotated = scamgraph({ SCAMGRAPH_SECRET_KEY: first }, second + '\n', 'keys', 'rotate', '--new-secret-stdin', '--json', '--data', 'env');
    assert.equal(rotated.status, 0, rotated.stderr);
    const out = JSON.parse(rotated.stdout) as { from: string; to: string; keyFile: string | null };
    assert.deepEqual([out.from, out.to, out.keyFile], [masterKeyId(Buffer.from(first, 'base64')), masterKeyId(Buffer.from(second, 'base64')), null]);
    assert.equal(existsSync(join(dir, 'env', 'secret.key')), false, 'no key file written when the secret is configured');
    assert.equal(scamgraph({ SCAMGRAPH_SECRET_KEY: first }, undefined, 'audit', 'verify', '--data', 'env').status, 2);
    const verify = scamgraph({ SCAMGRAPH_SECRET_KEY: second }, undefined, 'audit', 'verify', '--data', 'env');
    assert.equal(verify.status, 0, verify.stdout + verify.stderr);
    assert.equal(scamgraph({ SCAMGRAPH_SECRET_KEY: second }, undefined, 'keys', 'turn').status, 2);
  });
});
