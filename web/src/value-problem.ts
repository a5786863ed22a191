import type { TFunction } from 'i18next';

/** The kind each refusal of a value names (src/errors.ts), to say in the reader's language what it is not. */
const KIND_OF_CODE: Record<string, string> = {
  INVALID_PHONE: 'phone',
  INVALID_URL: 'url',
  INVALID_DOMAIN: 'domain',
  INVALID_EMAIL: 'email',
  INVALID_BANK_ACCOUNT: 'bank_account',
  INVALID_PAYMENT_PROXY: 'payment_proxy',
  INVALID_CRYPTO_WALLET: 'crypto_wallet',
  INVALID_SOCIAL_ACCOUNT: 'social_account',
  INVALID_IP: 'ip',
  INVALID_SMS_SENDER: 'sms_sender',
};

/**
 * Why a value typed into the check or the report wizard was refused, in the chosen language, from the API's
 * stable code (its own message is English only): not recognised at all, not valid as the kind it looks like
 * or was said to be, too long, or too many requests.
 */
export function valueProblem(code: string, value: string, t: TFunction): string {
  const shown = value.length > 60 ? `${value.slice(0, 60)}…` : value;
  const kind = KIND_OF_CODE[code];
  if (kind !== undefined) return t('problem.invalid', { value: shown, kind: t(`kind.${kind}`) });
  if (code === 'UNRECOGNIZED' || code === 'EMPTY_INPUT' || code === 'INPUT_TOO_LONG' || code === 'RATE_LIMITED') return t(`problem.${code}`, { value: shown });
  return t('problem.other', { value: shown });
}
