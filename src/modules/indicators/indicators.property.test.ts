import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32, bech32m, createBase58check } from '@scure/base';
import fc from 'fast-check';
import {
  INDICATOR_KINDS,
  IndicatorError,
  detect,
  extract,
  normalize,
  type Indicator,
  type IndicatorKind,
} from './index.js';

// Property tests of the indicator engine's contracts: normalize throws IndicatorError and nothing else (and never
// the UNPARSEABLE fallback, which means a library crashed), canonical forms are fixed points, extract's spans
// index the original text, and detect's `valid` agrees with normalize.

const ERROR_CODE: Record<IndicatorKind, string> = {
  phone: 'INVALID_PHONE',
  url: 'INVALID_URL',
  domain: 'INVALID_DOMAIN',
  email: 'INVALID_EMAIL',
  bank_account: 'INVALID_BANK_ACCOUNT',
  payment_proxy: 'INVALID_PAYMENT_PROXY',
  crypto_wallet: 'INVALID_CRYPTO_WALLET',
  social_account: 'INVALID_SOCIAL_ACCOUNT',
  ip: 'INVALID_IP',
  sms_sender: 'INVALID_SMS_SENDER',
};

// ---------------------------------------------------------------------------------------------------------------
// Arbitrary text

const FULL_WIDTH_DIGITS = [...'０１２３４５６７８９'];
/** Pieces that mean something to one parser or another: separators, defanging, prefixes, scripts. */
const PIECES = [
  ...'0123456789',
  ...FULL_WIDTH_DIGITS,
  '+', '%', '.', '@', ':', '/', '#', '?', '&', '=', '-', '_', '(', ')', '[', ']', ' ', '\t', '\n', '\\', '~', '!',
  '[.]', '(.)', '{.}', '[dot]', '(dot)', '[at]', '(at)', '[@]', '[:]', '[://]', 'hxxp', 'hxxps://', 'h**p', 'HXXP',
  'http://', 'https://', 'ftp://', 'ws://', 'www.', '.com', '.hk', '.com.hk', '.top', '.xn--p1ai', 'xn--', 'xn--80ak6aa92e',
  '..', '%2e', '%2E', '%25', '%40', '%2f', '%00', '%zz', '%%', '0x', '0X', '00', '+852', '+1', '+44', '00852',
  'tel:', 'mailto:', 'fps:', 'upi:', 'paynow:', 'telegram:', 'instagram:', 'whatsapp:', 'wechat:', 'tg:', 'x:', 'line:',
  '微信:', '電報：', 't.me/', 'wa.me/', 'instagram.com/', 'profile.php?id=', 'phone=',
  '。', '．', '｡', '：', '＠', 'ｅ', 'Ｈ', '\u3000', '\u200b', '\u00ad', '\ufeff', '\u0000', '\u007f',
  'ß', 'ς', 'İ', 'ı', 'ﬀ', 'с', 'а', 'о', 'ℌ', '①', '٣', '\u200d', '\u202e', '\u0301', '😀', '\ud800', '\udc00',
  '中', '文', '你好', '香港', '轉數快', 'FPS ID: ', '帳號', '號碼', '，', '。', '！', '（', '）', '「', '」',
  'a', 'b', 'z', 'A', 'Z', 'T', 'bc1', 'GB82', 'WEST', 'HSBC', '#HSBC', 'evil', 'hsbc', 'com', 'K', 'S', 'R',
  // Names that every plain object has: lookup tables keyed by user input must not find them.
  '__proto__', 'constructor', 'toString', '__proto__:', 'constructor:',
];
const piece = fc.constantFrom(...PIECES);

/** Strings built from the pieces above, with short random runs in between. */
const mixed = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: piece },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 2 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 2 }) },
  ),
  maxLength: 20,
});

const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary-ascii' }),
  mixed,
);

// ---------------------------------------------------------------------------------------------------------------
// Valid-looking values, per kind

const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^\\d{${min},${max}}$`));
const separator = fc.constantFrom('', ' ', '-', '.', '  ');

/** Digits split into groups by random separators (`9123 4567`, `9-1234-567`). */
function grouped(body: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(body, fc.array(fc.tuple(fc.nat(), separator), { maxLength: 3 })).map(([d, cuts]) => {
    const at = new Map(cuts.map(([n, s]) => [n % Math.max(d.length, 1), s] as const));
    return [...d].map((c, i) => (i > 0 && at.has(i) ? at.get(i) + c : c)).join('');
  });
}

const hkNational = fc.tuple(fc.constantFrom('2', '3', '5', '6', '7', '8', '9'), digits(7, 7)).map(([a, b]) => a + b);
const usNational = fc
  .tuple(fc.integer({ min: 2, max: 9 }), digits(2, 2), fc.integer({ min: 2, max: 9 }), digits(6, 6))
  .map(([a, b, c, d]) => `${a}${b}${c}${d}`);
const phoneLike = fc.oneof(
  grouped(hkNational),
  fc.tuple(fc.constantFrom('+852', '+852 ', '00852', '00852 ', '(+852) ', 'tel:+852', '+８５２'), grouped(hkNational)).map(([p, n]) => p + n),
  fc.tuple(fc.constantFrom('+1', '+1 ', '001', 'tel:+1-'), grouped(usNational)).map(([p, n]) => p + n),
  fc.tuple(fc.constantFrom('+', '00', '+44 ', '+86 ', '+65 '), grouped(digits(6, 13))).map(([p, n]) => p + n),
  hkNational.map((n) => [...n].map((c) => FULL_WIDTH_DIGITS[Number(c)]).join('')),
);

const webUrl = fc.webUrl({ withFragments: true, withQueryParameters: true, validSchemes: ['http', 'https', 'ftp', 'ws', 'wss'] });
const urlLike = fc.oneof(
  webUrl,
  webUrl.map((u) => u.replace(/^http/, 'hxxp').replace(/^([a-z]+:\/\/[^/]*?)\.([^./]*)(?=[/?#]|$)/, '$1[.]$2')),
  webUrl.map((u) => u.replace(/^[a-z]+:\/\//, '')),
  fc.tuple(fc.domain(), fc.string({ unit: fc.constantFrom('/', '.', '..', '%2e', 'a', '%41', '?', '#', '=', '&', '\\'), maxLength: 12 })).map(
    ([d, p]) => `https://${d}/${p}`,
  ),
  fc.tuple(fc.constantFrom('http://', 'https://', ''), fc.ipV4Extended()).map(([s, ip]) => `${s}${ip}/x`),
  fc.tuple(fc.constantFrom('http://', ''), fc.ipV6()).map(([s, ip]) => `${s}[${ip}]/`),
);

const domainLike = fc.oneof(
  fc.domain(),
  fc.domain().map((d) => d.toUpperCase()),
  fc.domain().map((d) => d + '.'),
  fc.domain().map((d) => d.replace(/\.(?=[^.]*$)/, '[.]')),
  fc.domain().map((d) => d.replace(/\./g, '。')),
);

const emailLike = fc.oneof(
  fc.emailAddress(),
  fc.emailAddress().map((e) => 'mailto:' + e),
  fc.emailAddress().map((e) => e.replace('@', '[at]')),
  fc.tuple(fc.stringMatching(/^[a-z][a-z0-9.+]{0,10}[a-z0-9]$/), fc.constantFrom('gmail.com', 'GMail.com', 'googlemail.com')).map(
    ([l, d]) => `${l}@${d}`,
  ),
);

/** A German IBAN (18-digit BBAN) with correct mod-97 check digits, optionally grouped in fours. */
const iban = fc.tuple(digits(18, 18), fc.boolean()).map(([bban, spaced]) => {
  const numeric = `${bban}131400`; // D=13, E=14, check digits 00
  let rest = 0;
  for (const c of numeric) rest = (rest * 10 + Number(c)) % 97;
  const value = `DE${String(98 - rest).padStart(2, '0')}${bban}`;
  return spaced ? value.replace(/(.{4})(?=.)/g, '$1 ') : value;
});
const bankAccountLike = fc.oneof(
  fc.tuple(digits(3, 3), separator, digits(3, 3), separator, digits(6, 12)).map((parts) => parts.join('')),
  iban,
);

const upiName = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{1,12}$/);
const paymentProxyLike = fc.oneof(
  fc.tuple(fc.constantFrom('fps:', 'FPS:', 'fps: ', ''), grouped(digits(7, 9))).map(([p, d]) => p + d),
  fc.tuple(fc.constantFrom('fps:+852', 'fps:00852', '+852 ', 'fps:'), grouped(hkNational)).map(([p, d]) => p + d),
  fc.emailAddress().map((e) => 'fps:' + e),
  fc.tuple(fc.constantFrom('upi:', 'UPI:', ''), upiName, fc.constantFrom('okaxis', 'ybl', 'paytm', 'SBI', 'okhdfcbank')).map(([p, n, h]) => `${p}${n}@${h}`),
  fc.tuple(fc.constantFrom('paynow:', 'PayNow:', ''), fc.oneof(fc.stringMatching(/^\d{8}[A-Za-z]$/), fc.stringMatching(/^(?:19|20)\d{7}[A-Z]$/), fc.stringMatching(/^[TSR]\d{2}[A-Z]{2}\d{4}[A-Z]$/))).map(
    ([p, u]) => p + u,
  ),
  fc.tuple(fc.constantFrom('paynow:+65', 'paynow:+65 '), fc.constantFrom('8', '9'), digits(7, 7)).map(([p, a, b]) => p + a + b),
);

const base58check = createBase58check(sha256);
const bytes20 = fc.uint8Array({ minLength: 20, maxLength: 20 });
const hex40 = fc.stringMatching(/^[0-9a-f]{40}$/);
const cryptoWalletLike = fc.oneof(
  hex40.map((h) => '0x' + h),
  hex40.map((h) => '0x' + h.toUpperCase()),
  fc.tuple(fc.constantFrom(0x00, 0x05), bytes20).map(([v, b]) => base58check.encode(Uint8Array.of(v, ...b))),
  bytes20.map((b) => base58check.encode(Uint8Array.of(0x41, ...b))),
  bytes20.map((b) => bech32.encode('bc', [0, ...bech32.toWords(b)])),
  fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => bech32m.encode('bc', [1, ...bech32m.toWords(b)])),
  bytes20.map((b) => bech32.encode('bc', [0, ...bech32.toWords(b)]).toUpperCase()),
);

const handle = fc.stringMatching(/^[A-Za-z][A-Za-z0-9_]{4,20}$/);
const socialAccountLike = fc.oneof(
  fc.tuple(fc.constantFrom('telegram:', 'Telegram: @', 'tg:@', '電報：', 'instagram:', 'instagram:@', 'x:@', 'twitter:', 'tiktok:', 'facebook:', 'line:', 'wechat:', '微信:'), handle).map(
    ([p, h]) => p + h,
  ),
  fc.tuple(fc.constantFrom('whatsapp:+852', 'wa:+852 ', 'WhatsApp: '), grouped(hkNational)).map(([p, n]) => p + n),
  fc.tuple(fc.constantFrom('https://t.me/', 't.me/', 'https://www.instagram.com/', 'https://x.com/', 'https://twitter.com/', 'https://www.tiktok.com/@', 'hxxps://t[.]me/'), handle).map(
    ([p, h]) => p + h,
  ),
  fc.tuple(fc.constantFrom('https://wa.me/852', 'https://api.whatsapp.com/send?phone=852'), hkNational).map(([p, n]) => p + n),
  digits(5, 15).map((id) => `https://www.facebook.com/profile.php?id=${id}`),
);

const ipLike = fc.oneof(
  fc.ipV4(),
  fc.ipV4Extended(),
  fc.ipV6(),
  fc.ipV6().map((ip) => `[${ip}]`),
  fc.ipV6().map((ip) => ip.toUpperCase()),
  fc.ipV4().map((ip) => ip.replace(/\./g, '[.]')),
);

const smsSenderLike = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9]{2,10}$/).map((s) => '#' + s),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9 &._'-]{0,10}$/),
  digits(3, 15),
);

const VALID_LOOKING: Record<IndicatorKind, fc.Arbitrary<string>> = {
  phone: phoneLike,
  url: urlLike,
  domain: domainLike,
  email: emailLike,
  bank_account: bankAccountLike,
  payment_proxy: paymentProxyLike,
  crypto_wallet: cryptoWalletLike,
  social_account: socialAccountLike,
  ip: ipLike,
  sms_sender: smsSenderLike,
};

/** Inputs of any shape: valid-looking values of every kind, decorated with pieces, and arbitrary text. */
const anyValue = fc.oneof(
  anyText,
  fc.constantFrom(...INDICATOR_KINDS).chain((k) => VALID_LOOKING[k]),
  fc.tuple(mixed, fc.constantFrom(...INDICATOR_KINDS).chain((k) => VALID_LOOKING[k]), mixed).map(([a, v, b]) => a + v + b),
);

/**
 * Minimal counterexamples these properties have found, run first in every property over single values, so
 * that each is checked on every run and not only when a random seed happens to reach it again.
 */
const FOUND_EXAMPLES = [
  '.[', // url: canonical http://[/ no longer parses
  'http://%é20.com/', // url: IDNA host with % → xn--%2520-bma.com → xn--%20-bma.com
  '%ﬀ', // url: ﬀ maps to ff after unescaping → %25ff → %FF
  '⁇', // url: ⁇ maps to ?? in the host → http://??/ has no host
  'http://a﹫b.com/', // url: ﹫ maps to @ → http://a@b.com/ → http://b.com/
  'x((.))', // url: defang folding is not idempotent → http://x(.)/ → http://x/
  'https://a.com/?q=[[.]]', // url: same, in the query
  '"a[[.]]b"@c.com', // email: same, in a quoted local part
  'http://a:b:1/', // url: host with a colon (fixed while these tests were written)
  '::1', // url: same
  'constructor:abcdef', // social_account: Object.prototype member taken as a platform → UNPARSEABLE
  '__proto__:x', // social_account: same
];

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/**
 * fc.assert, but the failure message carries the property's own assertion message next to the shrunk
 * counterexample and the seed (the TAP output otherwise shows only the latter).
 */
function check<T>(property: fc.IPropertyWithHooks<T> | fc.IProperty<T>, numRuns: number, examples: T[] = []): void {
  const details = fc.check(property, { numRuns, examples });
  if (details.failed) {
    const cause = details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance);
    assert.fail(`${fc.defaultReportMessage(details) ?? 'property failed'}\nCause: ${cause}`);
  }
}

/** normalize, with the contract checked: an Indicator of the kind asked for, or an IndicatorError that is not UNPARSEABLE. */
function tryNormalize(kind: IndicatorKind, input: string): Indicator | null {
  let result: Indicator;
  try {
    result = normalize(kind, input);
  } catch (error) {
    if (!(error instanceof IndicatorError)) {
      assert.fail(`normalize(${kind}, ${JSON.stringify(input)}) threw a non-IndicatorError: ${(error as Error)?.stack ?? String(error)}`);
    }
    assert.notEqual(error.reason, 'UNPARSEABLE', `normalize(${kind}, ${JSON.stringify(input)}) fell back to UNPARSEABLE: ${error.message}`);
    assert.ok(
      [ERROR_CODE[kind], 'EMPTY_INPUT', 'INPUT_TOO_LONG'].includes(error.code),
      `normalize(${kind}, ${JSON.stringify(input)}) threw code ${error.code}`,
    );
    return null;
  }
  assert.equal(result.kind, kind);
  assert.ok(result.key.startsWith(`${kind}:`), `key ${result.key} of ${JSON.stringify(input)} does not start with ${kind}:`);
  assert.equal(typeof result.canonical, 'string');
  return result;
}

/** Whenever input normalizes, its canonical form normalizes to itself with the same key. Returns whether it normalized. */
function checkIdempotent(kind: IndicatorKind, input: string): boolean {
  const first = tryNormalize(kind, input);
  if (first === null) return false;
  let second: Indicator;
  try {
    second = normalize(kind, first.canonical);
  } catch (error) {
    assert.fail(`normalize(${kind}, ${JSON.stringify(input)}) gave canonical ${JSON.stringify(first.canonical)}, which does not normalize: ${(error as Error).message}`);
  }
  const trail = `${JSON.stringify(input)} -> ${JSON.stringify(first.canonical)} -> ${JSON.stringify(second.canonical)}`;
  assert.equal(second.canonical, first.canonical, `${kind} canonical form is not stable: ${trail}`);
  assert.equal(second.key, first.key, `${kind} key changes when the canonical form is normalized (${first.key} -> ${second.key}): ${trail}`);
  return true;
}

// ---------------------------------------------------------------------------------------------------------------

describe('normalize (properties)', () => {
  for (const kind of INDICATOR_KINDS) {
    describe(kind, () => {
      it('returns an Indicator or throws an IndicatorError (never UNPARSEABLE) for arbitrary Unicode text', () => {
        check(
          fc.property(anyText, (s) => {
            tryNormalize(kind, s);
          }),
          3000,
          FOUND_EXAMPLES.map((e) => [e]),
        );
      });

      it('returns an Indicator or throws an IndicatorError (never UNPARSEABLE) for decorated values of every kind', () => {
        check(
          fc.property(anyValue, (s) => {
            tryNormalize(kind, s);
          }),
          3000,
          FOUND_EXAMPLES.map((e) => [e]),
        );
      });

      it('is idempotent on arbitrary text: the canonical form normalizes to itself, with the same key', () => {
        check(
          fc.property(anyValue, (s) => {
            checkIdempotent(kind, s);
          }),
          3000,
          FOUND_EXAMPLES.map((e) => [e]),
        );
      });

      it('is idempotent on valid-looking values, most of which normalize', () => {
        let runs = 0;
        let valid = 0;
        check(
          fc.property(VALID_LOOKING[kind], (s) => {
            runs++;
            if (checkIdempotent(kind, s)) valid++;
          }),
          3000,
        );
        assert.ok(valid >= runs * 0.3, `only ${valid} of ${runs} valid-looking ${kind} values normalized; the idempotence check is too weak`);
      });
    });
  }
});

describe('extract (properties)', () => {
  /** Free text: pieces of Chinese and English prose around valid-looking values of every kind. */
  const prose = fc.constantFrom(' ', '，', '。', '：', '\n', ' 請致電 ', ' or call ', ' 轉賬至 ', ' pay at ', '（', '）', '(', ')', '"', '「', '」', ' FPS ID: ', ' Telegram: @', '微信：', ' 【滙豐】 ');
  const freeText = fc.oneof(
    anyText,
    fc.array(fc.oneof(prose, piece, fc.constantFrom(...INDICATOR_KINDS).chain((k) => VALID_LOOKING[k])), { maxLength: 12 }).map((parts) => parts.join('')),
  );

  it('never throws, and every span lies inside the text with text.slice(start, end) === raw', () => {
    check(
      fc.property(freeText, (text) => {
        const found = extract(text);
        for (const f of found) {
          assert.ok(Number.isInteger(f.start) && Number.isInteger(f.end), `non-integer span ${f.start}..${f.end}`);
          assert.ok(0 <= f.start && f.start < f.end && f.end <= text.length, `span ${f.start}..${f.end} outside ${JSON.stringify(text)} (${text.length})`);
          assert.equal(text.slice(f.start, f.end), f.raw, `raw of ${f.kind} ${JSON.stringify(f.raw)} is not the text at ${f.start}..${f.end} of ${JSON.stringify(text)}`);
          assert.ok(f.key.startsWith(`${f.kind}:`), `key ${f.key} of kind ${f.kind}`);
        }
      }),
      4000,
      FOUND_EXAMPLES.map((e) => [`請瀏覽 ${e} 或致電 9123 4567`]),
    );
  });

  it('returns indicators sorted by start, with no two spans overlapping (each span is claimed once)', () => {
    check(
      fc.property(freeText, (text) => {
        const found = extract(text);
        for (let i = 1; i < found.length; i++) {
          const a = found[i - 1] as (typeof found)[number];
          const b = found[i] as (typeof found)[number];
          assert.ok(a.end <= b.start, `spans overlap in ${JSON.stringify(text)}: ${a.kind} ${a.start}..${a.end} and ${b.kind} ${b.start}..${b.end}`);
        }
      }),
      2000,
    );
  });

  it('gives canonical forms that normalize to themselves with the same key', () => {
    let extracted = 0;
    check(
      fc.property(freeText, (text) => {
        for (const f of extract(text)) {
          extracted++;
          let again: Indicator;
          try {
            again = normalize(f.kind, f.canonical);
          } catch (error) {
            assert.fail(`extracted ${f.kind} ${JSON.stringify(f.raw)} from ${JSON.stringify(text)} has canonical ${JSON.stringify(f.canonical)}, which does not normalize: ${(error as Error).message}`);
          }
          const trail = `extracted ${f.kind} ${JSON.stringify(f.raw)} from ${JSON.stringify(text)}: ${JSON.stringify(f.canonical)} -> ${JSON.stringify(again.canonical)}`;
          assert.equal(again.canonical, f.canonical, trail);
          assert.equal(again.key, f.key, trail);
        }
      }),
      3000,
      FOUND_EXAMPLES.map((e) => [`請瀏覽 ${e} 或致電 9123 4567`]),
    );
    assert.ok(extracted > 500, `only ${extracted} indicators extracted; the check is too weak`);
  });
});

describe('detect (properties)', () => {
  it('never throws; when valid, the value normalizes as the detected kind and as every alternative', () => {
    let validCount = 0;
    check(
      fc.property(anyValue, (input) => {
        const d = detect(input);
        if (d.kind === null) {
          assert.equal(d.valid, false);
          assert.deepEqual(d.alternatives, []);
          return;
        }
        assert.ok(INDICATOR_KINDS.includes(d.kind));
        if (!d.valid) {
          assert.deepEqual(d.alternatives, []);
          assert.throws(() => normalize(d.kind as IndicatorKind, input), IndicatorError, `detect says ${JSON.stringify(input)} is an invalid ${d.kind}`);
          return;
        }
        validCount++;
        const found = tryNormalize(d.kind, input);
        assert.ok(found !== null, `detect says ${JSON.stringify(input)} is a valid ${d.kind}, but normalize refuses it`);
        assert.ok(!d.alternatives.includes(d.kind), `${d.kind} is its own alternative for ${JSON.stringify(input)}`);
        for (const alternative of d.alternatives) {
          assert.ok(tryNormalize(alternative, input) !== null, `alternative ${alternative} of ${JSON.stringify(input)} does not normalize`);
        }
      }),
      4000,
      FOUND_EXAMPLES.map((e) => [e]),
    );
    assert.ok(validCount > 300, `only ${validCount} values detected as valid; the check is too weak`);
  });
});

describe('detect (words)', () => {
  const lower = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz'), minLength: 1, maxLength: 20 });
  /** A word as people write words: lower case, perhaps an initial capital, perhaps two joined by a hyphen. */
  const word = fc
    .tuple(lower, fc.option(lower, { nil: undefined }), fc.boolean())
    .map(([a, b, capital]) => {
      const w = b === undefined ? a : `${a}-${b}`;
      return capital ? w.charAt(0).toUpperCase() + w.slice(1) : w;
    });

  it('detects no word as anything (a word is an indicator only when its kind is stated)', () => {
    check(
      fc.property(word, (input) => {
        assert.deepEqual(detect(input), { kind: null, alternatives: [], valid: false }, input);
      }),
      3000,
      [['hello'], ['bank'], ['Bank'], ['scam-alert']],
    );
  });

  it('detects a name in capitals, or letters mixed with digits, of up to 11 characters as a valid SMS sender', () => {
    const capitals = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 2, maxLength: 11 });
    const code = fc.tuple(lower.filter((w) => w.length >= 3), fc.integer({ min: 0, max: 999 })).map(([w, n]) => `${w}${n}`.slice(0, 11)).filter((c) => /[a-z]/.test(c) && /\d/.test(c));
    check(
      fc.property(fc.oneof(capitals, code), (input) => {
        assert.deepEqual(detect(input), { kind: 'sms_sender', alternatives: [], valid: true }, input);
      }),
      2000,
      [['HSBC'], ['info123']],
    );
  });
});
