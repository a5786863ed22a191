import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IndicatorError, detect, detectAll, normalize, type Detection } from './index.js';

/** detect, and the normal form of the detected kind when the value is valid. */
function detected(input: string): Detection & { canonical: string | null } {
  const d = detect(input);
  return { ...d, canonical: d.valid && d.kind !== null ? normalize(d.kind, input).canonical : null };
}

describe('detect', () => {
  it('reads 8 digits as an HK phone number that could also be an FPS ID', () => {
    assert.deepEqual(detected('91234567'), { kind: 'phone', alternatives: ['payment_proxy'], valid: true, canonical: '+85291234567' });
    assert.equal(normalize('payment_proxy', '91234567').canonical, 'fps:+85291234567');
  });

  it('reads 7 digits, too short for an HK number, as an FPS ID', () => {
    assert.deepEqual(detected('1234567'), { kind: 'payment_proxy', alternatives: [], valid: true, canonical: 'fps:1234567' });
  });

  it('reads a defanged link as a URL', () => {
    assert.deepEqual(detected('hxxps://evil[.]com'), { kind: 'url', alternatives: [], valid: true, canonical: 'https://evil.com/' });
  });

  it('reads defanged and full-width host names as domains, also valid as a URL (not as a sender ID)', () => {
    for (const input of ['evil[.]com', 'evil(dot)com', 'ｅｖｉｌ．ｃｏｍ']) {
      assert.deepEqual(detected(input), { kind: 'domain', alternatives: ['url'], valid: true, canonical: 'evil.com' }, input);
    }
  });

  it('reads tel: and mailto: links by their scheme', () => {
    assert.deepEqual(detected('tel:+85291234567'), { kind: 'phone', alternatives: [], valid: true, canonical: '+85291234567' });
    assert.deepEqual(detected('mailto:a@b.com'), { kind: 'email', alternatives: [], valid: true, canonical: 'a@b.com' });
  });

  it('reads a Telegram profile link as a social account that is also a URL', () => {
    assert.deepEqual(detected('https://t.me/name'), { kind: 'social_account', alternatives: ['url'], valid: true, canonical: 'telegram:name' });
    assert.equal(normalize('url', 'https://t.me/name').canonical, 'https://t.me/name');
  });

  it('reads a bare @handle as a social account without a platform, which is not valid', () => {
    assert.deepEqual(detect('@name'), { kind: 'social_account', alternatives: [], valid: false });
    assert.throws(
      () => normalize('social_account', '@name'),
      (error: unknown) => error instanceof IndicatorError && error.code === 'INVALID_SOCIAL_ACCOUNT' && error.reason === 'NO_PLATFORM',
    );
  });

  it('reads an IBAN, grouped or not, as a bank account, and refuses one with wrong check digits', () => {
    for (const input of ['GB82 WEST 1234 5698 7654 32', 'GB82WEST12345698765432']) {
      assert.deepEqual(detected(input), { kind: 'bank_account', alternatives: [], valid: true, canonical: 'GB82WEST12345698765432' }, input);
    }
    assert.deepEqual(detect('GB83 WEST 1234 5698 7654 32'), { kind: 'bank_account', alternatives: [], valid: false });
  });

  it('reads an Ethereum address as a crypto wallet in its EIP-55 form', () => {
    const lower = '0x52908400098527886e0f7030069857d2e4169ee7';
    assert.deepEqual(detected(lower), {
      kind: 'crypto_wallet',
      alternatives: [],
      valid: true,
      canonical: '0x52908400098527886E0F7030069857D2E4169EE7',
    });
    // A mixed-case address whose case does not match its checksum.
    assert.deepEqual(detect('0x52908400098527886E0F7030069857D2E4169Ee7'), { kind: 'crypto_wallet', alternatives: [], valid: false });
  });

  it('reads #HSBC as a registered SMS sender', () => {
    assert.deepEqual(detected('#HSBC'), { kind: 'sms_sender', alternatives: [], valid: true, canonical: '#HSBC' });
    assert.equal(normalize('sms_sender', '#HSBC').details.registered, true);
  });

  it('reads a dotted quad as an IP that is also a URL', () => {
    assert.deepEqual(detected('195.127.0.11'), { kind: 'ip', alternatives: ['url'], valid: true, canonical: '195.127.0.11' });
  });

  it('finds no kind in plain words, empty or blank input', () => {
    for (const input of ['hello world', '', '   ']) assert.deepEqual(detect(input), { kind: null, alternatives: [], valid: false }, JSON.stringify(input));
  });

  it('takes no single word for an SMS sender: not in lower case, nor with only an initial capital', () => {
    for (const input of ['hello', 'bank', 'Bank', 'Hello', 'password', 'well-known', 'e-mail', 'ｈｅｌｌｏ']) {
      assert.deepEqual(detect(input), { kind: null, alternatives: [], valid: false }, input);
    }
  });

  it('reads a bare word of a sender’s shape (capitals, or letters mixed with digits) as an SMS sender', () => {
    for (const input of ['HSBC', 'HSBC-Alert', 'HKPost', 'M&S', 'DBS1', 'Info123', 'SMARTONE']) {
      assert.deepEqual(detected(input), { kind: 'sms_sender', alternatives: [], valid: true, canonical: input }, input);
    }
    // Longer than the 11 characters a sender ID can have: nothing.
    assert.deepEqual(detect('HSBCALERTSHK'), { kind: null, alternatives: [], valid: false });
  });

  it('still takes any sender ID when the kind is stated or it is registered (#)', () => {
    assert.equal(normalize('sms_sender', 'hello').canonical, 'hello');
    assert.deepEqual(detected('#bank'), { kind: 'sms_sender', alternatives: [], valid: true, canonical: '#bank' });
  });

  it('agrees with detectAll, which lists the normal form of every valid kind', () => {
    const { shapes, matches } = detectAll('91234567');
    assert.deepEqual(shapes, ['phone', 'payment_proxy']);
    assert.deepEqual(
      matches.map((m) => [m.kind, m.canonical]),
      [
        ['phone', '+85291234567'],
        ['payment_proxy', 'fps:+85291234567'],
      ],
    );
  });

  it('reads numbers without a country code in the region given', () => {
    assert.deepEqual(detect('(201) 555-0123'), { kind: 'phone', alternatives: [], valid: false });
    const us = detect('(201) 555-0123', { region: 'US' });
    assert.equal(us.kind, 'phone');
    assert.equal(us.valid, true);
    assert.equal(normalize('phone', '(201) 555-0123', { region: 'US' }).canonical, '+12015550123');
  });
});
