import assert from 'node:assert/strict';
import { test } from 'node:test';
import { suggestScamType } from './scam-type-suggester.js';

test('an English narrative gets its type and the words that drove it', () => {
  const s = suggestScamType('Caller said he was from the police and my account was involved in money laundering', []);
  assert.equal(s.scamType, 'impersonating_officials');
  assert.deepEqual(s.signals.map((x) => x.cue).sort(), ['money laundering', 'police']);
  assert.ok(s.confidence > 0.5);
});

test('a Chinese narrative is read too, Traditional and Simplified', () => {
  assert.equal(suggestScamType('對方自稱速遞公司，說我的包裹未能派送，要我付款', []).scamType, 'phishing_courier');
  assert.equal(suggestScamType('网上认识的男朋友说要结婚，叫我投资', []).scamType, 'romance');
});

test('links and indicator kinds are signals: a courier-looking link, a crypto wallet', () => {
  const courier = suggestScamType('Please pay the fee', [{ kind: 'url', canonical: 'https://hkpost-redelivery.top/pay' }]);
  assert.equal(courier.scamType, 'phishing_courier');
  assert.deepEqual(courier.signals, [{ source: 'link', cue: 'hkpost' }, { source: 'link', cue: 'redelivery' }]);
  assert.equal(suggestScamType('they asked me to send money', [{ kind: 'crypto_wallet', canonical: '0xabc' }]).scamType, 'investment');
});

test('words inside other words do not count; nothing matched is "other" with no signals', () => {
  assert.equal(suggestScamType('The shopkeeper was kind', []).scamType, 'other');
  const none = suggestScamType('Something strange happened', []);
  assert.deepEqual([none.scamType, none.confidence, none.signals], ['other', 0, []]);
});
