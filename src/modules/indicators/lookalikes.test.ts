import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildProtectedSet, lookalikes, type Lookalike } from './index.js';

const PROTECTED = ['hsbc.com.hk', 'hangseng.com', 'paypal.com', '#HSBC'];

/** The reason codes of each match, by protected name. */
function codes(results: Lookalike[]): Record<string, string[]> {
  return Object.fromEntries(results.map((r) => [r.protected, r.reasons.map((reason) => reason.code)]));
}

describe('lookalikes', () => {
  it('flags a brand embedded as a word of another domain', () => {
    const results = lookalikes('hsbc-secure-login.com', PROTECTED);
    assert.deepEqual(codes(results), { 'hsbc.com.hk': ['BRAND_EMBEDDED'] });
    assert.equal(results[0]?.kind, 'domain');
    assert.equal(results[0]?.score, 0.8);
  });

  it('flags a brand used as a subdomain of another registrable domain', () => {
    assert.deepEqual(codes(lookalikes('https://hsbc.com.hk.evil.top/login', PROTECTED)), { 'hsbc.com.hk': ['BRAND_EMBEDDED'] });
  });

  it('flags a Cyrillic с in hsbc.com.hk as a homoglyph in a punycode name', () => {
    const name = 'hsb\u0441.com.hk';
    assert.notEqual(name, 'hsbc.com.hk');
    const results = lookalikes(name, PROTECTED);
    assert.deepEqual(codes(results), { 'hsbc.com.hk': ['HOMOGLYPH', 'PUNYCODE'] });
    assert.equal(results[0]?.score, 0.95);
    // The same name in its ASCII (punycode) form is the same imitation.
    const ascii = new URL(`http://${name}/`).hostname;
    assert.match(ascii, /^xn--/);
    assert.deepEqual(codes(lookalikes(ascii, PROTECTED)), { 'hsbc.com.hk': ['HOMOGLYPH', 'PUNYCODE'] });
  });

  it('flags swapped letters as one edit away', () => {
    const results = lookalikes('hbsc.com.hk', PROTECTED);
    assert.deepEqual(codes(results), { 'hsbc.com.hk': ['EDIT_DISTANCE'] });
    assert.match(results[0]?.reasons[0]?.detail ?? '', /1 edit/);
  });

  it('flags the brand name under another public suffix', () => {
    assert.deepEqual(codes(lookalikes('hsbc.co', PROTECTED)), { 'hsbc.com.hk': ['SAME_NAME_OTHER_SUFFIX'] });
  });

  it('flags a digit 1 for the letter l as a homoglyph', () => {
    const results = lookalikes('paypa1.com', PROTECTED);
    assert.deepEqual(codes(results), { 'paypal.com': ['HOMOGLYPH'] });
    assert.equal(results[0]?.kind, 'domain');
  });

  it('finds nothing for the protected domain itself, with or without www or a link around it', () => {
    assert.deepEqual(lookalikes('hsbc.com.hk', PROTECTED), []);
    assert.deepEqual(lookalikes('www.hsbc.com.hk', PROTECTED), []);
    assert.deepEqual(lookalikes('https://www.hsbc.com.hk/en-hk/', PROTECTED), []);
    assert.deepEqual(lookalikes('HSBC.COM.HK', PROTECTED), []);
  });

  it('finds nothing for an unrelated domain', () => {
    assert.deepEqual(lookalikes('google.com', PROTECTED), []);
  });

  it('flags an SMS sender imitating the registered #HSBC', () => {
    const results = lookalikes('HSBC', PROTECTED);
    assert.deepEqual(codes(results), { '#HSBC': ['UNREGISTERED_SENDER'] });
    assert.equal(results[0]?.kind, 'sms_sender');
    assert.equal(results[0]?.score, 0.95);
  });

  it('flags a sender ID that embeds the registered name', () => {
    const results = lookalikes('HSBC-Alert', PROTECTED);
    assert.deepEqual(codes(results), { '#HSBC': ['BRAND_EMBEDDED'] });
    assert.equal(results[0]?.kind, 'sms_sender');
  });

  it('finds nothing for the registered sender itself', () => {
    assert.deepEqual(lookalikes('#HSBC', PROTECTED), []);
    assert.deepEqual(lookalikes('#hsbc', PROTECTED), []);
  });

  it('finds nothing for a value that is not a valid domain', () => {
    assert.deepEqual(lookalikes('hsbc..com..', PROTECTED), []);
    assert.deepEqual(lookalikes('hsbc-login!.com', PROTECTED), []);
    assert.deepEqual(codes(lookalikes('hsbc-login.com', PROTECTED)), { 'hsbc.com.hk': ['BRAND_EMBEDDED'] });
  });

  it('sorts the matches by score, best first', () => {
    // The protected names are listed worst match first, so an unsorted result would come back in that order.
    const results = lookalikes('hsbc.co', ['hsbcc.com', 'paypal.com', 'hsbc.com.hk']);
    assert.deepEqual(
      results.map((r) => [r.protected, r.score, r.reasons.map((x) => x.code)]),
      [
        ['hsbc.com.hk', 0.9, ['SAME_NAME_OTHER_SUFFIX']],
        ['hsbcc.com', 0.85, ['EDIT_DISTANCE']],
      ],
    );
    // One name imitating two protected names at different strengths, the weaker one listed first.
    assert.deepEqual(
      lookalikes('paypal.hsbc.co', [...PROTECTED].reverse()).map((r) => [r.protected, r.score, r.reasons.map((x) => x.code)]),
      [
        ['hsbc.com.hk', 0.9, ['SAME_NAME_OTHER_SUFFIX']],
        ['paypal.com', 0.8, ['BRAND_EMBEDDED']],
      ],
    );
  });

  it('gives scores between 0 and 1 and a detail for every reason', () => {
    for (const name of ['hsbc-secure-login.com', 'hsb\u0441.com.hk', 'hbsc.com.hk', 'hsbc.co', 'paypa1.com', 'HSBC', 'HSBC-Alert']) {
      for (const result of lookalikes(name, PROTECTED)) {
        assert.ok(result.score > 0 && result.score <= 1, `${name}: score ${result.score}`);
        for (const reason of result.reasons) assert.ok(reason.detail.length > 0, `${name}: ${reason.code} has no detail`);
      }
    }
  });

  it('gives the same results with a prepared set, reused, as with the list', () => {
    const set = buildProtectedSet(PROTECTED);
    for (const name of ['hsbc-secure-login.com', 'hsb\u0441.com.hk', 'hbsc.com.hk', 'hsbc.co', 'paypa1.com', 'www.hsbc.com.hk', 'google.com', 'HSBC', 'HSBC-Alert', 'hangsneg.com']) {
      assert.deepEqual(lookalikes(name, set), lookalikes(name, PROTECTED), name);
    }
    // Reusing the set does not change it.
    assert.deepEqual(set, buildProtectedSet(PROTECTED));
  });
});
