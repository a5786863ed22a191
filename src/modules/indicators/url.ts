import { parse as parseDomain } from 'tldts';
import { toASCII, toUnicode } from 'tr46';
import { parseIPv6, parseLenientIPv4 } from './ip.js';
import { IndicatorError, makeKey, type Indicator } from './indicator.types.js';
import { NEEDS_DEFANG_RE } from './text.js';

/**
 * URL canonicalization after the Google Safe Browsing v4 "Canonicalization" rules, and the host-suffix /
 * path-prefix lookup expressions that lookups match against.
 *
 * One deliberate departure: the user-info part (`user:pass@`) is dropped before unescaping, the way a
 * browser parses it. A literal reading of the rules turns `https://www.visa.co.jp%2f@evil.shop/` into host
 * `www.visa.co.jp`, naming the brand the scammer imitates instead of the host the browser actually visits.
 */

/** Schemes a browser treats as "special": any number of slashes or backslashes may follow the colon. */
const WEB_SCHEMES = new Set(['http', 'https', 'ftp', 'ws', 'wss']);
const SCHEME_RE = /^([a-z][a-z0-9+.-]*):/i;
const NEEDS_ESCAPE_RE = /[\x00-\x20\x7f-\xff#%]/;
const NON_ASCII_RE = /[^\x00-\x7f]/;
const HEX = '0123456789ABCDEF';
/** What an IDNA result must look like to be used: letters, digits, `-`, `_` and dots, nothing that parses. */
const PLAIN_HOST_RE = /^[a-z0-9._-]+$/;
/** Brackets, parentheses, braces and `*` are in no host name, and would read as defanging when pasted again. */
const BRACKETS_RE = /[[\](){}*]/;

export interface CanonicalUrl {
  scheme: string;
  host: string;
  port: number | null;
  /** Canonical path, always starting with `/`. */
  path: string;
  /** Canonical query without `?`, or null when the URL has no `?`. */
  query: string | null;
  isIp: boolean;
  canonical: string;
}

function invalid(message: string, reason: string): IndicatorError {
  return new IndicatorError('INVALID_URL', message, reason);
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  const lower = code | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * Percent-unescapes until no escape is left, in one pass: each decoded character is pushed on a stack and
 * the top is re-examined, which reaches the same fixed point as repeated passes (no two escapes overlap) in
 * linear time, so `%252525…` cannot be used to burn CPU. Works on a byte string (one char per byte).
 */
export function unescapeFully(bytes: string): string {
  if (!bytes.includes('%')) return bytes;
  const out: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    out.push(bytes.charCodeAt(i));
    for (let n = out.length; n >= 3 && out[n - 3] === 37; n = out.length) {
      const hi = hexValue(out[n - 2] as number);
      const lo = hexValue(out[n - 1] as number);
      if (hi < 0 || lo < 0) break;
      out.length = n - 3;
      out.push(hi * 16 + lo);
    }
  }
  let result = '';
  for (let i = 0; i < out.length; i += 8192) result += String.fromCharCode(...out.slice(i, i + 8192));
  return result;
}

/** Escapes bytes <= 0x20, >= 0x7f, `#` and `%` with upper-case hex, as the rules require. */
export function escapeBytes(bytes: string): string {
  if (!NEEDS_ESCAPE_RE.test(bytes)) return bytes;
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes.charCodeAt(i);
    out += c <= 0x20 || c >= 0x7f || c === 35 || c === 37 ? '%' + HEX[c >> 4] + HEX[c & 15] : bytes[i];
  }
  return out;
}

const FANG_RE = new RegExp(NEEDS_DEFANG_RE.source, 'gi');

/**
 * Unescaping can spell a defang form in a path or query (`%5B.%5D` → `[.]`); pasted again, it would be read
 * as a dot. Its first character stays escaped, so a canonical form always normalizes to itself.
 */
function keepFangsEscaped(text: string): string {
  if (!NEEDS_DEFANG_RE.test(text)) return text;
  return text.replace(FANG_RE, (fang) => '%' + fang.charCodeAt(0).toString(16).toUpperCase() + fang.slice(1));
}

// Byte strings (one char per byte) without Node's Buffer: this module also runs in browsers (packages/client).
const utf8 = new TextEncoder();
const utf8Lenient = new TextDecoder('utf-8');

function toByteString(text: string): string {
  if (!NON_ASCII_RE.test(text)) return text;
  let out = '';
  for (const byte of utf8.encode(text)) out += String.fromCharCode(byte);
  return out;
}

/** The UTF-8 text of a byte string; bytes that are not UTF-8 become U+FFFD. */
function fromByteString(bytes: string): string {
  return utf8Lenient.decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));
}

function authorityEnd(rest: string): number {
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 47 /* / */ || c === 92 /* \ */ || c === 63 /* ? */) return i;
  }
  return rest.length;
}

/** The host of an authority, without user-info; the port is split off separately. */
function dropUserInfo(authority: string): string {
  const at = authority.lastIndexOf('@');
  return at === -1 ? authority : authority.slice(at + 1);
}

function canonicalHost(rawHost: string): { host: string; isIp: boolean } {
  if (rawHost.startsWith('[')) {
    const v6 = parseIPv6(rawHost);
    if (v6 === null) throw invalid('The address in brackets is not a valid IPv6 address.', 'BAD_IPV6');
    return { host: `[${v6}]`, isIp: true };
  }
  let host = rawHost;
  if (NON_ASCII_RE.test(host)) {
    // The bytes of an internationalized host: convert to its ASCII (punycode) form as browsers do; bytes that
    // are not UTF-8 or not a valid IDN stay as they are and get percent-escaped.
    const text = fromByteString(host);
    const ascii = text.includes('\uFFFD') ? null : toASCII(text, { transitionalProcessing: false });
    host = ascii !== null && PLAIN_HOST_RE.test(ascii) ? ascii : host.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
  } else {
    host = host.toLowerCase();
  }
  // After IDNA, which turns ideographic and full-width full stops into dots too.
  if (host.includes('..') || host.startsWith('.') || host.endsWith('.')) {
    host = host.replace(/\.{2,}/g, '.').replace(/^\.+|\.+$/g, '');
  }
  if (BRACKETS_RE.test(host)) throw invalid('The host name has brackets or other characters no host name has.', 'BAD_HOST');
  const v4 = parseLenientIPv4(host);
  return v4 === null ? { host, isIp: false } : { host: v4, isIp: true };
}

/** Resolves `.` and `..`, collapses repeated slashes; a path ending in a directory keeps its trailing slash. */
export function canonicalPath(path: string): string {
  if (path === '' || path === '/') return '/';
  if (!path.includes('/.') && !path.includes('//')) return path[0] === '/' ? path : '/' + path;
  const segments: string[] = [];
  const parts = path.split('/');
  let endsInDirectory = false;
  for (const part of parts) {
    endsInDirectory = part === '' || part === '.' || part === '..';
    if (part === '' || part === '.') continue;
    if (part === '..') segments.pop();
    else segments.push(part);
  }
  if (segments.length === 0) return '/';
  return '/' + segments.join('/') + (endsInDirectory ? '/' : '');
}

/** Canonicalizes a URL (see the module comment). Throws INVALID_URL with a reason. */
export function canonicalizeUrl(input: string): CanonicalUrl {
  let s = input;
  if (s.includes('\t') || s.includes('\r') || s.includes('\n')) s = s.replace(/[\t\r\n]/g, '');
  const hash = s.indexOf('#');
  if (hash !== -1) s = s.slice(0, hash);
  s = s.trim();

  let scheme = 'http';
  let rest = s;
  // Fast path for the form nearly every link has; anything else goes through the general scheme rules.
  const plain = s.startsWith('https://') ? 8 : s.startsWith('http://') ? 7 : 0;
  const schemeMatch = plain === 0 ? SCHEME_RE.exec(s) : null;
  if (plain !== 0) {
    scheme = plain === 8 ? 'https' : 'http';
    rest = s.slice(plain);
    if (rest.startsWith('/') || rest.startsWith('\\')) rest = rest.replace(/^[/\\]+/, '');
  } else if (s.startsWith('//')) {
    rest = s.slice(2); // a scheme-relative link, as pages write them
  } else if (schemeMatch !== null) {
    const name = (schemeMatch[1] as string).toLowerCase();
    const after = s.slice(schemeMatch[0].length);
    if (WEB_SCHEMES.has(name)) {
      scheme = name;
      rest = after.replace(/^[/\\]+/, '');
    } else if (after.startsWith('//')) {
      throw invalid(`“${name}:” links are not web links; only http, https, ftp, ws and wss are checked.`, 'UNSUPPORTED_SCHEME');
    } else if (!/^\d*(?:[/?\\]|$)/.test(after)) {
      // `evil.com:8080/x` has no scheme, only a port; `mailto:`, `javascript:` and the like are not web links.
      throw invalid(`“${name}:” values are not web links.`, 'UNSUPPORTED_SCHEME');
    }
  }

  const end = authorityEnd(rest);
  const at = rest.lastIndexOf('@', end - 1);
  let bytes = unescapeFully(toByteString(at === -1 ? rest : rest.slice(at + 1)));
  // Unescaping can reveal a separator in what looked like the host; it then ends the host, as it would in
  // the unescaped URL, and an `@` so revealed marks user-info again.
  const hostEnd = authorityEnd(bytes);
  let hostPort = dropUserInfo(bytes.slice(0, hostEnd));
  bytes = bytes.slice(hostEnd);

  // The port follows the first colon, or the closing bracket of an IPv6 address; it is digits or nothing.
  let port: number | null = null;
  const bracketEnd = hostPort.startsWith('[') ? hostPort.indexOf(']:') : -1;
  const portColon = hostPort.startsWith('[') ? (bracketEnd === -1 ? -1 : bracketEnd + 1) : hostPort.indexOf(':');
  if (portColon !== -1) {
    const digits = hostPort.slice(portColon + 1);
    if (!/^\d*$/.test(digits)) throw invalid('The port after the host is not a number.', 'BAD_PORT');
    if (digits.length > 0) {
      port = Number(digits);
      if (port > 65535) throw invalid(`The port ${digits.slice(0, 12)} is out of range.`, 'BAD_PORT');
    }
    hostPort = hostPort.slice(0, portColon);
  }
  const { host, isIp } = canonicalHost(hostPort);
  if (host === '') throw invalid('The link has no host name.', 'NO_HOST');

  const queryAt = bytes.indexOf('?');
  const rawPath = queryAt === -1 ? bytes : bytes.slice(0, queryAt);
  const query = queryAt === -1 ? null : keepFangsEscaped(escapeBytes(bytes.slice(queryAt + 1)));
  const path = keepFangsEscaped(escapeBytes(canonicalPath(rawPath.includes('\\') ? rawPath.replace(/\\/g, '/') : rawPath)));
  const escapedHost = escapeBytes(host);
  const canonical = `${scheme}://${escapedHost}${path}${query === null ? '' : '?' + query}`;
  return { scheme, host: escapedHost, port, path, query, isIp, canonical };
}

/**
 * The Safe Browsing lookup expressions of a canonical URL: the exact host and up to 4 suffixes made of its
 * last 5 components or fewer (never the bare TLD, no suffixes for an IP), each combined with up to 6 paths:
 * the path with and without the query and up to 4 directory prefixes starting at `/`.
 */
export function lookupExpressions(url: Pick<CanonicalUrl, 'host' | 'path' | 'query' | 'isIp'>): string[] {
  // Suffixes and prefixes are cut out of the canonical strings by position: no split/join per URL.
  const hosts = [url.host];
  if (!url.isIp) {
    const dots: number[] = [];
    for (let i = url.host.indexOf('.'); i !== -1; i = url.host.indexOf('.', i + 1)) dots.push(i);
    // Suffixes of 5 down to 2 components; dots[k] starts the suffix of (dots.length - k) components.
    for (let k = Math.max(1, dots.length - 4); k < dots.length; k++) hosts.push(url.host.slice((dots[k - 1] as number) + 1));
  }
  const paths = ['/'];
  // Directory prefixes of the path: up to 3 below the root (4 prefixes with `/`), never the full file path.
  for (let slash = url.path.indexOf('/', 1), n = 1; slash !== -1 && n < 4; slash = url.path.indexOf('/', slash + 1), n++) {
    if (slash === url.path.length - 1) break;
    paths.push(url.path.slice(0, slash + 1));
  }
  if (url.path !== '/') paths.push(url.path);
  if (url.query !== null) paths.push(`${url.path}?${url.query}`);
  const expressions: string[] = [];
  for (const host of hosts) for (const path of paths) expressions.push(host + path);
  return expressions;
}

/** Registrable domain and public suffix, the PSL's private section included (`x.vercel.app` is its own). */
/** tldts options for a host name already extracted and validated here (the PSL's private section included). */
export const PSL_WITH_PRIVATE = { allowPrivateDomains: true, extractHostname: false, detectIp: false, validateHostname: false } as const;

export function domainParts(host: string): { registrableDomain: string | null; publicSuffix: string | null; isIcann: boolean | null } {
  const info = parseDomain(host, PSL_WITH_PRIVATE);
  return { registrableDomain: info.domain, publicSuffix: info.publicSuffix, isIcann: info.isIcann };
}

/** Shows a link so that it cannot be clicked or auto-linked: `hxxps://evil[.]com/`. */
export function defang(url: Pick<CanonicalUrl, 'scheme' | 'host' | 'canonical'>): string {
  const scheme = url.scheme.startsWith('http') ? 'hxxp' + url.scheme.slice(4) : url.scheme;
  const dot = url.host.lastIndexOf('.');
  const host = dot === -1 ? url.host : `${url.host.slice(0, dot)}[.]${url.host.slice(dot + 1)}`;
  return `${scheme}://${host}${url.canonical.slice(url.scheme.length + 3 + url.host.length)}`;
}

/**
 * The details of a URL indicator. The lookup expressions (up to 30 strings) are made when first read: a
 * bulk import needs only the key, a check needs them all. toJSON includes them like any other field.
 */
export class UrlDetails {
  readonly [field: string]: unknown;
  readonly scheme: string;
  readonly host: string;
  readonly port: number | null;
  readonly path: string;
  readonly query: string | null;
  readonly isIp: boolean;
  readonly registrableDomain: string | null;
  readonly publicSuffix: string | null;
  readonly unicodeHost: string | null;
  #expressions: string[] | undefined;

  constructor(url: CanonicalUrl, registrableDomain: string | null, publicSuffix: string | null, unicodeHost: string | null) {
    this.scheme = url.scheme;
    this.host = url.host;
    this.port = url.port;
    this.path = url.path;
    this.query = url.query;
    this.isIp = url.isIp;
    this.registrableDomain = registrableDomain;
    this.publicSuffix = publicSuffix;
    this.unicodeHost = unicodeHost;
  }

  get lookupExpressions(): string[] {
    return (this.#expressions ??= lookupExpressions(this));
  }

  toJSON(): Record<string, unknown> {
    return { ...this, lookupExpressions: this.lookupExpressions };
  }
}

/** Normalizes a URL: Safe Browsing canonical form, with host, domain parts and lookup expressions. */
export function normalizeUrl(value: string): Indicator {
  const url = canonicalizeUrl(value);
  const parts = url.isIp ? null : domainParts(url.host);
  const unicodeHost = url.host.includes('xn--') ? toUnicode(url.host, {}).domain : null;
  return {
    kind: 'url',
    canonical: url.canonical,
    key: makeKey('url', url.canonical),
    display: defang(url),
    details: new UrlDetails(url, parts?.registrableDomain ?? null, parts?.publicSuffix ?? null, unicodeHost),
  };
}
