import { toUnicode } from 'tr46';
import { toAsciiDomain } from './domain.js';
import { IndicatorError, makeKey, type Indicator } from './indicator.types.js';
import { stripPrefix } from './text.js';
import { domainParts } from './url.js';

// Dot-atom local parts (RFC 5322) plus UTF-8 letters (RFC 6531), or a quoted string.
const DOT_ATOM_RE = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u;
const QUOTED_RE = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/;

/**
 * Providers that document how their addresses compare: Gmail ignores dots and case in the local part and
 * delivers `name+anything` to `name` (Google's Gmail Help, "dots don't matter" and "+" aliases), and
 * googlemail.com is the same mailbox. Other local parts stay as written, as RFC 5321 requires.
 */
function mailboxIdentity(local: string, domain: string): { identity: string; provider: string | null } {
  if (domain === 'gmail.com' || domain === 'googlemail.com') {
    const base = local.split('+')[0] as string;
    return { identity: `${base.replace(/\./g, '').toLowerCase()}@gmail.com`, provider: 'gmail' };
  }
  return { identity: `${local}@${domain}`, provider: null };
}

/** Normalizes an e-mail address: domain IDNA-normalized and lower-cased, local part kept as written. */
export function normalizeEmail(value: string): Indicator {
  let text = stripPrefix(value, ['mailto']) ?? value;
  const query = text.indexOf('?');
  if (query !== -1 && !text.startsWith('"')) text = text.slice(0, query);
  const at = text.lastIndexOf('@');
  if (at <= 0 || at === text.length - 1) {
    throw new IndicatorError('INVALID_EMAIL', `“${value.slice(0, 80)}” is not an e-mail address (name@domain).`, 'NO_AT');
  }
  const local = text.slice(0, at);
  if (local.length > 64 || !(DOT_ATOM_RE.test(local) || QUOTED_RE.test(local))) {
    throw new IndicatorError('INVALID_EMAIL', `The part before @ in “${value.slice(0, 80)}” is not valid.`, 'BAD_LOCAL_PART');
  }
  let domain: string;
  try {
    domain = toAsciiDomain(text.slice(at + 1));
  } catch (error) {
    if (!(error instanceof IndicatorError)) throw error;
    throw new IndicatorError('INVALID_EMAIL', `The domain of “${value.slice(0, 80)}” is not valid: ${error.message}`, 'BAD_DOMAIN');
  }
  const canonical = `${local}@${domain}`;
  const { identity, provider } = mailboxIdentity(local, domain);
  return {
    kind: 'email',
    canonical,
    key: makeKey('email', identity),
    display: domain.includes('xn--') ? `${local}@${toUnicode(domain, {}).domain}` : canonical,
    details: { local, domain, registrableDomain: domainParts(domain).registrableDomain, provider },
  };
}
