import { IndicatorError, MAX_VALUE_LENGTH, type Indicator, type IndicatorKind, type NormalizeOptions } from './indicator.types.js';
import { normalize, resolveRegion } from './normalize.js';
import { hasSenderShape } from './sms-sender.js';
import { PLATFORM_ALIASES, socialAccountFromUrl } from './social-account.js';
import type { UrlDetails } from './url.js';
import { prepareValue } from './text.js';

export interface Detection {
  /** The most likely kind; null when the value has the shape of no kind. */
  kind: IndicatorKind | null;
  /** Other kinds the value is also valid as (`91234567`: an HK mobile, or an FPS ID). */
  alternatives: IndicatorKind[];
  /** Whether the value normalizes as `kind`; when false, normalize(kind) explains what is wrong. */
  valid: boolean;
}

const PLATFORM_PREFIX_RE = new RegExp(`^(?:${Object.keys(PLATFORM_ALIASES).join('|')})\\s*[:：](?!//)`, 'i');
const SCHEME_RE = /^[a-z][a-z0-9+.-]*:\/\//i;
const IPV4_RE = /^\d{1,3}(?:\.\d{1,3}){3}$/;
const IPV6_RE = /^\[?[0-9a-f:.]+\]?$/i; // with a colon, checked before
const WALLET_RE = /^(?:0x[0-9a-f]{40}|bc1[a-z0-9]{8,87}|[13][1-9A-HJ-NP-Za-km-z]{25,34}|T[1-9A-HJ-NP-Za-km-z]{33})$/i;
const IBAN_RE = /^[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{1,4}){3,9}$/i;
const NUMBER_RE = /^\(?\+?[\d\s().\-/]+$/;
const HK_ACCOUNT_RE = /^\d{3}[\s-]\d{3}[\s-]\d{3,}/;
const UEN_RE = /^(?:\d{8}|\d{9}|[TSR]\d{2}[A-Z]{2}\d{4})[A-Z]$/i;
const HOST_RE = /^[^\s/@:]+\.[^\s/@:.]+\.?(?::\d+)?$/;
const PATH_URL_RE = /^[^\s/@?.]+(?:\.[^\s/@?.]*)+[/?]/;

/** Kinds the value has the shape of, most likely first; each is then confirmed by normalizing. */
function shapeCandidates(v: string): IndicatorKind[] {
  const lower = v.toLowerCase();
  if (/^(?:tel|callto):/.test(lower)) return ['phone'];
  if (lower.startsWith('mailto:')) return ['email'];
  if (/^(?:fps|upi|paynow):/.test(lower)) return ['payment_proxy'];
  if (PLATFORM_PREFIX_RE.test(v) || /^@[\w.]+$/.test(v)) return ['social_account'];
  if (SCHEME_RE.test(v) || lower.startsWith('www.')) return ['social_account', 'url'];
  if (v.startsWith('#')) return ['sms_sender'];
  if (IPV4_RE.test(v) || (v.includes(':') && IPV6_RE.test(v))) return ['ip', 'url'];
  if (WALLET_RE.test(v)) return ['crypto_wallet'];
  if (v.includes('@') && !/\s/.test(v)) return ['email', 'payment_proxy'];
  if (NUMBER_RE.test(v)) {
    const digits = v.replace(/\D/g, '').length;
    if (HK_ACCOUNT_RE.test(v) && digits >= 12) return ['bank_account', 'phone'];
    if (v.startsWith('+') || v.startsWith('00')) return ['phone'];
    if (digits >= 7 && digits <= 9) return ['phone', 'payment_proxy'];
    if (digits >= 12) return ['bank_account', 'phone'];
    return digits <= 6 ? ['phone', 'sms_sender'] : ['phone', 'bank_account'];
  }
  if (IBAN_RE.test(v)) return ['bank_account'];
  if (UEN_RE.test(v)) return ['payment_proxy'];
  if (HOST_RE.test(v)) return ['domain', 'url'];
  if (PATH_URL_RE.test(v)) return ['social_account', 'url'];
  // Last: a word becomes an SMS sender ID only with a sender's shape (capitals or digits), never a plain word.
  if (hasSenderShape(v)) return ['sms_sender'];
  return [];
}

function tryNormalize(kind: IndicatorKind, raw: string, options: NormalizeOptions): Indicator | null {
  try {
    return normalize(kind, raw, options);
  } catch (error) {
    if (!(error instanceof IndicatorError)) throw error;
    return null;
  }
}

/** Every kind the value is valid as, with its normal form, most likely first. */
export function detectAll(raw: string, options: NormalizeOptions = {}): { shapes: IndicatorKind[]; matches: Indicator[] } {
  if (typeof raw !== 'string' || raw.length > MAX_VALUE_LENGTH) return { shapes: [], matches: [] };
  const shapes = shapeCandidates(prepareValue(raw));
  const matches: Indicator[] = [];
  // A link that may be a profile: normalized once as a link, the account read from it (as normalize does).
  const profileLink = shapes.includes('social_account') && shapes.includes('url');
  for (const kind of shapes) {
    if (kind === 'social_account' && profileLink) continue;
    const found = tryNormalize(kind, raw, options);
    if (found === null) continue;
    if (kind === 'url' && profileLink) {
      const d = found.details as UrlDetails;
      const account = socialAccountFromUrl(d.host, d.path, d.query, resolveRegion(options.region));
      if (account !== null) matches.push(account);
    }
    matches.push(found);
  }
  return { shapes, matches };
}

/**
 * The kind of whatever a person pasted, and the other kinds it could also be. Handles defanged links,
 * full-width characters, stray spaces and separators, `tel:` / `mailto:` prefixes and profile links.
 */
export function detect(raw: string, options: NormalizeOptions = {}): Detection {
  const { shapes, matches } = detectAll(raw, options);
  const [best, ...rest] = matches;
  if (best === undefined) return { kind: shapes[0] ?? null, alternatives: [], valid: false };
  return { kind: best.kind, alternatives: rest.map((m) => m.kind), valid: true };
}
