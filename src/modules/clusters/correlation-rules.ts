import { parse as parseDomain } from 'tldts';
import { toUnicode } from 'tr46';
import { normalize, skeleton } from '../indicators/index.js';
import { PSL_WITH_PRIVATE } from '../indicators/url.js';
import { isSharedHost, SHARED_HOST_DOMAINS } from '../verdicts/shared-hosts.js';
import { URL_EXPRESSION_PREFIX } from '../verdicts/evidence-keys.js';

/**
 * Which indicator keys may link reports into one cluster, and what weaker relations (suggestions) a key has.
 * A cluster is held together by shared keys; a key that many unrelated victims meet (a platform's home page,
 * the police hotline, a bank's real number) must never be one of them.
 */

/** Why a key does not correlate (stored in correlation_keys.blocked). */
export const BLOCKED = { no: 0, warningList: 1, protected: 2, doNotCorrelate: 3 } as const;
export type Blocked = (typeof BLOCKED)[keyof typeof BLOCKED];
export const BLOCKED_NAMES: Record<Blocked, string> = { 0: 'correlates', 1: 'warning_list', 2: 'protected', 3: 'do_not_correlate' };

/**
 * The shipped warning list: emergency, police and anti-scam service numbers that victims mention or are told
 * to call, whatever the scam. Big platforms' domains and link shorteners come from the shared-host list.
 * Values are normalized at load, so the list reads as people write them.
 */
export const WARNING_LIST_VALUES: readonly { kind: 'phone'; value: string; note: string }[] = [
  { kind: 'phone', value: '+852 2527 7177', note: 'Hong Kong Police hotline' },
  { kind: 'phone', value: '+852 2860 2000', note: 'Hong Kong Police Crime Wing enquiries' },
  { kind: 'phone', value: '+852 2929 2222', note: 'Hong Kong Consumer Council hotline' },
  { kind: 'phone', value: '+852 2878 8196', note: 'Hong Kong Monetary Authority public enquiries' },
  { kind: 'phone', value: '+65 1800 255 0000', note: 'Singapore Police hotline' },
  { kind: 'phone', value: '+65 6325 0000', note: 'Singapore Police general enquiries' },
  { kind: 'phone', value: '+44 300 123 2040', note: 'UK Action Fraud' },
];

const WARNING_LIST_KEYS: ReadonlySet<string> = new Set(WARNING_LIST_VALUES.map((v) => normalize(v.kind, v.value).key));

const kindOf = (key: string): string => key.slice(0, key.indexOf(':'));
const canonicalOf = (key: string): string => key.slice(key.indexOf(':') + 1);

/** The host of a `url:` key, or null when it has none. */
function hostOf(key: string): { host: string; root: boolean } | null {
  try {
    const url = new URL(canonicalOf(key));
    return { host: url.hostname.replace(/^\[|\]$/g, ''), root: url.pathname === '/' && url.search === '' };
  } catch {
    return null;
  }
}

const isIpHost = (host: string): boolean => /^[\d.]+$/.test(host) || host.includes(':');

/**
 * Whether the key is on the warning list: a listed number, or a shared host's own name (a domain such as
 * facebook.com, or the bare home page of bit.ly or x.vercel.app). A particular link on a shared host (one
 * bit.ly code, one profile page) is specific to its scam and does correlate.
 */
export function warningListed(key: string): boolean {
  if (WARNING_LIST_KEYS.has(key)) return true;
  const kind = kindOf(key);
  if (kind === 'domain') return isSharedHost(canonicalOf(key), false);
  if (kind === 'url') {
    const url = hostOf(key);
    return url !== null && url.root && isSharedHost(url.host, isIpHost(url.host));
  }
  return false;
}

/**
 * The protection entries that cover this key (a protection recorded as compromised still covers it: a
 * spoofed bank number is shown by many unrelated callers): a protected number or sender ID is its own key; a protected
 * site (`urlx:hsbc.com.hk/`) covers its domain and every link on it or its subdomains.
 */
export function protectionEntries(key: string): string[] {
  const kind = kindOf(key);
  const host = kind === 'domain' ? canonicalOf(key) : kind === 'url' ? hostOf(key)?.host : undefined;
  if (host === undefined) return [key];
  if (isIpHost(host)) return [`${URL_EXPRESSION_PREFIX}${host}/`];
  const labels = host.split('.');
  return labels.slice(0, -1).map((_, i) => `${URL_EXPRESSION_PREFIX}${labels.slice(i).join('.')}/`);
}

/**
 * The registrable domain (private suffixes honoured: x.vercel.app is its own) of a url or domain key; null
 * on a shortener or platform, whose links have nothing in common but their host.
 */
function siteOf(key: string): string | null {
  const kind = kindOf(key);
  const host = kind === 'domain' ? canonicalOf(key) : kind === 'url' ? hostOf(key)?.host : undefined;
  if (host === undefined) return null;
  if (isIpHost(host)) return host;
  const site = parseDomain(host, PSL_WITH_PRIVATE).domain ?? host;
  return SHARED_HOST_DOMAINS.has(site) ? null : site;
}

/** Shapes shorter than this match too many unrelated names to suggest anything. */
const MIN_SHAPE = 4;

/**
 * What weaker relations group a key by (suggestions, never merges): a phone number's block of 100
 * (consecutive numbers from one SIM farm), a link's or domain's registrable domain.
 */
export function familyOf(key: string): string | null {
  const kind = kindOf(key);
  if (kind === 'phone') {
    const digits = canonicalOf(key);
    return digits.length > 8 ? `phone:${digits.slice(0, -2)}` : null;
  }
  const site = siteOf(key);
  return site === null ? null : `site:${site}`;
}

/**
 * The look of a link's or domain's site name without its suffix, folded through Unicode's confusables:
 * hsbc.com.hk, hsbc.co and hsbс.com (Cyrillic с) all look like `hsbc`. Equal shapes are look-alikes.
 */
export function shapeOf(key: string): string | null {
  const site = siteOf(key);
  if (site === null || isIpHost(site)) return null;
  const info = parseDomain(site, PSL_WITH_PRIVATE);
  const label = info.domainWithoutSuffix ?? site;
  const shape = skeleton(toUnicode(label).domain).replace(/[-_.]/g, '');
  return shape.length >= MIN_SHAPE ? shape : null;
}

/** Why a key links nothing, given the officers' exclusions and the protected entries; BLOCKED.no when it correlates. */
export function blockedState(key: string, excluded: ReadonlySet<string>, protectedEntries: ReadonlySet<string>): Blocked {
  if (excluded.has(key)) return BLOCKED.doNotCorrelate;
  if (warningListed(key)) return BLOCKED.warningList;
  return protectionEntries(key).some((e) => protectedEntries.has(e)) ? BLOCKED.protected : BLOCKED.no;
}
