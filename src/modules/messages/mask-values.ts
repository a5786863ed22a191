import { extract, type ExtractedIndicator, type IndicatorKind } from '../indicators/index.js';

/** The placeholder that stands for a value of each kind in a masked text. */
export const PLACEHOLDER: Record<IndicatorKind | 'number', string> = {
  phone: '⟨phone⟩',
  url: '⟨link⟩',
  domain: '⟨link⟩',
  email: '⟨email⟩',
  ip: '⟨link⟩',
  bank_account: '⟨account⟩',
  payment_proxy: '⟨account⟩',
  crypto_wallet: '⟨wallet⟩',
  social_account: '⟨handle⟩',
  sms_sender: '⟨sender⟩',
  number: '⟨n⟩',
};

export interface MaskedText {
  /** The text with each value found in it replaced by its kind's placeholder, and every other run of digits by ⟨n⟩. */
  masked: string;
  /** The values, in the order they appear. */
  values: ExtractedIndicator[];
}

// Amounts, codes, dates and times: runs of digits with their separators (1,200.50 · 12:30 · 2026-07-04).
const DIGIT_RUN = /\d(?:[\d,.:/-]*\d)?/g;

/**
 * A message with its values masked: the template that scams send with different links, numbers, accounts and
 * amounts. What stays is the wording, which is what the classifier and the campaign grouping read; the values
 * are returned beside it, as the evidence they are.
 */
export function maskValues(text: string, region: string): MaskedText {
  const values = extract(text, { region });
  let masked = '';
  let at = 0;
  for (const value of values) {
    if (value.start < at) continue; // overlapping finds: the first one wins
    masked += text.slice(at, value.start).replace(DIGIT_RUN, PLACEHOLDER.number) + PLACEHOLDER[value.kind];
    at = value.end;
  }
  masked += text.slice(at).replace(DIGIT_RUN, PLACEHOLDER.number);
  return { masked, values };
}
