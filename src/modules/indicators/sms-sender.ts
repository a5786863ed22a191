import { IndicatorError, makeKey, type Indicator } from './indicator.types.js';

// Alphanumeric sender IDs are at most 11 characters (GSM 03.38); Hong Kong's registered senders add a `#`.
// Numeric senders (short codes, long numbers) go up to 15 digits.
const SENDER_RE = /^#?(?:[A-Za-z0-9][A-Za-z0-9 &._'-]{0,10}|\d{3,15})$/;
/** The characters of an alphanumeric sender ID written without spaces, as detection reads one. */
const BARE_SENDER_RE = /^[A-Za-z0-9][A-Za-z0-9&._-]{1,10}$/;

/**
 * Whether a bare value (no `#`, no kind stated) has the shape of an alphanumeric SMS sender ID: up to 11
 * letters, digits and `&._-`, written in capitals (two or more: `HSBC`, `HKPost`, `M&S`, `HSBC-Alert`) or
 * mixing letters and digits (`DBS1`, `Info123`). Senders are brand names in capitals, or codes with digits;
 * a word in lower case or with only an initial capital (`hello`, `Bank`, `well-known`) is a word, and is
 * never taken for an indicator unless the kind is stated. Registered senders (`#HSBC`) and numeric ones
 * (short codes) are recognised by their `#` and their digits before this is asked.
 */
export function hasSenderShape(value: string): boolean {
  if (!BARE_SENDER_RE.test(value)) return false;
  const letters = /[A-Za-z]/.test(value);
  const digits = /\d/.test(value);
  return (letters && digits) || (value.match(/[A-Z]/g)?.length ?? 0) >= 2;
}

/** Normalizes an SMS sender ID: kept as sent (trimmed), with a case-folded key. `#` marks a registered sender. */
export function normalizeSmsSender(value: string): Indicator {
  const sender = value.replace(/\s+/g, ' ');
  if (!SENDER_RE.test(sender) || !/[A-Za-z0-9]/.test(sender)) {
    throw new IndicatorError(
      'INVALID_SMS_SENDER',
      `“${value.slice(0, 40)}” is not an SMS sender ID (up to 11 letters and digits, or a number; registered senders start with #).`,
    );
  }
  return {
    kind: 'sms_sender',
    canonical: sender,
    key: makeKey('sms_sender', sender.toLowerCase()),
    display: sender,
    details: { registered: sender.startsWith('#'), numeric: /^#?\d+$/.test(sender) },
  };
}
