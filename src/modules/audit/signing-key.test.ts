import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { latestCheckpointIn, signCheckpoint, treeHeadBytes } from './checkpoint.js';
import { loadSigningKey, publicKeyPem, readPublicKey } from './signing-key.js';

describe('checkpoint signing key and format', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scamgraph-signing-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('generates one key on first use and reads the same one after; its public half (or the key file itself) checks', () => {
    const path = join(dir, 'a', 'audit-signing.key');
    const first = loadSigningKey(path);
    const again = loadSigningKey(path);
    assert.equal(again.keyId, first.keyId);
    writeFileSync(join(dir, 'public.pem'), publicKeyPem(first));
    assert.equal(readPublicKey(join(dir, 'public.pem')).equals(first.publicKey), true);
    assert.equal(readPublicKey(path).equals(first.publicKey), true);
  });

  it('refuses a damaged key file or a key of another kind, and never replaces it', () => {
    writeFileSync(join(dir, 'junk.key'), 'not a key\n');
    assert.throws(() => loadSigningKey(join(dir, 'junk.key')), (e: Error & { code?: string }) => e.code === 'INVALID_SIGNING_KEY' && /is not a private key in PEM/.test(e.message));
    writeFileSync(join(dir, 'rsa.key'), generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    assert.throws(() => loadSigningKey(join(dir, 'rsa.key')), /holds a rsa key, not an Ed25519 one/);
    assert.throws(() => readPublicKey(join(dir, 'missing.pem')), /There is no key file/);
  });

  it("lays out what is signed as RFC 6962's TreeHeadSignature", () => {
    const bytes = treeHeadBytes(258, 0x0102030405, Buffer.alloc(32, 7));
    assert.equal(bytes.length, 50);
    assert.deepEqual([...bytes.subarray(0, 18)], [0, 1, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0, 0, 0, 0, 1, 2]);
    assert.ok(bytes.subarray(18).equals(Buffer.alloc(32, 7)));
  });

  it('reads the last complete line of a checkpoint log, or one object laid out on many lines', () => {
    const key = loadSigningKey(join(dir, 'a', 'audit-signing.key'));
    const one = signCheckpoint(key, 1, Buffer.alloc(32, 1), 1000);
    const two = signCheckpoint(key, 2, Buffer.alloc(32, 2), 2000);
    const log = `${JSON.stringify(one)}\n${JSON.stringify(two)}\n`;
    assert.deepEqual(latestCheckpointIn(log, 'log'), two);
    assert.deepEqual(latestCheckpointIn(log + '{"tree_size": 3, "timest', 'log'), two, 'a write cut short is not read');
    assert.deepEqual(latestCheckpointIn(JSON.stringify(one, null, 2), 'file'), one);
    assert.equal(latestCheckpointIn('\n', 'empty'), null);
    assert.throws(() => latestCheckpointIn(`${JSON.stringify({ ...two, sha256_root_hash: 'AAAA' })}\n`, 'log'), /log is not a signed audit checkpoint/);
  });
});
