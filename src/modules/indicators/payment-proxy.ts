import { normalizeEmail } from './email.js';
import { IndicatorError, makeKey, type Indicator } from './indicator.types.js';
import { normalizePhone } from './phone.js';

const SCHEMES = ['fps', 'upi', 'paynow'] as const;
type Scheme = (typeof SCHEMES)[number];

const FPS_ID_RE = /^\d{7,9}$/;
// UPI virtual payment addresses: `name@handle`, the handle a bank's PSP name without dots.
const UPI_RE = /^[a-z0-9][a-z0-9._-]{1,255}@[a-z][a-z0-9]{1,63}$/i;
// PayNow UENs (ACRA formats): nnnnnnnnX, yyyynnnnnX, or TyyPQnnnnX for other entities.
const UEN_RE = /^(?:\d{8}[A-Z]|(?:19|20)\d{2}\d{5}[A-Z]|[TSR]\d{2}[A-Z]{2}\d{4}[A-Z])$/;

function proxy(scheme: Scheme, type: string, identifier: string, details: Record<string, unknown> = {}, identity = identifier): Indicator {
  const canonical = `${scheme}:${identifier}`;
  return { kind: 'payment_proxy', canonical, key: makeKey('payment_proxy', `${scheme}:${identity}`), display: canonical, details: { scheme, type, ...details } };
}

/** The FPS proxy of a phone number already normalized: one parse serves the proxy and the number. */
export function fpsPhoneProxy(phone: Indicator): Indicator {
  return proxy('fps', 'phone', phone.canonical, { phone: phone.canonical, region: (phone.details as { region: string | null }).region });
}

function invalid(value: string, why: string): IndicatorError {
  return new IndicatorError('INVALID_PAYMENT_PROXY', `“${value.slice(0, 80)}” ${why}.`);
}

function fpsProxy(identifier: string, original: string): Indicator {
  const compact = identifier.replace(/[\s-]/g, '');
  if (identifier.includes('@')) {
    const email = normalizeEmail(identifier);
    // Keyed like the e-mail itself, so a Gmail address registered with FPS matches however it is written.
    return proxy('fps', 'email', email.canonical, { email: email.canonical }, email.key.slice('email:'.length));
  }
  // FPS is Hong Kong's: an 8-digit value is a Hong Kong phone number when it is one (FPS phone proxy),
  // whatever the default region; FPS IDs are 7 to 9 digits.
  if (compact.startsWith('+') || (compact.length === 8 && /^\d+$/.test(compact))) {
    try {
      return fpsPhoneProxy(normalizePhone(compact, 'HK'));
    } catch (error) {
      if (compact.startsWith('+')) throw invalid(original, `is not a valid phone number for FPS: ${(error as Error).message.replace(/\.$/, '')}`);
    }
  }
  if (FPS_ID_RE.test(compact)) return proxy('fps', 'fps_id', compact);
  throw invalid(original, 'is not an FPS ID (7 to 9 digits), nor a phone number or e-mail registered with FPS');
}

/**
 * Normalizes a payment proxy ID to `scheme:identifier`: Hong Kong FPS (FPS ID, or a phone or e-mail proxy
 * normalized as such: `fps:+85291234567`), India's UPI VPA (`upi:name@okaxis`, lower case) and Singapore's
 * PayNow UEN (`paynow:201912345K`). Without a scheme: 7–9 digits, a phone or an e-mail are FPS; `name@bank`
 * with a dotless handle is UPI; a UEN pattern is PayNow.
 */
export function normalizePaymentProxy(value: string): Indicator {
  const colon = value.indexOf(':');
  const head = colon > 0 ? value.slice(0, colon).toLowerCase() : '';
  const scheme = (SCHEMES as readonly string[]).includes(head) ? (head as Scheme) : null;
  const identifier = (scheme === null ? value : value.slice(colon + 1)).trim();
  if (identifier === '') throw invalid(value, 'has no identifier after the scheme');

  if (scheme === 'upi' || (scheme === null && UPI_RE.test(identifier))) {
    if (!UPI_RE.test(identifier)) throw invalid(value, 'is not a UPI address (name@bank)');
    return proxy('upi', 'vpa', identifier.toLowerCase());
  }
  if (scheme === 'paynow' || (scheme === null && UEN_RE.test(identifier.toUpperCase()))) {
    const uen = identifier.toUpperCase();
    if (UEN_RE.test(uen)) return proxy('paynow', 'uen', uen);
    if (scheme === 'paynow' && /^\+?65/.test(identifier.replace(/\s/g, ''))) {
      const phone = normalizePhone(identifier, 'SG');
      return proxy('paynow', 'phone', phone.canonical, { phone: phone.canonical });
    }
    throw invalid(value, 'is not a PayNow UEN or Singapore mobile number');
  }
  return fpsProxy(identifier, value);
}
