import { electronicFormatIBAN, friendlyFormatIBAN, isValidIBAN } from 'ibantools';
import { IndicatorError, makeKey, type Indicator } from './indicator.types.js';

/** Hong Kong bank codes (HKICL clearing member codes) of banks commonly named in scam reports. */
const HK_BANKS: Record<string, string> = {
  '003': 'Standard Chartered Bank (Hong Kong)',
  '004': 'The Hongkong and Shanghai Banking Corporation',
  '009': 'China Construction Bank (Asia)',
  '012': 'Bank of China (Hong Kong)',
  '015': 'The Bank of East Asia',
  '016': 'DBS Bank (Hong Kong)',
  '018': 'China CITIC Bank International',
  '020': 'CMB Wing Lung Bank',
  '024': 'Hang Seng Bank',
  '025': 'Shanghai Commercial Bank',
  '028': 'Public Bank (Hong Kong)',
  '035': 'OCBC Bank (Hong Kong)',
  '039': 'Chiyu Banking Corporation',
  '040': 'Dah Sing Bank',
  '041': 'Chong Hing Bank',
  '043': 'Nanyang Commercial Bank',
  '072': 'Industrial and Commercial Bank of China (Asia)',
  '128': 'Fubon Bank (Hong Kong)',
  '250': 'Citibank (Hong Kong)',
  '382': 'Bank of Communications (Hong Kong)',
  '387': 'ZA Bank',
  '388': 'Livi Bank',
  '389': 'Mox Bank',
  '390': 'WeLab Bank',
  '391': 'Fusion Bank',
  '392': 'PAObank',
  '393': 'Ant Bank (Hong Kong)',
  '395': 'Airstar Bank',
};

const IBAN_LIKE_RE = /^[A-Z]{2}[0-9]{2}[A-Z0-9 -]{8,}$/i;
const SEPARATORS_RE = /[\s.\-–—/]/g;
/** Bank code, branch code, then the account: 6 to 12 digits, suffixes included (banks differ). */
const HK_DIGITS_RE = /^(\d{3})(\d{3})(\d{6,12})$/;

/**
 * Normalizes a bank account: an IBAN (checked with mod-97 by ibantools) or a Hong Kong account as
 * `bank code - branch - account`, with or without separators. The key is country + digits only.
 */
export function normalizeBankAccount(value: string): Indicator {
  if (IBAN_LIKE_RE.test(value)) {
    const iban = electronicFormatIBAN(value) ?? '';
    if (!isValidIBAN(iban)) {
      throw new IndicatorError('INVALID_BANK_ACCOUNT', `“${value.slice(0, 60)}” looks like an IBAN but its check digits or length are wrong.`, 'BAD_IBAN');
    }
    return {
      kind: 'bank_account',
      canonical: iban,
      key: makeKey('bank_account', `iban:${iban}`),
      display: friendlyFormatIBAN(iban) ?? iban,
      details: { scheme: 'iban', country: iban.slice(0, 2), bankCode: null, bankName: null },
    };
  }
  const digits = value.replace(SEPARATORS_RE, '');
  const hk = HK_DIGITS_RE.exec(digits);
  if (hk === null) {
    throw new IndicatorError(
      'INVALID_BANK_ACCOUNT',
      `“${value.slice(0, 60)}” is neither an IBAN nor a Hong Kong account (3-digit bank code, 3-digit branch, account number).`,
      /^\d+$/.test(digits) ? 'BAD_LENGTH' : 'NOT_AN_ACCOUNT',
    );
  }
  const [, bank = '', branch = '', account = ''] = hk;
  const canonical = `${bank}-${branch}-${account}`;
  return {
    kind: 'bank_account',
    canonical,
    key: makeKey('bank_account', `hk:${bank}${branch}${account}`),
    display: canonical,
    details: { scheme: 'hk', country: 'HK', bankCode: bank, branchCode: branch, accountNumber: account, bankName: Object.hasOwn(HK_BANKS, bank) ? HK_BANKS[bank] : null },
  };
}
