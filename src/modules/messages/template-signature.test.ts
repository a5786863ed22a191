import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  estimatedSimilarity,
  isEmptySignature,
  SIGNATURE_LENGTH,
  signatureFromBytes,
  signatureToBytes,
  templateOf,
} from './template-signature.js';

const similarity = (a: string, b: string): number => estimatedSimilarity(templateOf(a).signature, templateOf(b).signature);

describe('templateOf', () => {
  it('masks values and folds case, punctuation, emoji and whitespace into a readable template', () => {
    const t = templateOf('📦 HKPost: Your parcel HK2938475 is on hold!!  Pay HK$12.50 at https://hkpost-redeliver.top/p/8823 or call 5123 4567 / 6123 4567.');
    assert.equal(t.template, 'hkpost your parcel ⟨n⟩ is on hold pay hk ⟨n⟩ at ⟨link⟩ or call ⟨phone⟩');
    assert.ok(t.shingles > 10);
    assert.equal(t.signature.length, SIGNATURE_LENGTH);
  });

  it('keeps Han text unspaced and separates it from words only where the text did', () => {
    const t = templateOf('【香港郵政】您的包裹無法派送，請於24小時內點擊 hkpost.cc-redel.com/a8 更新資料。');
    assert.equal(t.template, '香港郵政 您的包裹無法派送 請於⟨n⟩小時內點擊 ⟨link⟩ 更新資料');
  });

  it('gives copies of one template with other values (links, phones, amounts, codes, dates) a high similarity', () => {
    const a = 'HKeToll: Our records show an unpaid toll of HK$38 for vehicle AB1234 on 03/07. Pay now at https://hketoll-pay.top/x9 to avoid a surcharge.';
    const b = 'HKeToll: Our records show an unpaid toll of HK$120.50 for vehicle XY88 on 2026-07-04. Pay now at hk-etoll.vip/?id=7hd to avoid a surcharge.';
    assert.equal(similarity(a, b), 1);
  });

  it('masks capitalized words inside a sentence as names, so copies to other people agree', () => {
    assert.equal(templateOf("Hi Amy, I'm Kelvin Chan from HSBC.").template, 'hi ⟨name⟩ im ⟨name⟩ from hsbc');
    assert.equal(similarity('Hi, is this Raymond? We met in Central.', 'Hi, is this Winnie Lau? We met in Wan Chai.'), 1);
  });

  it('tolerates a changed name, a swapped word and a dropped word', () => {
    const a = "Hi Amy, I'm Kelvin, assistant to Professor Chan. Our free WhatsApp stock group shares daily picks that gained 38% last month. Join here: bit.ly/x1";
    const b = "Hi Winnie Lau, I'm Jacky, assistant to Professor Wong. Our free WhatsApp stock group shares picks that rose 12% last month. Join here: stockclub.vip";
    assert.ok(similarity(a, b) >= 0.5, `${similarity(a, b)}`);
  });

  it('tolerates a changed name and synonym in Chinese', () => {
    const a = '你好，我係香港警務處商業罪案調查科陳督察。你嘅身份證懷疑被人用嚟開戶洗黑錢，而家要協助調查，請即刻打返51234567搵我。';
    const b = '你好，我係香港警務處商業罪案調查科黃督察。你嘅身份證懷疑被人用嚟開戶洗黑錢，現在要協助調查，請即刻打返 +852 6123 4567 搵我';
    assert.ok(similarity(a, b) >= 0.7, `${similarity(a, b)}`);
  });

  it('keeps two differently worded scams on one theme apart', () => {
    const hkpost = 'HKPost: Your parcel HK123 is on hold due to an incomplete address. Update your details and pay the HK$12 redelivery fee at hkpost.top';
    const sf = 'SF Express: we attempted to deliver your package on 04/07 but no one was home. To reschedule, confirm your address at sf-hk.vip';
    assert.ok(similarity(hkpost, sf) < 0.2, `${similarity(hkpost, sf)}`);
    const zh1 = '【香港郵政】您的郵件因地址不全未能派送，請於7月4日前登入 hkpost.top 更新地址並繳付HK$15重新派送費。';
    const zh2 = '順豐速運：您的包裹已到達本地轉運中心，因收件人電話錯誤暫停派送。請點擊 sf-hk.vip 確認資料。';
    assert.ok(similarity(zh1, zh2) < 0.2, `${similarity(zh1, zh2)}`);
  });

  it('is deterministic: the same signature in every run and on every machine (bump SIGNATURE_VERSION if this changes)', () => {
    const sig = templateOf('Your Apple ID has been locked. Verify at appleid-verify.top within 24 hours.').signature;
    assert.deepEqual(templateOf('Your Apple ID has been locked!! Verify at icloud.xyz/a within 48 hours').signature, sig);
    // Pinned: hashing uses only 32-bit integer arithmetic and fixed seeds, never Math.random or the platform.
    assert.deepEqual([...sig.slice(0, 4)], [786659430, 1113181364, 225971713, 692183680]);
  });

  it('very short texts match only the same template; texts without words match nothing, not even themselves', () => {
    assert.equal(templateOf('ok').shingles, 1);
    assert.equal(similarity('OK!', 'ok'), 1);
    assert.ok(similarity('ok', 'ok thanks') < 0.1);
    assert.ok(similarity('Click 👉 bit.ly/abc', 'click: tinyurl.com/x') === 1);
    const empty = templateOf('👍🙏 !!');
    assert.equal(empty.template, '');
    assert.equal(empty.shingles, 0);
    assert.ok(isEmptySignature(empty.signature));
    assert.equal(estimatedSimilarity(empty.signature, empty.signature), 0);
  });

  it('never throws, and its template is its own template', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (text) => {
        const t = templateOf(text);
        assert.equal(templateOf(t.template).template, t.template);
      }),
      { numRuns: 300 },
    );
  });
});

describe('signature bytes', () => {
  it('round-trip, little-endian whatever the machine', () => {
    const sig = templateOf('Need money urgently? Borrow HK$50,000 today, no documents.').signature;
    const bytes = signatureToBytes(sig);
    assert.equal(bytes.length, SIGNATURE_LENGTH * 4);
    assert.equal(bytes[0], sig[0]! & 0xff);
    assert.deepEqual(signatureFromBytes(bytes), sig);
    // A view into a larger buffer (as a database driver may hand back) reads the same.
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    assert.deepEqual(signatureFromBytes(padded.subarray(3)), sig);
  });

  it('refuse bytes of another length', () => {
    assert.throws(() => signatureFromBytes(new Uint8Array(10)), RangeError);
    assert.throws(() => estimatedSimilarity(new Uint32Array(4), new Uint32Array(8)), RangeError);
  });
});
