import { extract, normalize } from '../indicators/index.js';
import { cardNetwork, isValidHkid } from './identity-checks.js';
import { findCodes, findPasswords } from './narrative-screen.codes.js';

/** What the screen masks: the reporter's own identifiers and secrets, never the scam's values. */
export const SCREEN_KINDS = ['hkid', 'card_number', 'card_security_code', 'one_time_code', 'pin', 'password'] as const;
export type ScreenKind = (typeof SCREEN_KINDS)[number];

/**
 * A forwarded message is the scam's own text: its passwords, PINs and security codes are the scam's bait
 * (a fake "temporary password"), evidence to keep. What a forwarder may have typed into it of their own is
 * an HKID, a card number, or the bank's one-time code the scam asked them to send back.
 */
export const MESSAGE_SCREEN_KINDS: readonly ScreenKind[] = ['hkid', 'card_number', 'one_time_code'];

export interface ScreenOptions {
  /** The kinds to mask; all of SCREEN_KINDS by default. */
  kinds?: readonly ScreenKind[];
  /** The region phone numbers are read in (to leave them alone), as for extract. */
  region?: string;
}

export interface ScreenedText {
  text: string;
  /** How many of each kind were masked, kinds in SCREEN_KINDS order; empty when nothing was. */
  masked: { kind: ScreenKind; count: number }[];
}

/** One value to mask: text[start, end) and what stands in its place. */
export interface SensitiveSpan {
  kind: ScreenKind;
  start: number;
  end: number;
  replacement: string;
}

const PLACEHOLDER: Record<Exclude<ScreenKind, 'card_number'>, string> = {
  hkid: '[HKID removed]',
  card_security_code: '[card security code removed]',
  one_time_code: '[one-time code removed]',
  pin: '[PIN removed]',
  password: '[password removed]',
};
/**
 * A card keeps its last 4 digits, as banks' statements, apps and letters show it: they are what an officer
 * matches with the bank's record of the fraudulent payment, and PCI DSS allows showing them, since 4 of 15 to 19
 * digits (the rest unknown, Luhn fixing at most one) cannot be used to pay.
 */
const cardPlaceholder = (digits: string): string => `[card number ending ${digits.slice(-4)} removed]`;
// Earlier screening's placeholders: never read again (a card's last 4 digits beside "OTP" are not a code).
const PLACEHOLDER_RE = /\[(?:HKID|card number ending \d{4}|card security code|one-time code|PIN|password) removed\]/g;

// An HKID as people write it: 1 or 2 letters, 6 digits, the check character, in brackets or not.
const HKID_RE = /(?<![A-Za-z0-9])([A-Za-z]{1,2})(\d{6})(?: ?\(([0-9Aa])\)|([0-9Aa]))(?![A-Za-z0-9])/g;
// Letter-and-digit reference numbers (orders, parcels, cases) are evidence: an unbracketed one that happens to
// have a valid check character (1 in 11) stays when it is named as a reference.
const REFERENCE_BEFORE = /(?:\bref(?:erence)?|\border|\btracking|\binvoice|\bbooking|\bcase|\bparcel|\bwaybill|\bpolicy|編號|编号|參考|参考|訂單|订单|單號|单号|追蹤|追踪)(?:[\s\w]{0,12}?(?:no\.|number|#))?[\s:：#]*$/i;
// 15 to 19 digits in one run or in groups of the same separator; the groups are checked in code.
const CARD_RE = /(?<![\w+]|\d[ .,/:-])\d(?:[ -]?\d){14,18}(?!\w|[ .,/:-]\d)/g;
const CARD_GROUPS = new Set(['15', '16', '19', '4-4-4-4', '4-4-4-4-3', '4-6-5']);
const CARD_WORD = /card|visa|master|amex|american express|unionpay|union pay|jcb|discover|卡|銀聯|银联/i;
const ACCOUNT_WORD = /account|a\/c|acct|戶口|户口|帳戶|账户|賬戶|帳號|账号|賬號|入數|轉帳|轉賬|转账|fps|轉數快|转数快/i;

/** Full-width digits, letters and brackets as ASCII, one character for one, so positions stay the same. */
const foldWidth = (text: string): string =>
  text.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');

const isPhone = (digits: string, region: string | undefined): boolean => {
  try {
    return normalize('phone', digits, { region }).kind === 'phone';
  } catch {
    return false;
  }
};

/**
 * Whether a Luhn-valid number with a card prefix is a card. Not when an account is named before it and no
 * card is (a payee's account is the scam's evidence), nor when it is two phone numbers side by side.
 */
function readsAsCard(text: string, start: number, end: number, digits: string, region: string | undefined): boolean {
  const before = text.slice(Math.max(0, start - 40), start);
  const near = before + text.slice(end, end + 20);
  if (CARD_WORD.test(near)) return true;
  if (ACCOUNT_WORD.test(before)) return false;
  return !(digits.length === 16 && isPhone(digits.slice(0, 8), region) && isPhone(digits.slice(8), region));
}

/**
 * The reporter's identifiers and secrets in a text, in one reading (screenNarrative reads again until nothing
 * is left). A value inside one that the indicator extractor finds (a link, an e-mail, a bank account, a phone
 * number, a wallet) is the scam's and stays; a card number wins over the phone numbers read inside its groups.
 */
export function findSensitive(input: string, options: ScreenOptions = {}): SensitiveSpan[] {
  if (typeof input !== 'string' || !/[\d\uFF10-\uFF19]/.test(input)) return [];
  const text = foldWidth(input);
  const kinds = new Set<string>(options.kinds ?? SCREEN_KINDS);
  const taken: { start: number; end: number }[] = [...text.matchAll(PLACEHOLDER_RE)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const overlaps = (list: readonly { start: number; end: number }[], start: number, end: number): boolean => list.some((s) => s.start < end && start < s.end);
  let evidence: { all: ReturnType<typeof extract>; notPhones: ReturnType<typeof extract> } | null = null; // read only for a candidate
  const isEvidence = (start: number, end: number, phonesToo: boolean): boolean => {
    if (evidence === null) {
      const all = extract(input, { region: options.region });
      evidence = { all, notPhones: all.filter((e) => e.kind !== 'phone') };
    }
    return overlaps(phonesToo ? evidence.all : evidence.notPhones, start, end);
  };
  const found: SensitiveSpan[] = [];
  const add = (kind: ScreenKind, start: number, end: number, replacement: string, phonesToo = true): void => {
    if (overlaps(taken, start, end) || isEvidence(start, end, phonesToo)) return;
    taken.push({ start, end });
    found.push({ kind, start, end, replacement });
  };

  if (kinds.has('hkid')) {
    for (const m of text.matchAll(HKID_RE)) {
      const [all, prefix = '', digits = '', bracketed, bare] = m;
      // Written with its check character in brackets it is an HKID, even mistyped (7 of 8 characters still
      // identify the person); without brackets a letter and 7 digits is too common, so the check must pass.
      const isHkid = bracketed !== undefined || (isValidHkid(prefix, digits, bare ?? '') && !REFERENCE_BEFORE.test(text.slice(Math.max(0, m.index - 30), m.index)));
      if (isHkid) add('hkid', m.index, m.index + all.length, PLACEHOLDER.hkid);
    }
  }
  if (kinds.has('card_number')) {
    for (const m of text.matchAll(CARD_RE)) {
      const separators = new Set(m[0].match(/[ -]/g) ?? []);
      if (separators.size > 1) continue;
      const groups = m[0].split(/[ -]/).map((g) => g.length).join('-');
      const digits = m[0].replace(/\D/g, '');
      const end = m.index + m[0].length;
      if (CARD_GROUPS.has(groups) && cardNetwork(digits) !== null && readsAsCard(text, m.index, end, digits, options.region)) {
        add('card_number', m.index, end, cardPlaceholder(digits), false);
      }
    }
  }
  for (const code of findCodes(text, kinds)) add(code.kind, code.start, code.end, PLACEHOLDER[code.kind]);
  if (kinds.has('password')) for (const p of findPasswords(text)) add('password', p.start, p.end, PLACEHOLDER.password);
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Masks the reporter's own HKID numbers, card numbers, card security codes, one-time codes, PINs and stated
 * passwords in a narrative, before it is stored; everything else (the scam's numbers, accounts, links,
 * amounts and dates) is left as written. Never throws; screening a screened text changes nothing.
 */
export function screenNarrative(text: string, options: ScreenOptions = {}): ScreenedText {
  const counts = new Map<ScreenKind, number>();
  let current = text;
  // Each reading removes digits, so this ends; another reading is needed only when a masked value changed the
  // context of one beside it (a longer placeholder moved an account word out of reach), and then it makes
  // the result a fixed point: screening it again finds nothing.
  for (let spans = findSensitive(current, options); spans.length > 0; spans = findSensitive(current, options)) {
    let out = '';
    let at = 0;
    for (const span of spans) {
      out += current.slice(at, span.start) + span.replacement;
      at = span.end;
      counts.set(span.kind, (counts.get(span.kind) ?? 0) + 1);
    }
    current = out + current.slice(at);
  }
  return { text: current, masked: SCREEN_KINDS.filter((k) => counts.has(k)).map((kind) => ({ kind, count: counts.get(kind) as number })) };
}
