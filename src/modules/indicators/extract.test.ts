import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IndicatorError, extract, type ExtractedIndicator, type NormalizeOptions } from './index.js';

type Found = Pick<ExtractedIndicator, 'kind' | 'raw' | 'start' | 'end' | 'canonical' | 'key'>;

/** The fields the CLI prints, and a check that every span indexes the original text. */
function found(text: string, options?: NormalizeOptions): Found[] {
  return extract(text, options).map((f) => {
    assert.equal(text.slice(f.start, f.end), f.raw, `span ${f.start}..${f.end} of ${f.kind}`);
    assert.equal(f.indicator.kind, f.kind);
    assert.equal(f.indicator.canonical, f.canonical);
    assert.equal(f.indicator.key, f.key);
    const { kind, raw, start, end, canonical, key } = f;
    return { kind, raw, start, end, canonical, key };
  });
}

/** [kind, raw, canonical] of each indicator, for the short cases. */
function brief(text: string, options?: NormalizeOptions): [string, string, string][] {
  return found(text, options).map((f) => [f.kind, f.raw, f.canonical]);
}

describe('extract', () => {
  it('finds every indicator of a Hong Kong scam SMS mixing Chinese and English, with spans in the original text', () => {
    const sms =
      '【滙豐】您的帳戶已被凍結，請於2021-07-06前登入 hxxps://hsbc-secure[.]com/login 或瀏覽 evil.com/hk 更新資料（詳見 file.txt，e.g. 附件）。' +
      '查詢請致電 9123 4567 或 ９１２３４５６７，Telegram: @Scam_Support。FPS ID: 1234567 或轉賬至 004-123-456789，' +
      '電郵 help@hsbc-verify.com，USDT 地址 TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t。#HSBC 短連結 (https://bit.ly/abc 客服 https://t.me/hsbc_help_desk';
    assert.deepEqual(found(sms), [
      { kind: 'url', raw: 'hxxps://hsbc-secure[.]com/login', start: 29, end: 60, canonical: 'https://hsbc-secure.com/login', key: 'url:https://hsbc-secure.com/login' },
      { kind: 'url', raw: 'evil.com/hk', start: 65, end: 76, canonical: 'http://evil.com/hk', key: 'url:http://evil.com/hk' },
      { kind: 'phone', raw: '9123 4567', start: 109, end: 118, canonical: '+85291234567', key: 'phone:+85291234567' },
      { kind: 'phone', raw: '９１２３４５６７', start: 121, end: 129, canonical: '+85291234567', key: 'phone:+85291234567' },
      { kind: 'social_account', raw: '@Scam_Support', start: 140, end: 153, canonical: 'telegram:scam_support', key: 'social_account:telegram:scam_support' },
      { kind: 'payment_proxy', raw: '1234567', start: 162, end: 169, canonical: 'fps:1234567', key: 'payment_proxy:fps:1234567' },
      { kind: 'bank_account', raw: '004-123-456789', start: 175, end: 189, canonical: '004-123-456789', key: 'bank_account:hk:004123456789' },
      { kind: 'email', raw: 'help@hsbc-verify.com', start: 193, end: 213, canonical: 'help@hsbc-verify.com', key: 'email:help@hsbc-verify.com' },
      {
        kind: 'crypto_wallet',
        raw: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
        start: 222,
        end: 256,
        canonical: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
        key: 'crypto_wallet:trx:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      },
      { kind: 'sms_sender', raw: '#HSBC', start: 257, end: 262, canonical: '#HSBC', key: 'sms_sender:#hsbc' },
      { kind: 'url', raw: 'https://bit.ly/abc', start: 268, end: 286, canonical: 'https://bit.ly/abc', key: 'url:https://bit.ly/abc' },
      {
        kind: 'social_account',
        raw: 'https://t.me/hsbc_help_desk',
        start: 290,
        end: 317,
        canonical: 'telegram:hsbc_help_desk',
        key: 'social_account:telegram:hsbc_help_desk',
      },
    ]);
  });

  it('maps a defanged link back to its defanged span', () => {
    assert.deepEqual(found('Login: hxxps://hsbc-secure[.]com/login now'), [
      { kind: 'url', raw: 'hxxps://hsbc-secure[.]com/login', start: 7, end: 38, canonical: 'https://hsbc-secure.com/login', key: 'url:https://hsbc-secure.com/login' },
    ]);
    assert.deepEqual(brief('HXXPS://EVIL[.]COM/A'), [['url', 'HXXPS://EVIL[.]COM/A', 'https://evil.com/A']]);
    assert.deepEqual(brief('see evil[.]com today'), [['url', 'evil[.]com', 'http://evil.com/']]);
  });

  it('finds a link without a scheme on a real public suffix', () => {
    assert.deepEqual(found('瀏覽 evil.com/hk 更新'), [
      { kind: 'url', raw: 'evil.com/hk', start: 3, end: 14, canonical: 'http://evil.com/hk', key: 'url:http://evil.com/hk' },
    ]);
  });

  it('does not take file names or abbreviations for links', () => {
    assert.deepEqual(found('Open file.txt, e.g. the attachment, i.e. now. Version 1.2 of node.js'), []);
    assert.deepEqual(found('詳見 file.txt，e.g. 附件'), []);
  });

  it('finds phone numbers written with a space and in full-width digits', () => {
    assert.deepEqual(found('請致電 9123 4567'), [{ kind: 'phone', raw: '9123 4567', start: 4, end: 13, canonical: '+85291234567', key: 'phone:+85291234567' }]);
    assert.deepEqual(found('致電９１２３４５６７查詢'), [{ kind: 'phone', raw: '９１２３４５６７', start: 2, end: 10, canonical: '+85291234567', key: 'phone:+85291234567' }]);
    assert.deepEqual(brief('致電 ９１２３ ４５６７ 查詢'), [['phone', '９１２３ ４５６７', '+85291234567']]);
    assert.deepEqual(brief('WhatsApp: +852 9123 4567'), [['phone', '+852 9123 4567', '+85291234567']]);
  });

  it('reads phone numbers without a country code in the region given', () => {
    assert.deepEqual(brief('Call (201) 555-0123 now'), []);
    assert.deepEqual(found('Call (201) 555-0123 now', { region: 'US' }), [
      { kind: 'phone', raw: '(201) 555-0123', start: 5, end: 19, canonical: '+12015550123', key: 'phone:+12015550123' },
    ]);
  });

  it('does not take dates for phone numbers', () => {
    assert.deepEqual(found('Pay by 2021-07-06.'), []);
    assert.deepEqual(found('on 2021-07-06, 06/07/2021, 2021.07.06 and 6-7-2021'), []);
    assert.deepEqual(brief('到期日 2021-07-06，請致電 9123 4567'), [['phone', '9123 4567', '+85291234567']]);
  });

  it('does not take a date with its time, or an amount, for a phone number, nor lose a number that looks like one', () => {
    assert.deepEqual(found('I paid (2026-07-04 08:08), lost HK$12887.25 and 3515.29'), []);
    assert.deepEqual(brief('2021-07-06 9123 4567 (2026-07-04 08:08) HK$12887.25, call 6123 4567'), [
      ['phone', '9123 4567', '+85291234567'],
      ['phone', '6123 4567', '+85261234567'],
    ]);
    assert.deepEqual(brief('Appelez le 0800.12.34.56', { region: 'FR' }).map(([kind, raw]) => [kind, raw]), [['phone', '0800.12.34.56']]);
    assert.deepEqual(brief('Bel 0471.12.34.56', { region: 'BE' }).map(([kind, raw]) => [kind, raw]), [['phone', '0471.12.34.56']]);
  });

  it('finds a handle named with its platform, in English, Chinese and full-width forms', () => {
    assert.deepEqual(found('Telegram: @Scam_Support'), [
      { kind: 'social_account', raw: '@Scam_Support', start: 10, end: 23, canonical: 'telegram:scam_support', key: 'social_account:telegram:scam_support' },
    ]);
    assert.deepEqual(brief('Ｔｅｌｅｇｒａｍ：＠Scam_Support'), [['social_account', '＠Scam_Support', 'telegram:scam_support']]);
    assert.deepEqual(brief('加微信：scam_wechat1 聯絡'), [['social_account', 'scam_wechat1', 'wechat:scam_wechat1']]);
    assert.deepEqual(brief('follow instagram @foo.bar'), [['social_account', '@foo.bar', 'instagram:foo.bar']]);
  });

  it('does not take an @handle without its platform', () => {
    assert.deepEqual(found('contact @Scam_Support now'), []);
  });

  it('finds an FPS ID only when it is named as one', () => {
    assert.deepEqual(found('FPS ID: 1234567'), [
      { kind: 'payment_proxy', raw: '1234567', start: 8, end: 15, canonical: 'fps:1234567', key: 'payment_proxy:fps:1234567' },
    ]);
    assert.deepEqual(brief('轉數快識別碼：12345678 請付款'), [['payment_proxy', '12345678', 'fps:12345678']]);
    assert.deepEqual(found('ref 1234567'), []);
  });

  it('finds a Hong Kong bank account and an IBAN', () => {
    assert.deepEqual(found('轉賬至 004-123-456789'), [
      { kind: 'bank_account', raw: '004-123-456789', start: 4, end: 18, canonical: '004-123-456789', key: 'bank_account:hk:004123456789' },
    ]);
    assert.deepEqual(brief('IBAN GB82 WEST 1234 5698 7654 32.'), [['bank_account', 'GB82 WEST 1234 5698 7654 32', 'GB82WEST12345698765432']]);
  });

  it('finds an e-mail address without the full stop after it', () => {
    assert.deepEqual(found('Email help@hsbc-verify.com.'), [
      { kind: 'email', raw: 'help@hsbc-verify.com', start: 6, end: 26, canonical: 'help@hsbc-verify.com', key: 'email:help@hsbc-verify.com' },
    ]);
  });

  it('finds TRON and Ethereum wallets', () => {
    assert.deepEqual(found('USDT: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t'), [
      {
        kind: 'crypto_wallet',
        raw: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
        start: 6,
        end: 40,
        canonical: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
        key: 'crypto_wallet:trx:TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
      },
    ]);
    assert.deepEqual(brief('ETH 0x52908400098527886e0f7030069857d2e4169ee7'), [
      ['crypto_wallet', '0x52908400098527886e0f7030069857d2e4169ee7', '0x52908400098527886E0F7030069857D2E4169EE7'],
    ]);
    // One changed character breaks the TRON checksum.
    assert.deepEqual(found('USDT: TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u'), []);
  });

  it('finds a registered SMS sender', () => {
    assert.deepEqual(found('#HSBC: your code'), [{ kind: 'sms_sender', raw: '#HSBC', start: 0, end: 5, canonical: '#HSBC', key: 'sms_sender:#hsbc' }]);
  });

  it('drops the closing bracket, quote or punctuation around a link', () => {
    assert.deepEqual(found('(https://bit.ly/abc)'), [
      { kind: 'url', raw: 'https://bit.ly/abc', start: 1, end: 19, canonical: 'https://bit.ly/abc', key: 'url:https://bit.ly/abc' },
    ]);
    assert.deepEqual(brief('see https://bit.ly/abc).'), [['url', 'https://bit.ly/abc', 'https://bit.ly/abc']]);
    assert.deepEqual(brief('"https://bit.ly/abc"'), [['url', 'https://bit.ly/abc', 'https://bit.ly/abc']]);
    assert.deepEqual(brief('https://bit.ly/abc, https://x.co/y.'), [
      ['url', 'https://bit.ly/abc', 'https://bit.ly/abc'],
      ['url', 'https://x.co/y', 'https://x.co/y'],
    ]);
    // A bracket the link opened is part of it.
    assert.deepEqual(brief('(https://en.wikipedia.org/wiki/Foo_(bar))'), [
      ['url', 'https://en.wikipedia.org/wiki/Foo_(bar)', 'https://en.wikipedia.org/wiki/Foo_(bar)'],
    ]);
  });

  it('gives a t.me link as the Telegram account it is', () => {
    assert.deepEqual(found('Join https://t.me/scam_bot now, or t.me/another_one.'), [
      { kind: 'social_account', raw: 'https://t.me/scam_bot', start: 5, end: 26, canonical: 'telegram:scam_bot', key: 'social_account:telegram:scam_bot' },
      { kind: 'social_account', raw: 't.me/another_one', start: 35, end: 51, canonical: 'telegram:another_one', key: 'social_account:telegram:another_one' },
    ]);
    // Not a profile: just a link.
    assert.deepEqual(brief('https://t.me/share'), [['url', 'https://t.me/share', 'https://t.me/share']]);
  });

  it('finds an IPv4 address but not a longer dotted number', () => {
    assert.deepEqual(found('IP 195.127.0.11 accessed'), [{ kind: 'ip', raw: '195.127.0.11', start: 3, end: 15, canonical: '195.127.0.11', key: 'ip:195.127.0.11' }]);
    assert.deepEqual(found('version 1.2.3.4.5'), []);
  });

  it('returns nothing for empty text or text without indicators, and refuses an unknown region', () => {
    assert.deepEqual(extract(''), []);
    assert.deepEqual(extract('你好，今天天氣很好。Hello, nice weather today!'), []);
    assert.throws(
      () => extract('9123 4567', { region: 'ZZ' }),
      (error: unknown) => error instanceof IndicatorError && error.code === 'INVALID_REGION',
    );
  });
});

describe('extract: numbers written next to other digit groups', () => {
  it('finds a phone number after a date or before a year, not only alone', () => {
    const spans = (text: string) => extract(text).map((f) => [f.kind, f.raw, f.start, f.end, f.canonical]);
    assert.deepEqual(spans('2021-07-06 9123 4567'), [['phone', '9123 4567', 11, 20, '+85291234567']]);
    assert.deepEqual(spans('9123 4567 2021 call now'), [['phone', '9123 4567', 0, 9, '+85291234567']]);
  });
});

describe('extract: second review', () => {
  const keys = (text: string, region?: string) => extract(text, region ? { region } : {}).map((f) => f.key);

  it('stays linear on long runs of spaces or short digit groups', () => {
    // Backtracking here once took seconds; these return at once, and the test fails by timing out if not.
    assert.deepEqual(keys('fps' + ' '.repeat(20000) + '12'), []);
    assert.deepEqual(keys('telegram' + ' '.repeat(20000) + ':'), []);
    assert.deepEqual(keys('12 '.repeat(5000)), []);
  });

  it('does not cut a domain out of a word with non-ASCII letters, and reads upper-case links', () => {
    assert.deepEqual(keys('münchen-bank.de/login bücher.de'), []);
    assert.deepEqual(keys('visit EVIL.COM or Hsbc-Secure.Com'), ['url:http://evil.com/', 'url:http://hsbc-secure.com/']);
  });

  it('finds an IP ending a sentence, handles ending a sentence, LINE official accounts with their @, (+44) numbers', () => {
    assert.deepEqual(keys('Server at 1.2.3.4.'), ['ip:1.2.3.4']);
    assert.deepEqual(keys('Telegram: @scam_support. LINE: @abcdef'), ['social_account:telegram:scam_support', 'social_account:line:@abcdef']);
    assert.deepEqual(keys('call (+44) 20 7946 0958', 'GB'), ['phone:+442079460958']);
  });
});

describe('extract: links right after Chinese text', () => {
  it('finds a scheme-less link written right after Chinese characters', () => {
    assert.deepEqual(extract('請登入evil.com/hk立即').map((f) => [f.raw, f.key]), [['evil.com/hk', 'url:http://evil.com/hk']]);
  });
});
