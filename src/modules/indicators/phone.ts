import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
} from 'libphonenumber-js/max';
import { IndicatorError, makeKey, type Indicator } from './indicator.types.js';
import { lineType } from './phone-type.js';
import { stripPrefix } from './text.js';

// The "max" metadata: line types (mobile, fixed line, VoIP, premium rate) need it, and scam triage uses them.

const REASON_TEXT: Record<string, string> = {
  NOT_A_NUMBER: 'is not a phone number',
  INVALID_COUNTRY: 'has no country code and no region to read it in',
  TOO_SHORT: 'is too short to be a phone number',
  TOO_LONG: 'is too long to be a phone number',
  INVALID_LENGTH: 'has a length no number in its region has',
  NOT_IN_PLAN: 'is not in any range of its numbering plan',
};

/** True when `region` is an ISO 3166-1 alpha-2 code that libphonenumber knows. */
export function isSupportedRegion(region: string): region is CountryCode {
  return /^[A-Z]{2}$/.test(region) && isSupportedCountry(region);
}

const BRACKETED_CODE_RE = /^\s*\(\+(\d{1,4})\)/;
const DOUBLE_ZERO_RE = /^[\s(]*00[\s.-]*(?=[1-9])/;

type PhoneNumber = NonNullable<ReturnType<typeof parsePhoneNumberFromString>>;

/** The number's line type, null when valid but untyped, undefined when not valid (see phone-type.ts). */
function validType(number: PhoneNumber): string | null | undefined {
  return lineType(number.country, number.countryCallingCode, number.nationalNumber);
}

/**
 * Parses with the region's own international prefix, but reads a leading `00` as `+` first: `00852…` is how
 * most of the world writes an international number, yet Hong Kong's dialling plan would take `008` as its
 * prefix and read the rest as a Mexican number.
 */
function parse(raw: string, region: CountryCode): PhoneNumber | undefined {
  // `(+852) 9123 4567`: a country code in brackets, as many people write it.
  const text = raw.includes('(+') ? raw.replace(BRACKETED_CODE_RE, '+$1 ') : raw;
  if (DOUBLE_ZERO_RE.test(text)) {
    const international = parsePhoneNumberFromString(text.replace(DOUBLE_ZERO_RE, '+'), { extract: false });
    if (international !== undefined && validType(international) !== undefined) return international;
  }
  return parsePhoneNumberFromString(text, { defaultCountry: region, extract: false });
}

function phoneIndicator(number: PhoneNumber, type: string | null): Indicator {
  const e164 = number.number;
  let display: string | undefined;
  return {
    kind: 'phone',
    canonical: e164,
    key: makeKey('phone', e164),
    // Formatting costs as much as a fifth of normalizing, and bulk checks and imports only need the key: the
    // display form is made when first read (JSON.stringify and spreads read it like any property).
    get display() {
      return (display ??= number.formatInternational());
    },
    details: {
      region: number.country ?? null,
      countryCallingCode: number.countryCallingCode,
      nationalNumber: number.nationalNumber,
      type,
      extension: number.ext ?? null,
    },
  };
}

/** The phone indicator of `text`, or null when it is not a valid number; for scanning text without exceptions. */
export function readPhone(text: string, region: CountryCode): Indicator | null {
  const { number, type } = parseValid(text, region);
  return number === undefined || type === undefined ? null : phoneIndicator(number, type);
}

/** The parsed number (if it parses) and its line type (undefined when it is not valid). */
function parseValid(text: string, region: CountryCode): { number: PhoneNumber | undefined; type: string | null | undefined } {
  const number = text.length <= 64 ? parse(text, region) : undefined;
  return { number, type: number === undefined ? undefined : validType(number) };
}

/**
 * Normalizes a phone number to E.164 with libphonenumber-js. Numbers written without a country code are
 * read in `region`; `00`-style international prefixes and `tel:` links work. Impossible numbers are rejected
 * with the reason (too short, too long, not in the numbering plan).
 */
export function normalizePhone(value: string, region: CountryCode): Indicator {
  const text = stripPrefix(value, ['tel', 'callto', 'phone']) ?? value;
  const { number, type } = parseValid(text, region);
  if (number === undefined || type === undefined) {
    const reason = text.length > 64 ? 'TOO_LONG' : (validatePhoneNumberLength(text, region) ?? (number ? 'NOT_IN_PLAN' : 'NOT_A_NUMBER'));
    const where = number?.country ?? (text.trim().startsWith('+') ? null : region);
    throw new IndicatorError(
      'INVALID_PHONE',
      `“${value.slice(0, 40)}” ${REASON_TEXT[reason] ?? 'is not a valid phone number'}${where ? ` (read as a ${where} number)` : ''}.`,
      reason,
    );
  }
  return phoneIndicator(number, type);
}
