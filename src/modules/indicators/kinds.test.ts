import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ErrorCode } from '../../errors.js';
import { IndicatorError, type Indicator, type IndicatorKind, type NormalizeOptions } from './indicator.types.js';
import { normalize } from './normalize.js';

/**
 * Normalizes `input` as `kind`, checks canonical and key, and that normalizing the canonical form again
 * gives the same canonical form and key.
 */
function valid(kind: IndicatorKind, input: string, canonical: string, key: string, options: NormalizeOptions = {}): Indicator {
  const first = normalize(kind, input, options);
  assert.equal(first.kind, kind);
  assert.equal(first.canonical, canonical, `canonical of ${JSON.stringify(input)}`);
  assert.equal(first.key, key, `key of ${JSON.stringify(input)}`);
  const again = normalize(kind, first.canonical, options);
  assert.equal(again.canonical, first.canonical, `canonical of ${JSON.stringify(input)} is not stable`);
  assert.equal(again.key, first.key, `key of ${JSON.stringify(input)} is not stable`);
  return first;
}

function invalid(kind: IndicatorKind, input: string, code: ErrorCode, reason: string | undefined, options: NormalizeOptions = {}): void {
  assert.throws(
    () => normalize(kind, input, options),
    (error: unknown) => {
      assert.ok(error instanceof IndicatorError, `expected an IndicatorError for ${JSON.stringify(input)}`);
      assert.equal(error.code, code, `code for ${JSON.stringify(input)}`);
      assert.equal(error.reason, reason, `reason for ${JSON.stringify(input)}`);
      return true;
    },
  );
}

describe('domain', () => {
  it('lower-cases and drops the trailing dot', () => {
    const domain = valid('domain', 'Evil.COM', 'evil.com', 'domain:evil.com');
    assert.equal(domain.display, 'evil[.]com');
    assert.equal(domain.details.unicode, 'evil.com');
    assert.equal(domain.details.registrableDomain, 'evil.com');
    assert.equal(domain.details.publicSuffix, 'com');
    assert.equal(domain.details.isIcann, true);
    valid('domain', 'evil.com.', 'evil.com', 'domain:evil.com');
    valid('domain', 'evil.com..', 'evil.com', 'domain:evil.com');
  });

  it('folds full-width, ideographic and defanged dots', () => {
    for (const input of ['ｅｖｉｌ．ｃｏｍ', 'evil。com', 'evil[.]com', 'evil(dot)com']) valid('domain', input, 'evil.com', 'domain:evil.com');
  });

  it('converts IDN to punycode and keeps the Unicode form', () => {
    const domain = valid('domain', 'www.Bücher.example', 'www.xn--bcher-kva.example', 'domain:www.xn--bcher-kva.example');
    assert.equal(domain.details.unicode, 'www.bücher.example');
    assert.equal(domain.details.registrableDomain, 'xn--bcher-kva.example');
    valid('domain', 'xn--bcher-kva.example', 'xn--bcher-kva.example', 'domain:xn--bcher-kva.example');
    // non-transitional processing: ß stays ß and is not mapped to ss
    assert.equal(valid('domain', 'faß.de', 'xn--fa-hia.de', 'domain:xn--fa-hia.de').details.unicode, 'faß.de');
  });

  it('gives a Cyrillic look-alike its own key but the skeleton of the Latin name', () => {
    const fake = valid('domain', '\u0430pple.com', 'xn--pple-43d.com', 'domain:xn--pple-43d.com');
    const real = valid('domain', 'apple.com', 'apple.com', 'domain:apple.com');
    assert.equal(fake.details.unicode, '\u0430pple.com');
    assert.equal(fake.details.skeleton, real.details.skeleton);
  });

  it('uses the private PSL section: x.vercel.app is its own registrable domain', () => {
    const domain = valid('domain', 'x.vercel.app', 'x.vercel.app', 'domain:x.vercel.app');
    assert.equal(domain.details.registrableDomain, 'x.vercel.app');
    assert.equal(domain.details.publicSuffix, 'vercel.app');
    assert.equal(domain.details.isIcann, false);
  });

  it('rejects values that are not domain names, with reasons', () => {
    invalid('domain', 'localhost', 'INVALID_DOMAIN', 'NO_TLD');
    invalid('domain', 'evil.123', 'INVALID_DOMAIN', 'NO_TLD');
    invalid('domain', '1.2.3.4', 'INVALID_DOMAIN', 'IP_ADDRESS');
    invalid('domain', '::1', 'INVALID_DOMAIN', 'IP_ADDRESS');
    invalid('domain', 'under_score.com', 'INVALID_DOMAIN', 'IDNA');
    invalid('domain', 'a..com', 'INVALID_DOMAIN', 'IDNA');
    invalid('domain', `${'a'.repeat(64)}.com`, 'INVALID_DOMAIN', 'IDNA');
    invalid('domain', 'xn--zz.com', 'INVALID_DOMAIN', 'IDNA');
    invalid('domain', '...', 'INVALID_DOMAIN', 'EMPTY');
    invalid('domain', ' ', 'EMPTY_INPUT', undefined);
  });
});

describe('email', () => {
  it('keeps the local part as written and lower-cases the domain', () => {
    const email = valid('email', 'John.Doe@Example.COM', 'John.Doe@example.com', 'email:John.Doe@example.com');
    assert.deepEqual(email.details, { local: 'John.Doe', domain: 'example.com', registrableDomain: 'example.com', provider: null });
    valid('email', 'j.ohn+x@example.com', 'j.ohn+x@example.com', 'email:j.ohn+x@example.com');
  });

  it('Gmail keys drop dots, +tags and case; googlemail.com is gmail.com', () => {
    const tagged = valid('email', 'j.o.h.n+tag@gmail.com', 'j.o.h.n+tag@gmail.com', 'email:john@gmail.com');
    assert.equal(tagged.details.provider, 'gmail');
    valid('email', 'JOHN@gmail.com', 'JOHN@gmail.com', 'email:john@gmail.com');
    valid('email', 'John.Doe+x@GoogleMail.com', 'John.Doe+x@googlemail.com', 'email:johndoe@gmail.com');
    valid('email', 'johndoe@GMAIL.COM', 'johndoe@gmail.com', 'email:johndoe@gmail.com');
  });

  it('reads mailto: links, defanged and full-width addresses', () => {
    valid('email', 'mailto:a@Evil.com?subject=hi', 'a@evil.com', 'email:a@evil.com');
    valid('email', 'user[at]evil[.]com', 'user@evil.com', 'email:user@evil.com');
    valid('email', 'Ａ@evil.com', 'A@evil.com', 'email:A@evil.com');
  });

  it('converts an IDN domain and shows it in Unicode', () => {
    const email = valid('email', 'a@bücher.example', 'a@xn--bcher-kva.example', 'email:a@xn--bcher-kva.example');
    assert.equal(email.display, 'a@bücher.example');
  });

  it('accepts a quoted local part', () => {
    valid('email', '"john doe"@evil.com', '"john doe"@evil.com', 'email:"john doe"@evil.com');
  });

  it('rejects malformed addresses with reasons', () => {
    invalid('email', 'noat', 'INVALID_EMAIL', 'NO_AT');
    invalid('email', '@evil.com', 'INVALID_EMAIL', 'NO_AT');
    invalid('email', 'a@', 'INVALID_EMAIL', 'NO_AT');
    invalid('email', 'a..b@evil.com', 'INVALID_EMAIL', 'BAD_LOCAL_PART');
    invalid('email', `${'a'.repeat(65)}@evil.com`, 'INVALID_EMAIL', 'BAD_LOCAL_PART');
    invalid('email', 'a@evil', 'INVALID_EMAIL', 'BAD_DOMAIN');
    invalid('email', 'a@1.2.3.4', 'INVALID_EMAIL', 'BAD_DOMAIN');
  });
});

describe('bank_account', () => {
  it('reads Hong Kong accounts with or without separators as bank-branch-account', () => {
    const account = valid('bank_account', '004-123-456789', '004-123-456789', 'bank_account:hk:004123456789');
    assert.deepEqual(account.details, {
      scheme: 'hk',
      country: 'HK',
      bankCode: '004',
      branchCode: '123',
      accountNumber: '456789',
      bankName: 'The Hongkong and Shanghai Banking Corporation',
    });
    for (const input of ['004123456789', '004 123 456789', '004.123.456789', '004/123/456789', '004\u2013123\u2013456789', '００４-１２３-４５６７８９']) {
      valid('bank_account', input, '004-123-456789', 'bank_account:hk:004123456789');
    }
  });

  it('names known banks and accepts account numbers of 6 to 12 digits', () => {
    assert.equal(valid('bank_account', '024.567.123456789', '024-567-123456789', 'bank_account:hk:024567123456789').details.bankName, 'Hang Seng Bank');
    assert.equal(valid('bank_account', '999-123-123456', '999-123-123456', 'bank_account:hk:999123123456').details.bankName, null);
    valid('bank_account', '012-875-123456789012', '012-875-123456789012', 'bank_account:hk:012875123456789012');
    valid('bank_account', '004-123-456789-001', '004-123-456789001', 'bank_account:hk:004123456789001');
  });

  it('validates IBANs with mod-97 and keys them in electronic form', () => {
    for (const input of ['GB82 WEST 1234 5698 7654 32', 'GB82WEST12345698765432', 'gb82 west 1234 5698 7654 32', 'GB82-WEST-1234-5698-7654-32']) {
      const iban = valid('bank_account', input, 'GB82WEST12345698765432', 'bank_account:iban:GB82WEST12345698765432');
      assert.equal(iban.display, 'GB82 WEST 1234 5698 7654 32');
      assert.equal(iban.details.scheme, 'iban');
      assert.equal(iban.details.country, 'GB');
    }
    valid('bank_account', 'DE89 3704 0044 0532 0130 00', 'DE89370400440532013000', 'bank_account:iban:DE89370400440532013000');
  });

  it('rejects IBANs with wrong check digits', () => {
    invalid('bank_account', 'GB83 WEST 1234 5698 7654 32', 'INVALID_BANK_ACCOUNT', 'BAD_IBAN');
    invalid('bank_account', 'DE89370400440532013001', 'INVALID_BANK_ACCOUNT', 'BAD_IBAN');
  });

  it('rejects other values with BAD_LENGTH or NOT_AN_ACCOUNT', () => {
    invalid('bank_account', '004-123-12345', 'INVALID_BANK_ACCOUNT', 'BAD_LENGTH');
    invalid('bank_account', '004-123-1234567890123', 'INVALID_BANK_ACCOUNT', 'BAD_LENGTH');
    invalid('bank_account', '123456', 'INVALID_BANK_ACCOUNT', 'BAD_LENGTH');
    invalid('bank_account', 'abc', 'INVALID_BANK_ACCOUNT', 'NOT_AN_ACCOUNT');
    invalid('bank_account', '004-123-45678x', 'INVALID_BANK_ACCOUNT', 'NOT_AN_ACCOUNT');
  });
});

describe('payment_proxy', () => {
  it('FPS IDs have 7 to 9 digits, with or without the fps: scheme', () => {
    const id = valid('payment_proxy', '1234567', 'fps:1234567', 'payment_proxy:fps:1234567');
    assert.deepEqual(id.details, { scheme: 'fps', type: 'fps_id' });
    valid('payment_proxy', 'fps:1234567', 'fps:1234567', 'payment_proxy:fps:1234567');
    valid('payment_proxy', 'FPS: 123456789', 'fps:123456789', 'payment_proxy:fps:123456789');
    // 8 digits that are not a Hong Kong number stay an FPS ID.
    valid('payment_proxy', '12345678', 'fps:12345678', 'payment_proxy:fps:12345678');
    valid('payment_proxy', 'fps:12345678', 'fps:12345678', 'payment_proxy:fps:12345678');
  });

  it('reads an FPS phone proxy as E.164', () => {
    const proxy = valid('payment_proxy', 'fps:+85291234567', 'fps:+85291234567', 'payment_proxy:fps:+85291234567');
    assert.deepEqual(proxy.details, { scheme: 'fps', type: 'phone', phone: '+85291234567', region: 'HK' });
    for (const input of ['fps:+852 9123 4567', '+85291234567', 'fps: 9123 4567', 'fps:9123-4567']) {
      valid('payment_proxy', input, 'fps:+85291234567', 'payment_proxy:fps:+85291234567');
    }
  });

  it('reads an 8-digit Hong Kong mobile number as the FPS phone proxy', () => {
    assert.equal(valid('payment_proxy', '91234567', 'fps:+85291234567', 'payment_proxy:fps:+85291234567').details.type, 'phone');
    valid('payment_proxy', 'fps:91234567', 'fps:+85291234567', 'payment_proxy:fps:+85291234567');
  });

  it('reads an FPS e-mail proxy, domain normalized', () => {
    const proxy = valid('payment_proxy', 'fps:John.Doe@Example.com', 'fps:John.Doe@example.com', 'payment_proxy:fps:John.Doe@example.com');
    assert.deepEqual(proxy.details, { scheme: 'fps', type: 'email', email: 'John.Doe@example.com' });
    // An address whose domain has a dot is an e-mail (FPS), not a UPI handle.
    valid('payment_proxy', 'name@okaxis.com', 'fps:name@okaxis.com', 'payment_proxy:fps:name@okaxis.com');
  });

  it('reads UPI addresses in lower case', () => {
    const upi = valid('payment_proxy', 'upi:Name@OkAxis', 'upi:name@okaxis', 'payment_proxy:upi:name@okaxis');
    assert.deepEqual(upi.details, { scheme: 'upi', type: 'vpa' });
    valid('payment_proxy', 'name@okaxis', 'upi:name@okaxis', 'payment_proxy:upi:name@okaxis');
  });

  it('reads PayNow UENs in upper case, and Singapore numbers with the paynow: scheme', () => {
    const uen = valid('payment_proxy', 'paynow:201912345K', 'paynow:201912345K', 'payment_proxy:paynow:201912345K');
    assert.deepEqual(uen.details, { scheme: 'paynow', type: 'uen' });
    valid('payment_proxy', '201912345k', 'paynow:201912345K', 'payment_proxy:paynow:201912345K');
    valid('payment_proxy', 'paynow:53012345D', 'paynow:53012345D', 'payment_proxy:paynow:53012345D');
    valid('payment_proxy', 'T08LL1234A', 'paynow:T08LL1234A', 'payment_proxy:paynow:T08LL1234A');
    const phone = valid('payment_proxy', 'paynow:+65 9123 4567', 'paynow:+6591234567', 'payment_proxy:paynow:+6591234567');
    assert.equal(phone.details.type, 'phone');
  });

  it('rejects what is none of these', () => {
    invalid('payment_proxy', '123456', 'INVALID_PAYMENT_PROXY', undefined);
    invalid('payment_proxy', '1234567890', 'INVALID_PAYMENT_PROXY', undefined);
    invalid('payment_proxy', 'fps:abc', 'INVALID_PAYMENT_PROXY', undefined);
    invalid('payment_proxy', 'fps:', 'INVALID_PAYMENT_PROXY', undefined);
    invalid('payment_proxy', 'fps:+8521', 'INVALID_PAYMENT_PROXY', undefined);
    invalid('payment_proxy', 'upi:x', 'INVALID_PAYMENT_PROXY', undefined);
    invalid('payment_proxy', 'upi:name@ok.axis', 'INVALID_PAYMENT_PROXY', undefined);
    invalid('payment_proxy', 'paynow:12345', 'INVALID_PAYMENT_PROXY', undefined);
  });

  it('reports a phone error inside a proxy under the proxy code, the phone reason as reason', () => {
    invalid('payment_proxy', 'paynow:+6512', 'INVALID_PAYMENT_PROXY', 'TOO_SHORT');
  });
});

describe('crypto_wallet', () => {
  it('validates Bitcoin base58check addresses (P2PKH, P2SH)', () => {
    const p2pkh = valid('crypto_wallet', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa', 'crypto_wallet:btc:1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa');
    assert.deepEqual(p2pkh.details, { chain: 'bitcoin', format: 'p2pkh' });
    const p2sh = valid('crypto_wallet', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', '3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy', 'crypto_wallet:btc:3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy');
    assert.equal(p2sh.details.format, 'p2sh');
    invalid('crypto_wallet', '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb', 'INVALID_CRYPTO_WALLET', 'BAD_CHECKSUM');
  });

  it('validates bech32 (witness v0) and bech32m (taproot and later) addresses, lower case canonical', () => {
    const p2wpkh = 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4';
    assert.equal(valid('crypto_wallet', p2wpkh, p2wpkh, `crypto_wallet:btc:${p2wpkh}`).details.format, 'p2wpkh');
    valid('crypto_wallet', p2wpkh.toUpperCase(), p2wpkh, `crypto_wallet:btc:${p2wpkh}`);
    const p2wsh = 'bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3';
    assert.equal(valid('crypto_wallet', p2wsh, p2wsh, `crypto_wallet:btc:${p2wsh}`).details.format, 'p2wsh');
    const taproot = 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0';
    assert.deepEqual(valid('crypto_wallet', taproot, taproot, `crypto_wallet:btc:${taproot}`).details, { chain: 'bitcoin', format: 'p2tr' });
    const v16 = 'bc1sw50qgdz25j';
    assert.equal(valid('crypto_wallet', 'BC1SW50QGDZ25J', v16, `crypto_wallet:btc:${v16}`).details.format, 'witness_v16');
  });

  it('rejects bad bech32 addresses (BIP 173 / BIP 350 invalid vectors)', () => {
    invalid('crypto_wallet', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5', 'INVALID_CRYPTO_WALLET', 'BAD_CHECKSUM');
    invalid('crypto_wallet', 'Bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4', 'INVALID_CRYPTO_WALLET', 'MIXED_CASE');
    // v1 with a bech32 checksum, v0 with a bech32m checksum
    invalid('crypto_wallet', 'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd', 'INVALID_CRYPTO_WALLET', 'BAD_CHECKSUM');
    invalid('crypto_wallet', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh', 'INVALID_CRYPTO_WALLET', 'BAD_CHECKSUM');
    // program lengths: 1 byte for v1, 16 bytes for v0, 41 bytes for v1
    invalid('crypto_wallet', 'bc1pw5dgrnzv', 'INVALID_CRYPTO_WALLET', 'BAD_LENGTH');
    invalid('crypto_wallet', 'BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P', 'INVALID_CRYPTO_WALLET', 'BAD_LENGTH');
    invalid(
      'crypto_wallet',
      'bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav',
      'INVALID_CRYPTO_WALLET',
      'BAD_LENGTH',
    );
    // testnet
    invalid('crypto_wallet', 'tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx', 'INVALID_CRYPTO_WALLET', 'UNKNOWN_FORMAT');
  });

  it('checks the EIP-55 checksum of mixed-case Ethereum addresses; canonical checksummed, key lower case', () => {
    const checksummed = '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed';
    const key = 'crypto_wallet:eth:0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed';
    assert.deepEqual(valid('crypto_wallet', checksummed, checksummed, key).details, { chain: 'ethereum', format: 'eip55' });
    valid('crypto_wallet', checksummed.toLowerCase(), checksummed, key);
    valid('crypto_wallet', '0x' + checksummed.slice(2).toUpperCase(), checksummed, key);
    valid('crypto_wallet', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359', 'crypto_wallet:eth:0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359');
    // one letter in the wrong case
    invalid('crypto_wallet', '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD', 'INVALID_CRYPTO_WALLET', 'BAD_CHECKSUM');
  });

  it('validates TRON base58check addresses', () => {
    const usdt = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
    assert.deepEqual(valid('crypto_wallet', usdt, usdt, `crypto_wallet:trx:${usdt}`).details, { chain: 'tron', format: 'base58check' });
    invalid('crypto_wallet', 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u', 'INVALID_CRYPTO_WALLET', 'BAD_CHECKSUM');
  });

  it('rejects unknown formats', () => {
    invalid('crypto_wallet', 'xyz', 'INVALID_CRYPTO_WALLET', 'UNKNOWN_FORMAT');
    invalid('crypto_wallet', '0x123', 'INVALID_CRYPTO_WALLET', 'UNKNOWN_FORMAT');
    invalid('crypto_wallet', 'tr7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', 'INVALID_CRYPTO_WALLET', 'UNKNOWN_FORMAT');
  });
});

describe('social_account', () => {
  it('reads platform:handle, folding case where the platform ignores it', () => {
    const account = valid('social_account', 'telegram:@Scam_Support', 'telegram:scam_support', 'social_account:telegram:scam_support');
    assert.deepEqual(account.details, { platform: 'telegram', handle: 'scam_support' });
    assert.equal(account.display, 'telegram: @scam_support');
    valid('social_account', 'instagram:@Some.User', 'instagram:some.user', 'social_account:instagram:some.user');
    valid('social_account', 'facebook:John.Doe.5', 'facebook:john.doe.5', 'social_account:facebook:john.doe.5');
    valid('social_account', 'x:@ElonMusk', 'x:elonmusk', 'social_account:x:elonmusk');
    valid('social_account', 'tiktok:@Scam.Shop', 'tiktok:scam.shop', 'social_account:tiktok:scam.shop');
    valid('social_account', 'line:@ScamLine', 'line:@scamline', 'social_account:line:@scamline');
    // WeChat IDs keep their case.
    valid('social_account', 'wechat:Scam_Wx01', 'wechat:Scam_Wx01', 'social_account:wechat:Scam_Wx01');
  });

  it('accepts platform aliases in English and Chinese', () => {
    for (const input of ['tg:Scam_Support', 'TG: @scam_support', '電報:scam_support', '纸飞机：scam_support']) {
      valid('social_account', input, 'telegram:scam_support', 'social_account:telegram:scam_support');
    }
    valid('social_account', 'ig:some.user', 'instagram:some.user', 'social_account:instagram:some.user');
    valid('social_account', 'fb:100012345678', 'facebook:100012345678', 'social_account:facebook:100012345678');
    valid('social_account', 'twitter:elonmusk', 'x:elonmusk', 'social_account:x:elonmusk');
    valid('social_account', '抖音:scamshop', 'tiktok:scamshop', 'social_account:tiktok:scamshop');
    valid('social_account', '微信:Scam_Wx01', 'wechat:Scam_Wx01', 'social_account:wechat:Scam_Wx01');
  });

  it('normalizes WhatsApp accounts as phone numbers', () => {
    const account = valid('social_account', 'whatsapp:+852 9123 4567', 'whatsapp:+85291234567', 'social_account:whatsapp:+85291234567');
    assert.deepEqual(account.details, { platform: 'whatsapp', handle: '+85291234567', phone: '+85291234567' });
    valid('social_account', 'wa:91234567', 'whatsapp:+85291234567', 'social_account:whatsapp:+85291234567');
    invalid('social_account', 'whatsapp:123', 'INVALID_SOCIAL_ACCOUNT', 'BAD_PHONE');
  });

  it('reads profile links', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['https://t.me/Scam_Support', 'telegram:scam_support'],
      ['t.me/scam_support', 'telegram:scam_support'],
      ['https://wa.me/85291234567', 'whatsapp:+85291234567'],
      ['https://api.whatsapp.com/send?phone=85291234567', 'whatsapp:+85291234567'],
      ['https://www.instagram.com/Some.User/', 'instagram:some.user'],
      ['https://www.facebook.com/profile.php?id=100012345678', 'facebook:100012345678'],
      ['https://m.facebook.com/John.Doe.5', 'facebook:john.doe.5'],
      ['https://www.tiktok.com/@Scam.Shop', 'tiktok:scam.shop'],
      ['https://line.me/ti/p/~ScamLine', 'line:scamline'],
      ['https://x.com/ElonMusk', 'x:elonmusk'],
      ['https://twitter.com/elonmusk/status/1', 'x:elonmusk'],
    ];
    for (const [input, canonical] of cases) valid('social_account', input, canonical, `social_account:${canonical}`);
  });

  it('rejects links that are not profiles', () => {
    for (const input of [
      'https://t.me/joinchat/abc',
      'https://t.me/share/url?x',
      'https://t.me/+AbCdEf123',
      'https://instagram.com/p/abc',
      'https://www.instagram.com/explore/',
      'https://www.facebook.com/groups/123456',
      'https://www.facebook.com/profile.php?id=abc',
      'https://www.tiktok.com/scam',
      'https://evil.com/x',
    ]) {
      invalid('social_account', input, 'INVALID_SOCIAL_ACCOUNT', 'NOT_A_PROFILE');
    }
  });

  it('rejects @name without a platform', () => {
    invalid('social_account', '@name', 'INVALID_SOCIAL_ACCOUNT', 'NO_PLATFORM');
    invalid('social_account', '@scam_support', 'INVALID_SOCIAL_ACCOUNT', 'NO_PLATFORM');
  });

  it('rejects bad handles and unknown platforms', () => {
    invalid('social_account', 'telegram:abc', 'INVALID_SOCIAL_ACCOUNT', 'BAD_HANDLE');
    invalid('social_account', 'tg:@1abc', 'INVALID_SOCIAL_ACCOUNT', 'BAD_HANDLE');
    invalid('social_account', 'wechat:abc', 'INVALID_SOCIAL_ACCOUNT', 'BAD_HANDLE');
    invalid('social_account', 'instagram:bad handle!', 'INVALID_SOCIAL_ACCOUNT', 'BAD_HANDLE');
    invalid('social_account', 'x:waytoolonghandle123', 'INVALID_SOCIAL_ACCOUNT', 'BAD_HANDLE');
    invalid('social_account', 'signal:abc', 'INVALID_SOCIAL_ACCOUNT', 'NOT_AN_ACCOUNT');
    invalid('social_account', 'mailto:a@b.com', 'INVALID_SOCIAL_ACCOUNT', 'NOT_AN_ACCOUNT');
  });
});

describe('ip', () => {
  it('reads every inet_aton form of an IPv4 address as a dotted quad', () => {
    for (const input of ['192.168.1.1', '3232235777', '0300.0250.01.01', '0xC0.0xA8.0x01.0x01', '0xc0a80101', '192.168.257', '192.11010305']) {
      const ip = valid('ip', input, '192.168.1.1', 'ip:192.168.1.1');
      assert.deepEqual(ip.details, { version: 4, range: 'private' });
    }
    assert.equal(valid('ip', '127.1', '127.0.0.1', 'ip:127.0.0.1').details.range, 'loopback');
    valid('ip', '0x7f.1', '127.0.0.1', 'ip:127.0.0.1');
    valid('ip', '01.02.03.04', '1.2.3.4', 'ip:1.2.3.4');
    valid('ip', '4294967295', '255.255.255.255', 'ip:255.255.255.255');
    assert.equal(valid('ip', '8.8.8.8', '8.8.8.8', 'ip:8.8.8.8').details.range, 'unicast');
  });

  it('compresses IPv6 after RFC 5952', () => {
    for (const input of ['2001:DB8:0:0:0:0:0:1', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::0:1', '[2001:db8::1]']) {
      assert.equal(valid('ip', input, '2001:db8::1', 'ip:2001:db8::1').details.version, 6);
    }
    valid('ip', '2001:DB8::A', '2001:db8::a', 'ip:2001:db8::a');
    valid('ip', '0:0:0:0:0:0:0:1', '::1', 'ip:::1');
    valid('ip', '::', '::', 'ip:::');
    // the longest run of zeros is compressed, the first of equal runs, never a single zero field
    valid('ip', '1:0:0:2:0:0:0:3', '1:0:0:2::3', 'ip:1:0:0:2::3');
    valid('ip', '1:0:0:2:0:0:3:4', '1::2:0:0:3:4', 'ip:1::2:0:0:3:4');
    valid('ip', '2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1', 'ip:2001:db8:0:1:1:1:1:1');
  });

  it('rejects values that are not addresses', () => {
    for (const input of ['256.1.1.1', '1.2.3.256', '08.1.1.1', '4294967296', '1.2.3.4.5', '1..1', 'not an ip', 'fe80::1%eth0']) {
      invalid('ip', input, 'INVALID_IP', undefined);
    }
  });
});

describe('sms_sender', () => {
  it('keeps the sender as sent, with a case-folded key; # marks a registered sender', () => {
    const sender = valid('sms_sender', '#HSBC', '#HSBC', 'sms_sender:#hsbc');
    assert.deepEqual(sender.details, { registered: true, numeric: false });
    valid('sms_sender', '#hsbc', '#hsbc', 'sms_sender:#hsbc');
    valid('sms_sender', '  #HSBC  ', '#HSBC', 'sms_sender:#hsbc');
    assert.equal(valid('sms_sender', 'HSBC', 'HSBC', 'sms_sender:hsbc').details.registered, false);
  });

  it('collapses inner spaces and accepts numeric senders', () => {
    valid('sms_sender', '#HS  BC', '#HS BC', 'sms_sender:#hs bc');
    valid('sms_sender', 'HK Post', 'HK Post', 'sms_sender:hk post');
    valid('sms_sender', 'ABCDEFGHIJK', 'ABCDEFGHIJK', 'sms_sender:abcdefghijk');
    assert.deepEqual(valid('sms_sender', '12345', '12345', 'sms_sender:12345').details, { registered: false, numeric: true });
    assert.deepEqual(valid('sms_sender', '#12345', '#12345', 'sms_sender:#12345').details, { registered: true, numeric: true });
  });

  it('rejects what no sender ID can be', () => {
    for (const input of ['ABCDEFGHIJKL', '1234567890123456', '#', '!!', 'HSBC!', '+85291234567']) {
      invalid('sms_sender', input, 'INVALID_SMS_SENDER', undefined);
    }
  });
});

describe('normalize', () => {
  it('rejects an unknown kind with UNKNOWN_KIND', () => {
    invalid('nope' as IndicatorKind, 'x', 'UNKNOWN_KIND', undefined);
  });

  it('rejects an empty value of every kind with EMPTY_INPUT', () => {
    for (const kind of ['domain', 'email', 'bank_account', 'payment_proxy', 'crypto_wallet', 'social_account', 'ip', 'sms_sender'] as const) {
      invalid(kind, ' \u200B ', 'EMPTY_INPUT', undefined);
    }
  });
});

describe('review regressions', () => {
  it('reads an 8-digit FPS value as a Hong Kong phone proxy whatever the default region', () => {
    valid('payment_proxy', '91234567', 'fps:+85291234567', 'payment_proxy:fps:+85291234567', { region: 'US' });
    valid('payment_proxy', 'fps:91234567', 'fps:+85291234567', 'payment_proxy:fps:+85291234567', { region: 'SG' });
  });

  it('accepts wa.me links written with + or %2B, but not Telegram invite links', () => {
    valid('social_account', 'https://wa.me/+85291234567', 'whatsapp:+85291234567', 'social_account:whatsapp:+85291234567');
    valid('social_account', 'https://wa.me/%2B85291234567', 'whatsapp:+85291234567', 'social_account:whatsapp:+85291234567');
    invalid('social_account', 'https://t.me/+AbCdEf123', 'INVALID_SOCIAL_ACCOUNT', 'NOT_A_PROFILE');
  });

  it('shows a LINE personal ID and an official account differently', () => {
    assert.equal(normalize('social_account', 'line:scamline').display, 'line: scamline');
    assert.equal(normalize('social_account', 'line:@scamline').display, 'line: @scamline');
  });

  it('keeps the IPv4 part of an IPv4-mapped IPv6 address dotted (RFC 5952 section 5)', () => {
    valid('ip', '::FFFF:192.168.1.1', '::ffff:192.168.1.1', 'ip:::ffff:192.168.1.1');
  });

  it('ends wrapped error messages with one full stop', () => {
    assert.throws(() => normalize('social_account', 'whatsapp:123'), (e: Error) => !e.message.endsWith('..'));
    assert.throws(() => normalize('payment_proxy', 'fps:+8521'), (e: Error) => !e.message.endsWith('..'));
  });
});

describe('review regressions (second review)', () => {
  it('keeps decoded defang forms escaped in paths and queries, so the canonical form is a fixed point', () => {
    valid('url', 'http://evil.com/a%5B.%5Db', 'http://evil.com/a%5B.]b', 'url:http://evil.com/a%5B.]b');
    valid('url', 'http://evil.com/%68xxp', 'http://evil.com/%68xxp', 'url:http://evil.com/%68xxp');
    valid('social_account', 'https://t.me/%68xxp_name', 'telegram:http_name', 'social_account:telegram:http_name');
  });

  it('does not read non-profile links as accounts, and reads the id of a /people/ link', () => {
    invalid('social_account', 'https://www.facebook.com/photo.php?fbid=1', 'INVALID_SOCIAL_ACCOUNT', 'NOT_A_PROFILE');
    invalid('social_account', 'https://t.me/proxy?server=1.2.3.4', 'INVALID_SOCIAL_ACCOUNT', 'NOT_A_PROFILE');
    valid('social_account', 'https://www.facebook.com/people/Jane-Doe/100012345678901', 'facebook:100012345678901', 'social_account:facebook:100012345678901');
    valid('social_account', 'https://api.whatsapp.com/send?phone=+85291234567', 'whatsapp:+85291234567', 'social_account:whatsapp:+85291234567');
    valid('social_account', 'https://line.me/R/ti/p/~abc', 'line:abc', 'social_account:line:abc');
  });

  it('reads a country code in brackets, and keys a Gmail FPS proxy like the e-mail', () => {
    valid('phone', '(+852) 9123 4567', '+85291234567', 'phone:+85291234567');
    valid('payment_proxy', 'fps:John.Doe@Gmail.com', 'fps:John.Doe@gmail.com', 'payment_proxy:fps:johndoe@gmail.com');
  });

  it('answers a region that is not text with INVALID_REGION, not a TypeError', () => {
    invalid('phone', '91234567', 'INVALID_REGION', undefined, { region: 852 as unknown as string });
  });
});
