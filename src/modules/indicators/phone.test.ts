import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrorCode } from '../../errors.js';
import { IndicatorError, MAX_VALUE_LENGTH, type Indicator, type NormalizeOptions } from './indicator.types.js';
import { normalize, resolveRegion } from './normalize.js';

/** Normalizes a phone number, checks canonical and key, and that normalizing the canonical again changes nothing. */
function phone(input: string, canonical: string, options: NormalizeOptions = {}): Indicator {
  const first = normalize('phone', input, options);
  assert.equal(first.kind, 'phone');
  assert.equal(first.canonical, canonical, `canonical of ${JSON.stringify(input)}`);
  assert.equal(first.key, `phone:${canonical}`);
  const again = normalize('phone', first.canonical, options);
  assert.equal(again.canonical, first.canonical);
  assert.equal(again.key, first.key);
  return first;
}

function rejects(input: string, code: ErrorCode, reason: string | undefined, options: NormalizeOptions = {}): IndicatorError {
  let caught: unknown;
  try {
    normalize('phone', input, options);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof IndicatorError, `expected an IndicatorError for ${JSON.stringify(input)}`);
  assert.equal(caught.code, code);
  assert.equal(caught.reason, reason);
  return caught;
}

describe('phone: Hong Kong by default', () => {
  it('reads a local mobile number as +852 with its line type', () => {
    const number = phone('9123 4567', '+85291234567');
    assert.equal(number.display, '+852 9123 4567');
    assert.deepEqual(number.details, {
      region: 'HK',
      countryCallingCode: '852',
      nationalNumber: '91234567',
      type: 'MOBILE',
      extension: null,
    });
  });

  it('gives every written form of one number the same key', () => {
    for (const input of ['91234567', '9123-4567', '+852 9123 4567', '+852-9123-4567', '852 9123 4567', '85291234567']) {
      phone(input, '+85291234567');
    }
  });

  it('reports the line type of a fixed line', () => {
    assert.equal(phone('2123 4567', '+85221234567').details.type, 'FIXED_LINE');
    assert.equal(phone('+852 2123 4567', '+85221234567').details.type, 'FIXED_LINE');
  });

  it('keeps other countries written with +', () => {
    const uk = phone('+44 20 7946 0958', '+442079460958');
    assert.equal(uk.details.region, 'GB');
    assert.equal(uk.details.type, 'FIXED_LINE');
    assert.equal(phone('+86 138 0013 8000', '+8613800138000').details.type, 'MOBILE');
  });
});

describe('phone: 00 read as +', () => {
  it('00852-91234567 is the Hong Kong mobile, not a number behind the 008 prefix', () => {
    const number = phone('00852-91234567', '+85291234567');
    assert.equal(number.details.region, 'HK');
    assert.equal(number.details.type, 'MOBILE');
  });

  it('works with spaces, brackets and other countries', () => {
    phone('00852 9123 4567', '+85291234567');
    phone('(00852) 9123 4567', '+85291234567');
    assert.equal(phone('008613800138000', '+8613800138000').details.region, 'CN');
    assert.equal(phone('0091 98765 43210', '+919876543210').details.region, 'IN');
    assert.equal(phone('001 201 555 0123', '+12015550123').details.region, 'US');
  });

  it('also applies with another region', () => {
    phone('00852 9123 4567', '+85291234567', { region: 'US' });
    phone('00852 9123 4567', '+85291234567', { region: 'GB' });
  });
});

describe('phone: other regions', () => {
  it('reads US numbers written without a country code with region US', () => {
    for (const input of ['(201) 555-0123', '2015550123', '201-555-0123', '+1 201 555 0123']) {
      const number = phone(input, '+12015550123', { region: 'US' });
      assert.equal(number.details.region, 'US');
      assert.equal(number.details.type, 'FIXED_LINE_OR_MOBILE');
      assert.equal(number.display, '+1 201 555 0123');
    }
  });

  it('uses the region only for numbers without a country code', () => {
    assert.equal(phone('+852 9123 4567', '+85291234567', { region: 'US' }).details.region, 'HK');
    phone('011 852 9123 4567', '+85291234567', { region: 'US' });
    phone('+1 201 555 0123', '+12015550123', { region: 'GB' });
  });

  it('accepts the region in lower case', () => {
    phone('2015550123', '+12015550123', { region: 'us' });
    assert.equal(resolveRegion('hk'), 'HK');
    assert.equal(resolveRegion(undefined), 'HK');
  });

  it('reads a UK national number with region GB', () => {
    phone('020 7946 0958', '+442079460958', { region: 'GB' });
  });

  it('reports premium-rate numbers', () => {
    assert.equal(phone('+1 900 555 0123', '+19005550123').details.type, 'PREMIUM_RATE');
  });
});

describe('phone: pasted forms', () => {
  it('strips tel:, callto: and phone: prefixes in any case', () => {
    for (const input of ['tel:+85291234567', 'TEL:+852-9123-4567', 'tel:91234567', 'tel://+85291234567', 'callto:+85291234567', 'phone:91234567']) {
      phone(input, '+85291234567');
    }
  });

  it("folds full-width digits and plus sign through normalize('phone', …)", () => {
    phone('９１２３４５６７', '+85291234567');
    phone('＋８５２ ９１２３ ４５６７', '+85291234567');
    phone('  +852 9123 4567\u200B ', '+85291234567');
  });

  it('keeps an extension in details but not in the canonical form', () => {
    const number = phone('+852 9123 4567 ext 1', '+85291234567');
    assert.equal(number.details.extension, '1');
    assert.equal(number.display, '+852 9123 4567 ext. 1');
    assert.equal(phone('91234567;ext=12', '+85291234567').details.extension, '12');
  });
});

describe('phone: errors with reasons', () => {
  it('TOO_SHORT', () => {
    const error = rejects('12', 'INVALID_PHONE', 'TOO_SHORT');
    assert.match(error.message, /too short/);
    assert.match(error.message, /read as a HK number/);
    assert.deepEqual(error.toJSON(), { code: 'INVALID_PHONE', message: error.message, reason: 'TOO_SHORT' });
    rejects('１２', 'INVALID_PHONE', 'TOO_SHORT');
    assert.match(rejects('555-0123', 'INVALID_PHONE', 'TOO_SHORT', { region: 'US' }).message, /read as a US number/);
  });

  it('TOO_LONG, also for text longer than any number before parsing it', () => {
    rejects('1234567890123456789', 'INVALID_PHONE', 'TOO_LONG');
    rejects('1'.repeat(65), 'INVALID_PHONE', 'TOO_LONG');
    rejects('+852 9123 4567'.repeat(5), 'INVALID_PHONE', 'TOO_LONG');
  });

  it('NOT_A_NUMBER', () => {
    rejects('abc', 'INVALID_PHONE', 'NOT_A_NUMBER');
    rejects('hello world', 'INVALID_PHONE', 'NOT_A_NUMBER');
    rejects('ａｂｃ', 'INVALID_PHONE', 'NOT_A_NUMBER');
    rejects('+', 'INVALID_PHONE', 'NOT_A_NUMBER');
  });

  it('INVALID_COUNTRY for an unassigned country calling code', () => {
    rejects('+999 1234', 'INVALID_PHONE', 'INVALID_COUNTRY');
  });

  it('INVALID_LENGTH for a length no number of the region has', () => {
    rejects('2015550123', 'INVALID_PHONE', 'INVALID_LENGTH');
    rejects('(201) 555-0123', 'INVALID_PHONE', 'INVALID_LENGTH');
    rejects('+8529123456789', 'INVALID_PHONE', 'INVALID_LENGTH');
    rejects('9123 4567', 'INVALID_PHONE', 'INVALID_LENGTH', { region: 'GB' });
  });

  it('NOT_IN_PLAN for a possible length outside every assigned range', () => {
    rejects('+852 1234 5678', 'INVALID_PHONE', 'NOT_IN_PLAN');
    rejects('+85299999999', 'INVALID_PHONE', 'NOT_IN_PLAN');
  });

  it('EMPTY_INPUT, INPUT_TOO_LONG and INVALID_REGION come before parsing', () => {
    rejects('', 'EMPTY_INPUT', undefined);
    rejects('  \u3000 ', 'EMPTY_INPUT', undefined);
    rejects('1'.repeat(MAX_VALUE_LENGTH + 1), 'INPUT_TOO_LONG', undefined);
    rejects('91234567', 'INVALID_REGION', undefined, { region: 'ZZ' });
    rejects('91234567', 'INVALID_REGION', undefined, { region: 'hkg' });
  });
});

describe('phone: 00 followed by separators', () => {
  it('reads 00 then spaces or dashes as +', () => {
    phone('00 852 9123 4567', '+85291234567');
    phone('00-852-9123-4567', '+85291234567');
    phone('00 1 201 555 0123', '+12015550123');
  });
});
