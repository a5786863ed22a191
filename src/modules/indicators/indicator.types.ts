import { AppError, type ErrorCode } from '../../errors.js';

/** Every kind of indicator Scamgraph knows (product.md, "What it can check"). */
export const INDICATOR_KINDS = [
  'phone',
  'url',
  'domain',
  'email',
  'bank_account',
  'payment_proxy',
  'crypto_wallet',
  'social_account',
  'ip',
  'sms_sender',
] as const;

export type IndicatorKind = (typeof INDICATOR_KINDS)[number];

/** The normal form of one indicator. `key` is the single lookup key used by every later stage. */
export interface Indicator {
  kind: IndicatorKind;
  /** The canonical value: normalizing it again returns it unchanged. */
  canonical: string;
  /** `${kind}:${identity}`: unique across kinds, equal for values that name the same thing. */
  key: string;
  /** What a person is shown (links are defanged so nobody clicks them by accident). */
  display: string;
  details: Record<string, unknown>;
}

export interface NormalizeOptions {
  /** ISO 3166-1 alpha-2 region for numbers written without a country code. Default HK. */
  region?: string;
}

export const DEFAULT_REGION = 'HK';

/** Longest value normalize accepts; longer input is refused before any parsing work. */
export const MAX_VALUE_LENGTH = 65536;

/** The only error normalize throws: a stable code, a message for people, and a machine reason where one helps. */
export class IndicatorError extends AppError {
  readonly reason: string | undefined;

  constructor(code: ErrorCode, message: string, reason?: string) {
    // An invalid value is an expected answer, not a bug: capturing a stack trace for it would be most of the
    // cost of rejecting a value in bulk normalization.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(code, message);
    Error.stackTraceLimit = stackTraceLimit;
    this.name = 'IndicatorError';
    this.reason = reason;
  }

  override toJSON(): { code: ErrorCode; message: string; reason?: string } {
    return this.reason === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, reason: this.reason };
  }
}

export function isIndicatorKind(value: string): value is IndicatorKind {
  return (INDICATOR_KINDS as readonly string[]).includes(value);
}

export function makeKey(kind: IndicatorKind, identity: string): string {
  return `${kind}:${identity}`;
}
