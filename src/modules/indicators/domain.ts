import { toASCII, toUnicode } from 'tr46';
import { skeleton } from './confusables.js';
import { IndicatorError, makeKey, type Indicator } from './indicator.types.js';
import { parseIPv6, parseLenientIPv4 } from './ip.js';
import { domainParts } from './url.js';

const TLD_RE = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * IDNA (UTS 46, non-transitional, STD3 rules, DNS lengths) to lower-case ASCII without the trailing dot, or
 * an INVALID_DOMAIN error naming what is wrong. Also used for the domain of e-mail addresses.
 */
export function toAsciiDomain(value: string): string {
  let end = value.length;
  while (end > 0 && value[end - 1] === '.') end--; // a loop: /\.+$/ is quadratic on a run of dots
  const trimmed = value.slice(0, end);
  if (trimmed === '') throw new IndicatorError('INVALID_DOMAIN', 'A domain name cannot be empty.', 'EMPTY');
  if (parseLenientIPv4(trimmed) !== null || parseIPv6(trimmed) !== null) {
    throw new IndicatorError('INVALID_DOMAIN', `“${trimmed.slice(0, 80)}” is an IP address, not a domain name.`, 'IP_ADDRESS');
  }
  const ascii = toASCII(trimmed, {
    checkHyphens: false,
    checkBidi: true,
    checkJoiners: true,
    useSTD3ASCIIRules: true,
    transitionalProcessing: false,
    verifyDNSLength: true,
  });
  if (ascii === null) {
    throw new IndicatorError(
      'INVALID_DOMAIN',
      `“${trimmed.slice(0, 80)}” is not a valid domain name (characters, label length or IDNA rules).`,
      'IDNA',
    );
  }
  const labels = ascii.split('.');
  if (labels.length < 2 || !TLD_RE.test(labels[labels.length - 1] as string)) {
    throw new IndicatorError('INVALID_DOMAIN', `“${trimmed.slice(0, 80)}” has no top-level domain such as .com or .hk.`, 'NO_TLD');
  }
  return ascii;
}

/** Normalizes a domain: lower-case ASCII, with its Unicode form, registrable domain and confusable skeleton. */
export function normalizeDomain(value: string): Indicator {
  const ascii = toAsciiDomain(value);
  const unicode = ascii.includes('xn--') ? toUnicode(ascii, {}).domain : ascii;
  const parts = domainParts(ascii);
  return {
    kind: 'domain',
    canonical: ascii,
    key: makeKey('domain', ascii),
    display: ascii.replace(/\.([^.]*)$/, '[.]$1'),
    details: {
      unicode,
      registrableDomain: parts.registrableDomain,
      publicSuffix: parts.publicSuffix,
      isIcann: parts.isIcann,
      skeleton: skeleton(unicode),
    },
  };
}
