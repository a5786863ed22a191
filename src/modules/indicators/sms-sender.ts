import { IndicatorError, makeKey, type Indicator } from './indicator.types.js';

// Alphanumeric sender IDs are at most 11 characters (GSM 03.38); Hong Kong's registered senders add a `#`.
// Numeric senders (short codes, long numbers) go up to 15 digits.
const SENDER_RE = /^#?(?:[A-Za-z0-9][A-Za-z0-9 &._'-]{0,10}|\d{3,15})$/;

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
