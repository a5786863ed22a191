/**
 * The secrets a narrative states in words: one-time codes, PINs, card security codes and passwords, each
 * found only right beside the word that names it. Used by narrative-screen.ts, which decides what is masked.
 */

export type CodeKind = 'one_time_code' | 'pin' | 'card_security_code';

interface CodeRule {
  kind: CodeKind;
  /** The words that name the code, English (whole words, any case) and Chinese. */
  words: RegExp;
  minDigits: number;
  maxDigits: number;
}

export const CODE_RULES: readonly CodeRule[] = [
  {
    kind: 'one_time_code',
    words:
      /\b(?:otps?|one[- ]?time[- ]?(?:pass(?:words?|codes?)|codes?|pins?)|(?:verification|verify|security|sms|text|authentication|authenticator|auth|2fa|two[- ]factor|login) codes?|pass ?codes?)\b|驗證碼|验证码|驗證號碼|一次性密碼|一次性密码|認證碼|认证码|短訊密碼|短信密码|短訊碼|动态密码|動態密碼|保安編碼|保安编码|校驗碼|校验码/gi,
    minDigits: 4,
    maxDigits: 8,
  },
  { kind: 'pin', words: /\bpin(?: code| number)?s?\b|私人密碼|私人密码|提款密碼|提款密码/gi, minDigits: 4, maxDigits: 6 },
  {
    kind: 'card_security_code',
    words: /\b(?:cvv2?|cvc2?|csc|card security code|security code)\b|安全碼|安全码|保安碼|保安码|背面三位數字?|背面3位數字?/gi,
    minDigits: 3,
    maxDigits: 4,
  },
];

// What may stand between the word and the code: "OTP 482913", "the OTP is: 482913", "驗證碼係 482913". Only
// these connectors, so a number further on in the sentence (an amount, a phone number, a date) is never taken.
const CONNECTORS =
  /^(?:\s|[:：=#(（「『"'“‘\-–—]|\b(?:is|was|were|are|of|no\.?|number|the|my|being|as|namely|sent|received|entered|given|provided|like)\b|係|是|為|为|嘅|的|個|个|號碼|号码|碼|码|即|就係|都係|叫|做|收到|咗|了)*$/i;
// A code ends where its number ends: not followed by a letter, another digit, or a separator and a digit
// (a phone number in groups, a date, an amount with decimals); "482 913" is one code, as apps show them.
const CODE_AFTER = /^(?:\d{3} \d{3}|\d{3,8})(?![\w]|[ .,:/-]?\d)/;
const CODE_BEFORE = /(?:\d{3} \d{3}|\d{3,8})(?=[^\d]{0,12}$)/;
// Amounts, durations and dates: a unit right after the number.
const UNIT_AFTER =
  /^\s*(?:元|蚊|圓|圆|块|塊|dollars?|bucks|hkd|usd|rmb|cny|港元|港幣|港币|人民幣|萬|万|千|百|%|年|月|日|號|号|點|点|時|时|分|秒|mins?\b|minutes?|hours?|hrs?\b|seconds?|secs?\b|days?|times?|次|個|个|張|张)/i;
const SENTENCE_END = /[\n.!?。！？;；]/;

export interface CodeSpan {
  kind: CodeKind;
  start: number;
  end: number;
}

const digitCount = (code: string): number => code.replace(/\D/g, '').length;

/** Whether text[start, end) stands alone: not inside a longer number, a word or an amount ("$4829"). */
function standsAlone(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 2), start);
  return !/[\w$¥£€]$|\d[ .,:/-]$/.test(before) && !/^(?:\w|[ .,:/-]?\d)/.test(text.slice(end, end + 2));
}

/**
 * The codes of `kinds` named in `text` (already folded to ASCII digits). A code comes right after its word
 * ("OTP 482913", 4 to 8 digits for one-time codes) or, with 6 digits or more, right before it ("482913 is the
 * OTP"): a 4-digit number before the word is as often a year ("In 2023 the OTP …"). Connectors only: see CONNECTORS.
 */
export function findCodes(text: string, kinds: ReadonlySet<string>): CodeSpan[] {
  const found: CodeSpan[] = [];
  for (const rule of CODE_RULES) {
    if (!kinds.has(rule.kind)) continue;
    rule.words.lastIndex = 0;
    for (let m = rule.words.exec(text); m !== null; m = rule.words.exec(text)) {
      const wordEnd = m.index + m[0].length;
      const ahead = text.slice(wordEnd, wordEnd + 40);
      const firstDigit = ahead.search(/\d/);
      if (firstDigit !== -1 && firstDigit <= 24) {
        const filler = ahead.slice(0, firstDigit);
        const code = CODE_AFTER.exec(ahead.slice(firstDigit))?.[0];
        const start = wordEnd + firstDigit;
        if (code !== undefined && !SENTENCE_END.test(filler) && CONNECTORS.test(filler) && inRange(code, rule) && standsAlone(text, start, start + code.length) && !UNIT_AFTER.test(text.slice(start + code.length, start + code.length + 12))) {
          found.push({ kind: rule.kind, start, end: start + code.length });
          continue;
        }
      }
      if (rule.maxDigits < 6) continue;
      const behind = text.slice(Math.max(0, m.index - 20), m.index);
      const before = CODE_BEFORE.exec(behind);
      if (before === null) continue;
      const filler = behind.slice(before.index + before[0].length);
      const start = m.index - behind.length + before.index;
      if (digitCount(before[0]) >= 6 && inRange(before[0], rule) && !SENTENCE_END.test(filler) && CONNECTORS.test(filler) && standsAlone(text, start, start + before[0].length)) {
        found.push({ kind: rule.kind, start, end: start + before[0].length });
      }
    }
  }
  return found;
}

function inRange(code: string, rule: CodeRule): boolean {
  const n = digitCount(code);
  return n >= rule.minDigits && n <= rule.maxDigits;
}

// "my password is hunter2", "password: 8fj3k2", "密碼係abc123". Not a one-time password or a PIN (their own rules).
const PASSWORD_RE =
  /(?<!one[- ]?time[- ]?|一次性|私人|提款|短訊|短信|動態|动态)(?:\b(?:password|passwd|pwd)\b|密碼|密码)\s*(?:is|was|[:=：]|係|是|為|为)\s*["'“‘「]?([^\s"'“”‘’「」<>，。、；;]{4,64})/dgi;

/**
 * Passwords stated outright. Conservative: the word, "is"/"was"/a colon, then one token that has a digit in
 * it ("my password is wrong" and "the password was changed" are not passwords; "hunter2" and "123456" are).
 */
export function findPasswords(text: string): { start: number; end: number }[] {
  const found: { start: number; end: number }[] = [];
  PASSWORD_RE.lastIndex = 0;
  for (let m = PASSWORD_RE.exec(text); m !== null; m = PASSWORD_RE.exec(text)) {
    const [start] = m.indices?.[1] ?? [0, 0];
    const token = (m[1] as string).replace(/[.,!?)\]}:]+$/, '');
    if (token.length < 4 || !/\d/.test(token) || token.includes('://')) continue;
    found.push({ start, end: start + token.length });
  }
  return found;
}
