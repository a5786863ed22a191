import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { getCountries, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { ftcNumbers, smsTexts } from '../../../test/helpers/shared-data.js';
import { lineType } from './phone-type.js';

/** lineType must answer exactly as the library's own getType() and isValid() do. */
function assertSameAsLibrary(text: string, region: CountryCode): boolean {
  const number = parsePhoneNumberFromString(text, { defaultCountry: region, extract: false });
  if (number === undefined) return false;
  const ours = lineType(number.country, number.countryCallingCode, number.nationalNumber);
  assert.equal(ours ?? undefined, number.getType(), `type of ${text} (${region})`);
  assert.equal(ours !== undefined, number.isValid(), `validity of ${text} (${region})`);
  return true;
}

describe('lineType (compiled-pattern number types)', () => {
  it('agrees with getType() and isValid() on every FTC complaint number (US)', () => {
    let compared = 0;
    for (const number of ftcNumbers()) if (assertSameAsLibrary(number, 'US')) compared++;
    assert.ok(compared > 13000, `only ${compared} numbers compared`);
  });

  it('agrees on every number-like run in the SMS collection (GB) and on Hong Kong ranges', () => {
    let compared = 0;
    for (const text of smsTexts()) for (const m of text.matchAll(/\+?\d[\d ()-]{6,16}\d/g)) if (assertSameAsLibrary(m[0], 'GB')) compared++;
    for (const first of '123456789') for (const rest of ['1234567', '0000000', '9876543']) if (assertSameAsLibrary(first + rest, 'HK')) compared++;
    assert.ok(compared > 300, `only ${compared} numbers compared`);
  });

  it('agrees on random digit strings in every country', () => {
    const countries = getCountries();
    fc.assert(
      fc.property(fc.constantFrom(...countries), fc.stringMatching(/^[0-9]{4,15}$/), (country, digits) => {
        assertSameAsLibrary(digits, country);
        assertSameAsLibrary(`+${digits}`, country);
      }),
      { numRuns: 20000 },
    );
  });
});
