import assert from 'node:assert/strict';
import { createCipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { CheckIds, type SealedCheck } from './check-id.js';

const KEY = Buffer.alloc(32, 9);
const derived = (info: string) => Buffer.from(hkdfSync('sha256', KEY, Buffer.alloc(0), info, 32));
const raw = (id: string) => Buffer.from(id.slice('pc_'.length), 'base64url');

const check = (entry: string, over: Partial<SealedCheck> = {}): SealedCheck => ({ organisationId: 42, entry, risk: 'high', action: 'warn', at: 1_796_000_000, ...over });

describe('check ids', () => {
  it('are AES-256-CTR then HMAC-SHA-256 exactly as Node’s own ciphers make them (SP 800-38A, RFC 2104)', () => {
    const ids = new CheckIds(KEY);
    for (const entry of ['phone:+85291234567', 'x', 'crypto_wallet:' + 'b'.repeat(300), 'email:陳大文@example.hk']) {
      const bytes = raw(ids.seal(check(entry)));
      const nonce = bytes.subarray(0, 12);
      const ciphertext = bytes.subarray(12, bytes.length - 16);
      // CTR with a 96-bit nonce and a 32-bit block counter from 0 is Node's aes-256-ctr with IV nonce‖0.
      const plain = createCipheriv('aes-256-ctr', derived('scamgraph check id: aes-256-ctr'), Buffer.concat([nonce, Buffer.alloc(4)])).update(ciphertext);
      assert.equal(plain.subarray(14).toString('utf8'), entry);
      assert.equal(plain.readUInt32BE(0), 1_796_000_000);
      assert.equal(Number(plain.readBigUInt64BE(4)), 42);
      const tag = createHmac('sha256', derived('scamgraph check id: hmac-sha256')).update(bytes.subarray(0, bytes.length - 16)).digest().subarray(0, 16);
      assert.deepEqual(bytes.subarray(bytes.length - 16), tag);
    }
  });

  it('open what they sealed, for every risk and action, and refuse any changed byte or another key', () => {
    const ids = new CheckIds(KEY);
    for (const risk of ['none', 'medium', 'high', 'very_high'] as const) {
      for (const action of ['allow', 'warn', 'delay', 'block'] as const) {
        const sealed = check(`payment_proxy:fps:+8526400${risk.length}${action.length}01`, { risk, action, organisationId: 2 ** 40 + 7 });
        assert.deepEqual(ids.open(ids.seal(sealed)), sealed);
      }
    }
    const id = ids.seal(check('bank_account:hk:004-123-456789'));
    const bytes = raw(id);
    for (let i = 0; i < bytes.length; i++) {
      const changed = Buffer.from(bytes);
      changed[i] = (changed[i] as number) ^ 1;
      assert.equal(ids.open(`pc_${changed.toString('base64url')}`), null, `byte ${i}`);
    }
    assert.equal(new CheckIds(Buffer.alloc(32, 1)).open(id), null);
    assert.equal(ids.open(`pc_${bytes.subarray(0, 20).toString('base64url')}`), null);
    assert.equal(ids.open('pc_'), null);
  });

  it('two seals of one check differ (a fresh nonce each), and both open', () => {
    const ids = new CheckIds(KEY);
    const a = ids.seal(check('phone:+85291234567'));
    const b = ids.seal(check('phone:+85291234567'));
    assert.notEqual(a, b);
    assert.deepEqual(ids.open(a), ids.open(b));
    // Past a block of 4,096 nonces and their keystreams: still fresh, still opening.
    const many = Array.from({ length: 5000 }, (_, i) => ids.seal(check(`phone:+8529${String(1_000_000 + i)}`)));
    assert.equal(new Set(many.map((id) => raw(id).subarray(0, 12).toString('hex'))).size, 5000);
    many.forEach((id, i) => assert.equal(ids.open(id)?.entry, `phone:+8529${String(1_000_000 + i)}`));
  });

  it('still open ids sealed by the earlier AES-256-GCM format (nonce, tag, ciphertext under the key itself)', () => {
    const sealed = check('payment_proxy:fps:+85264001001');
    const head = Buffer.alloc(14);
    head.writeUInt32BE(sealed.at, 0);
    head.writeBigUInt64BE(BigInt(sealed.organisationId), 4);
    head.writeUInt8(2, 12);
    head.writeUInt8(1, 13);
    const iv = randomBytes(12);
    const gcm = createCipheriv('aes-256-gcm', KEY, iv);
    const body = Buffer.concat([gcm.update(head), gcm.update(sealed.entry), gcm.final()]);
    const legacy = `pc_${Buffer.concat([iv, gcm.getAuthTag(), body]).toString('base64url')}`;
    assert.deepEqual(new CheckIds(KEY).open(legacy), sealed);
    assert.equal(new CheckIds(Buffer.alloc(32, 1)).open(legacy), null);
  });
});
