import { parse as parseDomain } from 'tldts';
import { normalizeBankAccount } from './bank-account.js';
import { normalizeCryptoWallet } from './crypto-wallet.js';
import { normalizeEmail } from './email.js';
import { IndicatorError, type Indicator, type NormalizeOptions } from './indicator.types.js';
import { normalizeIp } from './ip.js';
import { resolveRegion } from './normalize.js';
import { normalizePaymentProxy } from './payment-proxy.js';
import { readPhone } from './phone.js';
import { normalizeSmsSender } from './sms-sender.js';
import { PLATFORM_ALIASES, platformNamed, socialAccount, socialAccountFromUrl } from './social-account.js';
import { foldText } from './text.js';
import { PSL_WITH_PRIVATE, normalizeUrl } from './url.js';
import type { CountryCode } from 'libphonenumber-js/max';

/** One indicator found in free text; `start`/`end` index the original text (UTF-16 units, end exclusive). */
export interface ExtractedIndicator {
  kind: Indicator['kind'];
  raw: string;
  start: number;
  end: number;
  canonical: string;
  key: string;
  /** The full normal form (display, details). */
  indicator: Indicator;
}

type Reader = (match: string, region: CountryCode) => Indicator | null;

interface Pattern {
  re: RegExp;
  /** What the text must contain for the pattern to be worth running (most texts have no `@` or `://`). */
  needs?: string | RegExp;
  /** Capture group holding the value (the rest of the match is context such as "FPS:"). */
  group?: number;
  /**
   * Numbers written in groups: when the whole run is not valid, its leading groups may be (`9123 4567 2021`),
   * and the scan resumes at the next group (`2021-07-06 9123 4567`), rather than losing the number.
   */
  retryGroups?: boolean;
  /**
   * A start that rules the value out (a date, an amount): the scan resumes after it without reading the
   * value or retrying its groups, so `2026-07-04 08:08` and `HK$12887.25` cost no phone parse.
   */
  skip?: RegExp;
  read: Reader;
}

// Characters that end a link in running text: whitespace, quotes, angle brackets, CJK text and punctuation.
const LINK_STOP = `\\s<>"'\`\\u3000-\\u303f\\u3400-\\u4dbf\\u4e00-\\u9fff\\uff00-\\uffef`;
const TRAILING_PUNCTUATION = `.,;:!?'"]}>*`;
const DATE_RE = /^\d{4}[-./ ]\d{1,2}[-./ ]\d{1,2}$|^\d{1,2}[-./ ]\d{1,2}[-./ ]\d{4}$/;
/** Two digits in a row: every pattern made of numbers needs them, and most chat text has none. */
const DIGITS = /\d\d/;
const UPI_HANDLES = 'ybl|ibl|axl|okaxis|okhdfcbank|okicici|oksbi|paytm|upi|apl|yapl|icici|sbi|hdfcbank|axisbank|kotak';
const PLATFORM_WORDS = Object.keys(PLATFORM_ALIASES).filter((a) => a !== 'x' && a !== 'wa' && a !== 'whatsapp');

/** Drops trailing punctuation from a link, and closing brackets that the link did not open (one pass from the end). */
function trimLink(link: string): string {
  const opened = link.split('(').length;
  let closed = link.split(')').length;
  let end = link.length;
  while (end > 0) {
    const char = link[end - 1] as string;
    if (TRAILING_PUNCTUATION.includes(char)) end--;
    else if (char === ')' && closed > opened) {
      end--;
      closed--;
    } else break;
  }
  return link.slice(0, end);
}

function readLink(match: string, region: CountryCode): Indicator | null {
  const url = normalizeUrl(match);
  const d = url.details as { host: string; path: string; query: string | null };
  return socialAccountFromUrl(d.host, d.path, d.query, region) ?? url;
}

const PSL_ICANN_ONLY = { ...PSL_WITH_PRIVATE, allowPrivateDomains: false } as const;

/** Links without a scheme count only on a real public suffix (`evil.com`, not `file.txt` or `e.g`). */
function readBareLink(match: string, region: CountryCode): Indicator | null {
  const host = (/^[^/?:]+/.exec(match)?.[0] ?? '').toLowerCase();
  const info = parseDomain(host, PSL_ICANN_ONLY);
  return info.isIcann && info.domain !== null ? readLink(match, region) : null;
}

const PATTERNS: Pattern[] = [
  { re: new RegExp(`\\b(?:https?|ftp|wss?)://[^${LINK_STOP}]+`, 'gi'), needs: '://', read: readLink },
  {
    re: /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
    needs: '@',
    read: (m) => normalizeEmail(m),
  },
  {
    re: new RegExp(`(?<![a-z0-9._-])[a-z0-9._-]{2,}@(?:${UPI_HANDLES})\\b`, 'gi'),
    needs: '@',
    read: (m) => normalizePaymentProxy(`upi:${m}`),
  },
  {
    re: /\b(?:0x[0-9a-fA-F]{40}|bc1[02-9ac-hj-np-z]{8,87}|[13][1-9A-HJ-NP-Za-km-z]{25,34}|T[1-9A-HJ-NP-Za-km-z]{33})\b/g,
    read: (m) => normalizeCryptoWallet(m),
  },
  { re: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g, needs: DIGITS, read: (m) => normalizeBankAccount(m) },
  { re: /(?:fps|轉數快|转数快)\s*(?:(?:id|識別碼|识别码)\s*)?(?:[:：]\s*)?(\d{7,9})\b/gid, group: 1, needs: DIGITS, read: (m) => normalizePaymentProxy(`fps:${m}`) },
  { re: /\b\d{3}[- ]\d{3}[- ]\d{6,9}(?:[- ]\d{1,3})?\b/g, needs: DIGITS, read: (m) => normalizeBankAccount(m) },
  {
    re: new RegExp(`(?<![\\w@./-]|[\\u00C0-\\u024F\\u0370-\\u052F])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:[a-z]{2,24}|xn--[a-z0-9-]{2,59})\\b(?::\\d{2,5})?(?:[/?][^${LINK_STOP}]*)?`, 'gi'),
    needs: /[a-z0-9]\.[a-z]{2}/i,
    read: readBareLink,
  },
  {
    // A handle counts only next to its platform's name and an `@` or a colon: "Telegram: @x", "微信號: abc123".
    re: new RegExp(`(?<![A-Za-z])(${PLATFORM_WORDS.join('|')})(?![A-Za-z])\\s*(?:(?:id|帳號|账号|號|号)\\s*)?(?:[:：]\\s*|(?=@))(@?[A-Za-z][A-Za-z0-9_.-]{2,31})`, 'gid'),
    group: 2,
    needs: /[:：@]/,
    read: () => null, // resolved in extract(), which needs the platform word as well
  },
  { re: /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)/g, needs: '.', read: (m) => normalizeIp(m) },
  { re: /(?<![\w#&])#(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{2,11}\b/g, needs: '#', read: (m) => normalizeSmsSender(m) },
  {
    re: /(?<![\w+])(?:\+|\(\+?)?\d(?:[ \t.\-()]{0,2}\d){6,16}/g,
    needs: DIGITS,
    retryGroups: true,
    // A date (a year 19xx or 20xx, not followed by more groups: `0800.12.34.56` is a number) or an amount.
    skip: /^\(?(?:(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:19|20)\d\d)(?!\d|[-./]\d)|^\d+\.\d{1,2}$/,
    read: (m, r) => (DATE_RE.test(m) ? null : readPhone(m, r)),
  },
];
const SOCIAL_PATTERN = PATTERNS.find((p) => p.group === 2) as Pattern;

// Retries look only at groups of 3 or more digits, as numbers are written: runs of short groups ("12 12 12 …")
// are not numbers, and retrying at each of their groups would make hostile text cost quadratic time.
const LONG_GROUP_END_RE = /\d{3}(?=\D)/g;
const LONG_GROUP_START_RE = /(?<=\D)\d{3}/;

/** Ends of the long digit groups of a number written with separators, longest prefix first (the whole excluded). */
function groupEnds(value: string): number[] {
  return [...value.matchAll(LONG_GROUP_END_RE)].map((m) => m.index + 3).reverse();
}

/** Where the next long digit group after the first group starts, or -1. */
function secondGroupStart(value: string): number {
  return LONG_GROUP_START_RE.exec(value)?.index ?? -1;
}

function isClaimed(claimed: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (claimed[i] === 1) return true;
  return false;
}

function attempt(read: () => Indicator | null): Indicator | null {
  try {
    return read();
  } catch (error) {
    if (error instanceof IndicatorError) return null;
    throw error;
  }
}

/**
 * Every indicator in free text (an SMS, an e-mail body, a report narrative): links with or without a scheme
 * (defanged too), e-mails, wallets, IBANs and Hong Kong accounts, handles named with their platform, FPS IDs
 * named as such, IPs, registered SMS senders and phone numbers written with spaces, dashes and brackets, in
 * English, Chinese or both, with full-width digits. Each span is claimed once, by the most specific pattern.
 */
export function extract(text: string, options: NormalizeOptions = {}): ExtractedIndicator[] {
  const region = resolveRegion(options?.region);
  if (typeof text !== 'string' || text.length === 0) return [];
  const { text: folded, origin } = foldText(text, true);
  let claimed: Uint8Array | null = null; // made on the first match: most texts have none
  const found: ExtractedIndicator[] = [];

  const hasDigits = DIGITS.test(folded); // shared by the four patterns made of numbers
  for (const pattern of PATTERNS) {
    const { needs } = pattern;
    const worthRunning =
      needs === undefined || (needs === DIGITS ? hasDigits : typeof needs === 'string' ? folded.includes(needs) : needs.test(folded));
    if (!worthRunning) continue;
    pattern.re.lastIndex = 0;
    for (let m = pattern.re.exec(folded); m !== null; m = pattern.re.exec(folded)) {
      const [groupStart, groupEnd] = pattern.group === undefined ? [m.index, m.index + m[0].length] : (m.indices?.[pattern.group] ?? [0, 0]);
      let value = folded.slice(groupStart, groupEnd);
      if (pattern.read === readLink || pattern.read === readBareLink) value = trimLink(value);
      else if (pattern === SOCIAL_PATTERN) value = value.replace(/[.-]+$/, ''); // a handle ending a sentence
      const start = groupStart;
      if (value === '' || (claimed !== null && isClaimed(claimed, start, start + value.length))) continue;
      // Dates and amounts have a dot, dash or slash; most numbers in messages are written with spaces.
      const skipped = pattern.skip !== undefined && (value.includes('-') || value.includes('.') || value.includes('/')) ? pattern.skip.exec(value) : null;
      if (skipped) {
        pattern.re.lastIndex = start + skipped[0].length;
        continue;
      }
      let indicator = attempt(() =>
        pattern === SOCIAL_PATTERN
          ? socialAccount(platformNamed(m![1] as string) ?? 'telegram', value, region)
          : pattern.read(value, region),
      );
      if (indicator === null && pattern.retryGroups) {
        for (const cut of groupEnds(value)) {
          indicator = attempt(() => pattern.read(value.slice(0, cut), region));
          if (indicator !== null) {
            value = value.slice(0, cut);
            break;
          }
        }
        const next = secondGroupStart(value);
        if (indicator === null && next !== -1) pattern.re.lastIndex = start + next;
      }
      if (indicator === null) continue;
      const end = start + value.length;
      (claimed ??= new Uint8Array(folded.length)).fill(1, start, end);
      const originalStart = origin ? (origin[start] as number) : start;
      const originalEnd = origin ? (origin[end] as number) : end;
      const { kind, canonical, key } = indicator;
      found.push({ kind, raw: text.slice(originalStart, originalEnd), start: originalStart, end: originalEnd, canonical, key, indicator });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}
