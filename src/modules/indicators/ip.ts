import ipaddr from 'ipaddr.js';
import { IndicatorError, makeKey, type Indicator } from './indicator.types.js';

const IPV4_PART_RE = /^(?:0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*)$/i;

/**
 * Parses IPv4 the way inet_aton and browsers do, as Safe Browsing asks: 1 to 4 parts, each decimal, octal
 * (leading 0) or hex (0x), the last part filling the remaining bytes (`3279880203`, `0xc3.0177.11`).
 * Returns the dotted quad, or null when the text is not an IPv4 address in any of these forms.
 */
export function parseLenientIPv4(text: string): string | null {
  if (text.length === 0 || text.length > 64) return null;
  // Nearly every host ends in a letter label such as `com`: reject those before splitting.
  if (!IPV4_PART_RE.test(text.slice(text.lastIndexOf('.') + 1))) return null;
  const parts = text.split('.');
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    if (!IPV4_PART_RE.test(part)) return null;
    const value =
      part.length > 1 && (part[1] === 'x' || part[1] === 'X')
        ? part.length === 2 ? 0 : parseInt(part.slice(2), 16)
        : part.length > 1 && part[0] === '0'
          ? parseInt(part, 8)
          : Number(part);
    if (!Number.isFinite(value)) return null;
    values.push(value);
  }
  const last = values.pop() as number;
  if (values.some((v) => v > 255)) return null;
  if (last >= 2 ** (8 * (4 - values.length))) return null;
  let n = last;
  for (let i = 0; i < values.length; i++) n += (values[i] as number) * 2 ** (8 * (3 - i));
  return `${Math.floor(n / 2 ** 24) % 256}.${Math.floor(n / 2 ** 16) % 256}.${Math.floor(n / 256) % 256}.${n % 256}`;
}

/** Compressed lower-case IPv6 (RFC 5952), or null. Accepts an address in brackets and a zone-free form only. */
export function parseIPv6(text: string): string | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (!bare.includes(':') || bare.includes('%') || !ipaddr.IPv6.isValid(bare)) return null;
  const address = ipaddr.IPv6.parse(bare);
  // RFC 5952 section 5: an IPv4-mapped address keeps its IPv4 part in dotted form.
  return address.isIPv4MappedAddress() ? `::ffff:${address.toIPv4Address().toString()}` : address.toRFC5952String();
}

/** Normalizes an IP address: dotted-quad IPv4 (from any inet_aton form) or compressed IPv6. */
export function normalizeIp(value: string): Indicator {
  const v4 = parseLenientIPv4(value);
  const canonical = v4 ?? parseIPv6(value);
  if (canonical === null) {
    throw new IndicatorError('INVALID_IP', `“${value.slice(0, 80)}” is not an IPv4 or IPv6 address.`);
  }
  const parsed = ipaddr.parse(canonical);
  return {
    kind: 'ip',
    canonical,
    key: makeKey('ip', canonical),
    display: canonical,
    details: { version: v4 ? 4 : 6, range: parsed.range() },
  };
}
