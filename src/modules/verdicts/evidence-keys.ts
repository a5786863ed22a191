import type { Indicator } from '../indicators/index.js';
import { lookupExpressions, type UrlDetails } from '../indicators/url.js';
import { isSharedHost } from './shared-hosts.js';

/**
 * Evidence about links is kept the way Safe Browsing matches it, with one distinction Safe Browsing lacks:
 * - `urle:host/path?query` is one exact link (whatever its scheme or port): it matches that link only;
 * - `urlx:expression` covers what the Safe Browsing lookup expression covers: `urlx:evil.com/` every link on
 *   evil.com and its subdomains, `urlx:evil.com/a/` every link under /a/.
 * Without the distinction a reported root link on shared hosting (`https://x.vercel.app/`) would be the same
 * entry as that whole host. Every other kind keys on its indicator key; a domain is its host's `urlx:` entry.
 */
export const EXACT_URL_PREFIX = 'urle:';
export const URL_EXPRESSION_PREFIX = 'urlx:';

export type UrlScope = 'url' | 'host';

function hostEntry(host: string): string {
  return `${URL_EXPRESSION_PREFIX}${host}/`;
}

function exactEntry(url: UrlDetails): string {
  return `${EXACT_URL_PREFIX}${url.host}${url.path}${url.query === null ? '' : `?${url.query}`}`;
}

/**
 * The entries a report of this indicator adds evidence to. A link condemns itself and, unless its host is
 * shared (a shortener, a platform, a PSL private suffix), its host; a domain condemns its host entry unless
 * shared; anything else its key.
 */
export function reportedEntries(indicator: Indicator): string[] {
  if (indicator.kind === 'url') {
    const url = indicator.details as UrlDetails;
    const exact = exactEntry(url);
    return isSharedHost(url.host, url.isIp) ? [exact] : [exact, hostEntry(url.host)];
  }
  if (indicator.kind === 'domain') return isSharedHost(indicator.canonical, false) ? [] : [hostEntry(indicator.canonical)];
  return [indicator.key];
}

/**
 * The one entry an officer decision, a feed line or a protection is about. For links the scope says whether
 * the exact link or its whole host is meant; a whole shared host cannot be meant (null).
 */
export function scopedEntry(indicator: Indicator, scope: UrlScope): string | null {
  if (indicator.kind === 'url') {
    const url = indicator.details as UrlDetails;
    if (scope === 'url') return exactEntry(url);
    return isSharedHost(url.host, url.isIp) ? null : hostEntry(url.host);
  }
  if (indicator.kind === 'domain') return isSharedHost(indicator.canonical, false) ? null : hostEntry(indicator.canonical);
  return indicator.key;
}

/**
 * Every entry that covers this indicator, its own first: for a link its exact entry, then its lookup
 * expressions longest (most specific) first, so that between equal verdicts the closest one is explained.
 */
export function lookupEntries(indicator: Indicator): string[] {
  if (indicator.kind !== 'url' && indicator.kind !== 'domain') return [indicator.key];
  const expressions =
    indicator.kind === 'url'
      ? (indicator.details as UrlDetails).lookupExpressions
      : lookupExpressions({ host: indicator.canonical, path: '/', query: null, isIp: false });
  const covering = expressions.map((e) => URL_EXPRESSION_PREFIX + e).sort((a, b) => b.length - a.length);
  return indicator.kind === 'url' ? [exactEntry(indicator.details as UrlDetails), ...covering] : covering;
}

/** What an entry is about, for display: `evil.com/` for `urlx:evil.com/`, `+852…` for `phone:+852…`. */
export function entryLabel(entry: string): string {
  return entry.slice(entry.indexOf(':') + 1);
}

/** Whether the entry covers a whole site or path (rather than one link or one value). */
export function isCoverageEntry(entry: string): boolean {
  return entry.startsWith(URL_EXPRESSION_PREFIX);
}

/**
 * The kind an entry is about, as partners follow it: an exact link or a path is a `url`, a whole site
 * (`urlx:evil.com/`) a `domain`, anything else the kind of its key (`phone:…` is a phone).
 */
export function entryKind(entry: string): string {
  if (entry.startsWith(EXACT_URL_PREFIX)) return 'url';
  if (entry.startsWith(URL_EXPRESSION_PREFIX)) return entry.indexOf('/') === entry.length - 1 ? 'domain' : 'url';
  return entry.slice(0, entry.indexOf(':'));
}
