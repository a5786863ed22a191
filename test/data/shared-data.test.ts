import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IndicatorError, extract, normalize } from '../../src/modules/indicators/index.js';
import { ftcNumbers, openPhishUrls, smsTexts } from '../helpers/shared-data.js';

describe('FTC Do Not Call complaints (real data)', () => {
  const numbers = ftcNumbers();

  it('has the rows the data README describes', () => {
    assert.equal(numbers.length, 14034);
    assert.equal(numbers.filter((n) => n.trim() === '').length, 669);
  });

  it('normalizes every number with region US or gives a typed error, blank rows included', () => {
    const codes = new Map<string, number>();
    let valid = 0;
    for (const number of numbers) {
      try {
        const phone = normalize('phone', number, { region: 'US' });
        assert.match(phone.canonical, /^\+[1-9]\d{6,14}$/);
        valid++;
      } catch (error) {
        assert.ok(error instanceof IndicatorError, `untyped error for ${JSON.stringify(number)}: ${error}`);
        codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
      }
    }
    assert.equal(codes.get('EMPTY_INPUT'), 669);
    assert.deepEqual([...codes.keys()].sort(), ['EMPTY_INPUT', 'INVALID_PHONE']);
    assert.ok(valid > 12000, `only ${valid} valid numbers`);
  });

  it('gives 2015550123, (201) 555-0123 and +1 201 555 0123 one key with region US', () => {
    const keys = ['2015550123', '(201) 555-0123', '+1 201 555 0123'].map((v) => normalize('phone', v, { region: 'US' }));
    assert.deepEqual(new Set(keys.map((k) => k.key)), new Set(['phone:+12015550123']));
    for (const k of keys) assert.equal(k.details.region, 'US');
  });
});

describe('OpenPhish URLs (real data)', () => {
  const urls = openPhishUrls();

  it('normalizes every URL without error, and its canonical form is stable under re-normalization', () => {
    assert.equal(urls.length, 363911);
    const failures: string[] = [];
    for (const url of urls) {
      try {
        const first = normalize('url', url);
        const second = normalize('url', first.canonical);
        if (second.canonical !== first.canonical) failures.push(`unstable: ${url} -> ${first.canonical} -> ${second.canonical}`);
      } catch (error) {
        failures.push(`${url}: ${(error as Error).message}`);
      }
    }
    assert.deepEqual(failures.slice(0, 10), []);
  });

  it('gives each host under a shared-hosting suffix its own registrable domain', () => {
    const shared = urls.filter((u) => /^https?:\/\/[^/]+\.(?:vercel|netlify)\.app(?:[/:?]|$)/i.test(u));
    assert.ok(shared.length > 1000, `only ${shared.length} vercel/netlify URLs`);
    for (const url of shared) {
      const { details } = normalize('url', url);
      assert.match(String(details.publicSuffix), /^(?:vercel|netlify)\.app$/);
      assert.notEqual(details.registrableDomain, details.publicSuffix);
      assert.ok(String(details.host).endsWith(String(details.registrableDomain)));
    }
  });
});

describe('SMS Spam Collection (real data)', () => {
  it('extracts the call-back numbers and links of the spam messages, with spans inside the text', () => {
    const texts = smsTexts();
    let phones = 0;
    let links = 0;
    for (const text of texts) {
      for (const found of extract(text, { region: 'GB' })) {
        assert.equal(text.slice(found.start, found.end), found.raw);
        if (found.kind === 'phone') phones++;
        if (found.kind === 'url') links++;
      }
    }
    assert.ok(phones > 200, `only ${phones} phone numbers found`);
    assert.ok(links > 20, `only ${links} links found`);
  });
});
