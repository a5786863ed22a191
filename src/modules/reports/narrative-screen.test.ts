import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { extract } from '../indicators/index.js';
import { prepareMessage } from '../messages/message-intake.js';
import { cardNetwork, hkidCheckCharacter, isValidHkid, passesLuhn } from './identity-checks.js';
import { findSensitive, screenNarrative, type ScreenKind } from './narrative-screen.js';
import { ReportPreparer } from './report.prepare.js';

const screened = (text: string): string => screenNarrative(text, { region: 'HK' }).text;
const counts = (text: string): Partial<Record<ScreenKind, number>> =>
  Object.fromEntries(screenNarrative(text, { region: 'HK' }).masked.map((m) => [m.kind, m.count]));
/** A prefix completed with its Luhn check digit. */
const withLuhn = (prefix: string): string => {
  for (let d = 0; d <= 9; d++) if (passesLuhn(`${prefix}${d}`)) return `${prefix}${d}`;
  throw new Error('unreachable');
};

describe('identity checks', () => {
  it('computes HKID check characters by the weights 9..2 (worked by hand: A123456 sums to 481, 481 mod 11 = 8, 11 - 8 = 3)', () => {
    assert.equal(hkidCheckCharacter('A', '123456'), '3');
    assert.equal(hkidCheckCharacter('G', '123456'), 'A'); // 324 + 128 + 77 = 529 ≡ 1: check value 10, written A
    assert.equal(hkidCheckCharacter('A', '123452'), '0'); // 473 = 11 × 43: check value 0, not 11
    assert.equal(hkidCheckCharacter('AB', '987654'), '3'); // 90 + 88 + 193 = 371 ≡ 8
    assert.equal(hkidCheckCharacter('CA', '182361'), '1'); // 108 + 80 + 97 = 285 ≡ 10
    assert.equal(isValidHkid('a', '123456', '3'), true);
    assert.equal(isValidHkid('A', '123456', '7'), false);
    assert.equal(isValidHkid('AB', '987654', '1'), false);
    assert.equal(isValidHkid('G', '123456', 'a'), true);
    assert.equal(hkidCheckCharacter('ABC', '123456'), null);
  });

  it('checks Luhn and the issuer prefix and length of card networks', () => {
    assert.equal(passesLuhn('79927398713'), true);
    assert.equal(passesLuhn('4111111111111112'), false);
    assert.equal(cardNetwork('4111111111111111'), 'visa');
    assert.equal(cardNetwork('5555555555554444'), 'mastercard');
    assert.equal(cardNetwork('2223003122003222'), 'mastercard');
    assert.equal(cardNetwork('378282246310005'), 'amex');
    assert.equal(cardNetwork('6200000000000005'), 'unionpay');
    assert.equal(cardNetwork('3566002020360505'), 'jcb');
    assert.equal(cardNetwork(withLuhn('411111111111111111')), 'visa'); // 19 digits
    assert.equal(cardNetwork(withLuhn('41111111111111')), null); // 15-digit Visa: no such card
    assert.equal(cardNetwork(withLuhn('00412345678900')), null); // a bank code first: no issuer
  });
});

describe('screenNarrative: HKID', () => {
  it('masks valid HKIDs with or without brackets, and bracketed ones even mistyped', () => {
    assert.equal(screened('My HKID is A123456(3).'), 'My HKID is [HKID removed].');
    assert.equal(screened('身份證 AB987654(3)，佢哋話要核實'), '身份證 [HKID removed]，佢哋話要核實');
    assert.equal(screened('ID A1234563 given'), 'ID [HKID removed] given');
    assert.equal(screened('they asked for my HKID A123456 (7)'), 'they asked for my HKID [HKID removed]');
    assert.equal(screened('身份證號碼 Ａ１２３４５６（３）'), '身份證號碼 [HKID removed]');
    assert.equal(screened('g123456(a)'), '[HKID removed]');
  });

  it('leaves letter-and-digit strings that are not HKIDs: wrong check, named references, inside links and longer words', () => {
    for (const text of ['code A1234567 sent', 'order A1234563 was never delivered', 'tracking no. CA1823611', 'see https://bit.ly/A1234563 now', 'XA1234563B', 'A12345(3)']) {
      assert.equal(screened(text), text, text);
    }
  });
});

describe('screenNarrative: card numbers', () => {
  it('masks cards written in one run or in groups, keeping the last 4 digits', () => {
    assert.equal(screened('my card 4111 1111 1111 1111 was charged'), 'my card [card number ending 1111 removed] was charged');
    assert.equal(screened('Card: 5555-5555-5555-4444.'), 'Card: [card number ending 4444 removed].');
    assert.equal(screened('Amex 3782 822463 10005'), 'Amex [card number ending 0005 removed]');
    assert.equal(screened('卡號6200000000000005'), '卡號[card number ending 0005 removed]');
    assert.equal(screened('信用卡 ４１１１ １１１１ １１１１ １１１１'), '信用卡 [card number ending 1111 removed]');
    assert.equal(screened('2223003122003222'), '[card number ending 3222 removed]');
  });

  it('leaves Hong Kong bank accounts, phone numbers and numbers that fail the card checks', () => {
    const keep = [
      'transfer to 012-345-67890-1 at BOC',
      'HSBC account 123-456789-001',
      '004-123-456789-001',
      `account no. ${withLuhn('250390123456789')}`, // a Luhn-valid 16-digit run under a Mastercard prefix, named as an account
      `入數去戶口 ${withLuhn('411122223333444')}`,
      'call +852 9123 4567 or 2345 6789',
      '4111 1111 1111 1112', // Luhn fails
      '4111 1111 1111 1111 2222', // part of a longer number
      '4111-1111 1111-1111', // mixed separators
      '5123 4567 9123 4565', // Luhn-valid with a Mastercard prefix, but two phone numbers side by side
    ];
    for (const text of keep) assert.equal(screened(text), text, text);
    assert.equal(screened('card 5123 4567 9123 4565'), 'card [card number ending 4565 removed]'); // the same digits named as a card
  });
});

describe('screenNarrative: one-time codes and other secrets', () => {
  it('masks codes right beside an OTP word, after it or (6 digits or more) before it', () => {
    assert.equal(screened('I gave them the OTP 482913'), 'I gave them the OTP [one-time code removed]');
    assert.equal(screened('驗證碼係 482913'), '驗證碼係 [one-time code removed]');
    assert.equal(screened('the one-time password is: 482913.'), 'the one-time password is: [one-time code removed].');
    assert.equal(screened('SMS code 4829 and then'), 'SMS code [one-time code removed] and then');
    assert.equal(screened('482913 is my OTP'), '[one-time code removed] is my OTP');
    assert.equal(screened('OTP (482 913)'), 'OTP ([one-time code removed])');
    assert.equal(screened('我俾咗個一次性密碼「739201」佢'), '我俾咗個一次性密碼「[one-time code removed]」佢');
  });

  it('never masks amounts, dates, times, phone numbers or accounts near OTP words', () => {
    const keep = [
      'the OTP was sent to 9123 4567',
      'verification code sent to 91234567',
      'OTP 91234567', // a valid Hong Kong number: the scam's evidence wins
      'after the OTP, HK$5000 was taken',
      'after the OTP, 5000 dollars were taken',
      'OTP 5000元',
      '驗證碼之後轉咗 5000 蚊',
      'verification code on 2024-05-01 at 12:30',
      'verification code 2024-05-01',
      'OTP 12:30',
      'In 2023 the OTP was sent',
      'the OTP to account 123-456789-001',
      'verification code 12345678901',
      '驗證碼 https://hsbc-verify.top/482913',
    ];
    for (const text of keep) assert.equal(screened(text), text, text);
  });

  it('masks PINs, card security codes and stated passwords, conservatively', () => {
    assert.equal(screened('Card 5555-5555-5555-4444 CVV 123, PIN 1234'), 'Card [card number ending 4444 removed] CVV [card security code removed], PIN [PIN removed]');
    assert.equal(screened('my password is hunter2.'), 'my password is [password removed].');
    assert.equal(screened('網上理財密碼係abc12345'), '網上理財密碼係[password removed]');
    for (const text of ['my password is wrong', 'the password was changed on 2024-05-01', 'password: letmein', 'PIN the post']) assert.equal(screened(text), text, text);
  });

  it('counts what it masked, by kind', () => {
    assert.deepEqual(counts('HKID A123456(3), card 4111 1111 1111 1111, OTP 482913 and OTP 739201'), { hkid: 1, card_number: 1, one_time_code: 2 });
    assert.deepEqual(screenNarrative('nothing to hide: call 9123 4567').masked, []);
  });
});

// Realistic narratives: what the indicator extractor finds must be the same after screening, less what was masked.
const NARRATIVES: { text: string; masked: Partial<Record<ScreenKind, number>> }[] = [
  { text: 'Got an SMS from #HSBC saying my account was frozen, link https://hsbc-hk-secure.top/verify. I entered my card 4111 1111 1111 1111 and the OTP 482913, then HK$12,887.25 was charged on 2024-05-01.', masked: { card_number: 1, one_time_code: 1 } },
  { text: '有人自稱入境處職員，打 +852 6123 4567 嚟話我身份證 A123456(3) 涉及洗黑錢，叫我轉 50000 蚊去 012-345-67890-1，仲要我講驗證碼係 739201。', masked: { hkid: 1, one_time_code: 1 } },
  { text: 'Investment group on WhatsApp, the "teacher" Telegram: @fast_profit_hk told me to deposit USDT to 0x52908400098527886E0F7030069857D2E4169EE7. I sent 3 payments (8000, 12000, 20000) via FPS ID 1234567.', masked: {} },
  { text: 'Seller on Carousell wanted payment to HSBC 004-123-456789-001 and then asked for my credit card 5555-5555-5555-4444 CVV 123 "to verify". Contact: scam.seller@gmail.com, 9876 5432.', masked: { card_number: 1, card_security_code: 1 } },
  { text: 'Caller from 2345 6789 said she was from the bank and needed the one-time password. I read out 482913 is the OTP she asked. Then she sent me to www.bochk-service.com to log in; my password is Happy2024!', masked: { one_time_code: 1, password: 1 } },
  { text: 'Love scam: met on Instagram: @lovely.anna88, she asked me to send HK$30,000 to account 123-456789-001 on 2024-03-15 and again on 15/04/2024. My HKID A1234563 was on the copy I sent.', masked: { hkid: 1 } },
];

describe('screenNarrative on realistic narratives', () => {
  it('masks what each holds of the reporter, and the extractor finds the same indicators less those', () => {
    for (const { text, masked } of NARRATIVES) {
      const spans = findSensitive(text, { region: 'HK' });
      const result = screenNarrative(text, { region: 'HK' });
      assert.deepEqual(Object.fromEntries(result.masked.map((m) => [m.kind, m.count])), masked, text);
      const kept = extract(text, { region: 'HK' }).filter((e) => !spans.some((s) => s.start < e.end && e.start < s.end));
      const after = extract(result.text, { region: 'HK' });
      assert.deepEqual(after.map((e) => e.key).sort(), kept.map((e) => e.key).sort(), text);
      assert.equal(screened(result.text), result.text);
    }
  });

  it('screens forwarded messages for HKIDs, cards and OTPs, keeping the scam\'s passwords and links', () => {
    const message = prepareMessage({ channel: 'sms', text: 'HSBC: your one-time password is 482913. Your temporary password is Abc12345. Visit https://hsbc-verify.top', sender: '#HSBC' }, 'HK');
    assert.equal(message.text, 'HSBC: your one-time password is [one-time code removed]. Your temporary password is Abc12345. Visit https://hsbc-verify.top');
    assert.ok(message.indicators.some((i) => i.kind === 'url' && i.canonical.includes('hsbc-verify.top')));
    const email = prepareMessage({ channel: 'email', subject: 'Your OTP is 739201', text: 'card 4111 1111 1111 1111 on file' }, 'HK');
    assert.equal(email.subject, 'Your OTP is [one-time code removed]');
    assert.equal(email.text, 'card [card number ending 1111 removed] on file');
  });

  it('screens the narratives of imported reports', () => {
    const batch = new ReportPreparer(Buffer.alloc(32, 1), 'bank', 'HK').prepareBatch([
      { line: 1, report: { externalId: 'c-1', receivedAt: '2024-05-01T00:00:00Z', channel: 'call', scamType: 'phishing_bank', narrative: ' Customer gave OTP 482913 to 6123 4567. ', indicators: [] } },
    ]);
    assert.equal(batch.reports[0]?.narrative, 'Customer gave OTP [one-time code removed] to 6123 4567.');
  });
});

// Text made of pieces that mean something to one rule or another, so that random texts meet the rules often.
const PIECES = [
  'OTP', '驗證碼', 'PIN', 'CVV', 'password is', '密碼係', 'card', 'account', 'HKID', 'is', ' ', '  ', '\n', '.', ',', '，', '(', ')', '-', ':', '$', 'HK$',
  '4111 1111 1111 1111', '5555-5555-5555-4444', '378282246310005', '5123 4567 9123 4565', 'A123456(3)', 'A1234563', 'AB987654(1)', '482913', '482 913', '1234', '123',
  '9123 4567', '+852 6123 4567', '012-345-67890-1', '2024-05-01', '12:30', '5000', '元', 'https://x.top/', 'a@b.com', '[HKID removed]', '[card number ending 1234 removed]', 'hunter2', '１２３４５６', 'Ａ',
];
const pieced = fc.array(fc.constantFrom(...PIECES), { maxLength: 24 }).map((parts) => parts.join(''));
const anyText = fc.oneof(pieced, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 200 }));
const PLACEHOLDER_RE = /\[(?:HKID|card number ending \d{4}|card security code|one-time code|PIN|password) removed\]/g;

/** Whether `part` can be read out of `whole` in order, skipping characters. */
function isSubsequence(part: string, whole: string): boolean {
  let at = 0;
  for (let i = 0; i < whole.length; i++) if (at < part.length && part[at] === whole[i]) at++;
  return at === part.length;
}

describe('screenNarrative properties', () => {
  it('never throws, and screening a screened text changes nothing', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const once = screenNarrative(text);
        const twice = screenNarrative(once.text);
        assert.equal(twice.text, once.text);
        assert.deepEqual(twice.masked, []);
      }),
      { numRuns: 2000 },
    );
  });

  it('adds nothing but placeholders, one per value masked', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { text: out, masked } = screenNarrative(text);
        const placeholders = [...out.matchAll(PLACEHOLDER_RE)].length - [...text.matchAll(PLACEHOLDER_RE)].length;
        assert.equal(placeholders, masked.reduce((n, m) => n + m.count, 0));
        assert.ok(isSubsequence(out.replace(PLACEHOLDER_RE, ''), text));
        if (masked.length === 0) assert.equal(out, text);
      }),
      { numRuns: 1000 },
    );
  });

  it('never changes a text without digits', () => {
    fc.assert(
      fc.property(anyText.map((t) => t.replace(/[0-9\uFF10-\uFF19]/g, '')), (text) => {
        assert.deepEqual(screenNarrative(text), { text, masked: [] });
      }),
    );
  });
});
