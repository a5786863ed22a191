import type { Indicator } from '../indicators/index.js';
import { lookupExpressions, type UrlDetails } from '../indicators/url.js';
import { isSharedHost } from './shared-hosts.js';

/**
 * Evidence about links is kept the way Safe Browsing lists it: under lookup expressions (`host/path?query`,
 * `host/`), prefixed `urlx:`. An entry for `evil.com/` covers every link on evil.com and its subdomains; one
 * for `evil.com/a/b?c` covers that link only, whatever its scheme or port. Every other kind keys on its
 * indicator key. A domain is the same thing as the host entry of its links.
 */
export const URL_EXPRESSION_PREFIX = 'urlx:';

export type UrlScope = 'url' | 'host';

function hostEntry(host: string): string {
  return `${URL_EXPRESSION_PREFIX}${host}/`;
}

function exactEntry(url: UrlDetails): string {
  return `${URL_EXPRESSION_PREFIX}${url.host}${url.path}${url.query === null ? '' : `?${url.query}`}`;
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
 * Every entry that covers this indicator: for links, all their lookup expressions, longest (most specific)
 * first, so that between equal verdicts the one about this very link is the one explained.
 */
export function lookupEntries(indicator: Indicator): string[] {
  if (indicator.kind !== 'url' && indicator.kind !== 'domain') return [indicator.key];
  const expressions =
    indicator.kind === 'url'
      ? (indicator.details as UrlDetails).lookupExpressions
      : lookupExpressions({ host: indicator.canonical, path: '/', query: null, isIp: false });
  return expressions.map((e) => URL_EXPRESSION_PREFIX + e).sort((a, b) => b.length - a.length);
}

/** `urlx:evil.com/` for display: the part after the prefix. */
export function entryLabel(entry: string): string {
  return entry.startsWith(URL_EXPRESSION_PREFIX) ? entry.slice(URL_EXPRESSION_PREFIX.length) : entry.slice(entry.indexOf(':') + 1);
}
