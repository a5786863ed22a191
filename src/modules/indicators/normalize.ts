import type { CountryCode } from 'libphonenumber-js/max';
import type { ErrorCode } from '../../errors.js';
import { normalizeBankAccount } from './bank-account.js';
import { normalizeCryptoWallet } from './crypto-wallet.js';
import { normalizeDomain } from './domain.js';
import { normalizeEmail } from './email.js';
import {
  DEFAULT_REGION,
  IndicatorError,
  MAX_VALUE_LENGTH,
  isIndicatorKind,
  type Indicator,
  type IndicatorKind,
  type NormalizeOptions,
} from './indicator.types.js';
import { normalizeIp } from './ip.js';
import { normalizePaymentProxy } from './payment-proxy.js';
import { isSupportedRegion, normalizePhone } from './phone.js';
import { normalizeSmsSender } from './sms-sender.js';
import { normalizeSocialAccount } from './social-account.js';
import { prepareValue } from './text.js';
import { normalizeUrl } from './url.js';

const ERROR_CODES: Record<IndicatorKind, ErrorCode> = {
  phone: 'INVALID_PHONE',
  url: 'INVALID_URL',
  domain: 'INVALID_DOMAIN',
  email: 'INVALID_EMAIL',
  bank_account: 'INVALID_BANK_ACCOUNT',
  payment_proxy: 'INVALID_PAYMENT_PROXY',
  crypto_wallet: 'INVALID_CRYPTO_WALLET',
  social_account: 'INVALID_SOCIAL_ACCOUNT',
  ip: 'INVALID_IP',
  sms_sender: 'INVALID_SMS_SENDER',
};

const NORMALIZERS: Record<IndicatorKind, (value: string, region: CountryCode) => Indicator> = {
  phone: normalizePhone,
  url: normalizeUrl,
  domain: normalizeDomain,
  email: normalizeEmail,
  bank_account: normalizeBankAccount,
  payment_proxy: normalizePaymentProxy,
  crypto_wallet: normalizeCryptoWallet,
  social_account: (value, region) => normalizeSocialAccount(value, region, normalizeUrl),
  ip: normalizeIp,
  sms_sender: normalizeSmsSender,
};

const resolvedRegions = new Map<string | undefined, CountryCode>();

/** Validates a region option; throws INVALID_REGION. Valid answers are remembered (normalize is a hot path). */
export function resolveRegion(region: string | undefined): CountryCode {
  const known = resolvedRegions.get(region);
  if (known !== undefined) return known;
  const code = typeof region === 'string' || region === undefined ? (region ?? DEFAULT_REGION).toUpperCase() : '';
  if (!isSupportedRegion(code)) {
    throw new IndicatorError('INVALID_REGION', `“${String(region).slice(0, 20)}” is not a supported two-letter region code such as HK or US.`);
  }
  resolvedRegions.set(region, code);
  return code;
}

/**
 * Normalizes a raw value as the given kind: `{kind, canonical, key, display, details}`. Pasted forms are
 * accepted (defanged links, full-width characters, surrounding quotes and spaces). Throws IndicatorError and
 * nothing else; its code is the kind's INVALID_* code, or EMPTY_INPUT, INPUT_TOO_LONG, UNKNOWN_KIND,
 * INVALID_REGION.
 */
export function normalize(kind: IndicatorKind, raw: string, options: NormalizeOptions = {}): Indicator {
  if (!isIndicatorKind(kind)) {
    throw new IndicatorError('UNKNOWN_KIND', `“${String(kind).slice(0, 40)}” is not an indicator kind.`);
  }
  const region = resolveRegion(options?.region);
  if (typeof raw !== 'string') throw new IndicatorError('EMPTY_INPUT', 'The value must be text.');
  if (raw.length > MAX_VALUE_LENGTH) {
    throw new IndicatorError('INPUT_TOO_LONG', `The value is ${raw.length} characters long; at most ${MAX_VALUE_LENGTH} are accepted.`);
  }
  const value = prepareValue(raw);
  if (value === '') throw new IndicatorError('EMPTY_INPUT', 'The value is empty.');
  try {
    return NORMALIZERS[kind](value, region);
  } catch (error) {
    // Normalizers reuse each other (an FPS proxy is a phone, a WhatsApp account too): report under this kind.
    if (error instanceof IndicatorError) {
      if (error.code === ERROR_CODES[kind]) throw error;
      throw new IndicatorError(ERROR_CODES[kind], error.message, error.reason ?? error.code);
    }
    // A library failing on hostile input is still a value we cannot read, not a crash.
    throw new IndicatorError(ERROR_CODES[kind], `“${value.slice(0, 60)}” could not be read as ${kind.replace('_', ' ')}.`, 'UNPARSEABLE');
  }
}
