import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CampaignIndex, groupCampaigns } from './campaign-index.js';
import { signatureFromBytes, signatureToBytes, templateOf } from './template-signature.js';

const PARCEL = [
  'HKPost: Your parcel HK102938 is on hold due to an incomplete address. Please update your details and pay the HK$12 redelivery fee at hkpost-pay.top/a1 within 24 hours.',
  '📦 HKPost: your parcel RR8842 is on hold due to an incomplete address. Update your details and pay the HK$18.50 redelivery fee at https://hk-post.vip/?id=x within 48 hours!',
  'HKPost: Your parcel HK55 is on hold due to an incomplete address.\nPlease update your details and pay the HK$9 redelivery fee at hongkongpost.cc within 24 hours',
];
const TOLL = [
  'HKeToll: Our records show an unpaid toll of HK$38 for vehicle AB1234 on 03/07. Pay now at hketoll.top to avoid a surcharge.',
  'HKeToll: Our records show an unpaid toll of HK$120 for vehicle KZ88 on 2026-07-04. Pay today at etoll-pay.xyz/p/2 to avoid a surcharge.',
];
const ZH = [
  '【易通行】您的車輛AB1234於7月3日有一筆未繳隧道費HK$38，請於今日內到 hketoll.top 繳付，逾期將收取附加費。',
  '【易通行】你的車輛XY9於12/6有一筆未繳隧道費HK$52.5,請於今日內到 https://hk-etoll.cc/x 繳付,逾期將收取附加費',
];
const ALONE = ['Running 10 mins late, grab a table first?', 'The plumber is coming between 2 and 4 tomorrow, can you be home?'];

const messages = [PARCEL[0]!, TOLL[0]!, ALONE[0]!, ZH[0]!, PARCEL[1]!, TOLL[1]!, ZH[1]!, ALONE[1]!, PARCEL[2]!].map((text, i) => ({ id: `m${i}`, text }));

describe('CampaignIndex', () => {
  it('groups copies of a template as they arrive, and keeps other campaigns and chat apart', () => {
    const index = new CampaignIndex();
    const campaigns = messages.map((m) => index.add(m.id, templateOf(m.text).signature));
    assert.deepEqual(campaigns, ['m0', 'm1', 'm2', 'm3', 'm0', 'm1', 'm3', 'm7', 'm0']);
    assert.equal(index.campaignOf('m8'), 'm0');
    assert.equal(index.campaignOf('nope'), undefined);
    assert.equal(index.size, 9);
  });

  it('is deterministic for one insertion order, and adding an id again changes nothing', () => {
    const run = () => {
      const index = new CampaignIndex();
      for (const m of messages) index.add(m.id, templateOf(m.text).signature);
      assert.equal(index.add('m4', templateOf(ALONE[0]!).signature), 'm0');
      return [...index.entries()];
    };
    assert.deepEqual(run(), run());
  });

  it('never groups messages without words, even with each other', () => {
    const index = new CampaignIndex();
    assert.equal(index.add('a', templateOf('👍').signature), 'a');
    assert.equal(index.add('b', templateOf('🙏🙏').signature), 'b');
  });

  it('restores from stored bytes and campaigns to give the same answers as the index it was saved from', () => {
    const first = new CampaignIndex();
    const stored: { id: string; bytes: Uint8Array; campaign: string }[] = [];
    for (const m of messages.slice(0, 6)) {
      const signature = templateOf(m.text).signature;
      stored.push({ id: m.id, bytes: signatureToBytes(signature), campaign: first.add(m.id, signature) });
    }
    const restored = new CampaignIndex();
    for (const s of stored) restored.restore(s.id, signatureFromBytes(s.bytes), s.campaign);
    // Rebuilding by adding again in the stored order decides the same way too.
    const rebuilt = new CampaignIndex();
    for (const s of stored) rebuilt.add(s.id, signatureFromBytes(s.bytes));
    assert.deepEqual([...restored.entries()], [...first.entries()]);
    assert.deepEqual([...rebuilt.entries()], [...first.entries()]);
    for (const m of messages.slice(6)) {
      const signature = templateOf(m.text).signature;
      const expected = first.add(m.id, signature);
      assert.equal(restored.add(m.id, signature), expected);
      assert.equal(rebuilt.add(m.id, signature), expected);
    }
  });

  it('refuses a restore into an unknown campaign and a signature of another length', () => {
    const index = new CampaignIndex();
    assert.throws(() => index.restore('x', templateOf('hello there friend').signature, 'missing'), RangeError);
    assert.throws(() => index.add('y', new Uint32Array(3)), RangeError);
  });

  it('keeps a large campaign cheap to join: many copies still land in the first one', () => {
    const index = new CampaignIndex();
    for (let i = 0; i < 2000; i++) {
      const text = `HKeToll: Our records show an unpaid toll of HK$${i} for vehicle AB${i} on 03/07. Pay now at hketoll${i}.top to avoid a surcharge.`;
      assert.equal(index.add(`t${i}`, templateOf(text).signature), 't0');
    }
  });
});

describe('groupCampaigns', () => {
  it('maps every id to its campaign, the id of its first message in the order given', () => {
    const groups = groupCampaigns(messages, 'HK');
    assert.equal(groups.size, messages.length);
    assert.deepEqual([...new Set(groups.values())], ['m0', 'm1', 'm2', 'm3', 'm7']);
    assert.equal(groups.get('m6'), 'm3');
  });
});
