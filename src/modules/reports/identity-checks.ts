/**
 * Check digits of the numbers that identify a reporter (a Hong Kong identity card, a payment card). Pure
 * arithmetic, used by the narrative screen (narrative-screen.ts) to tell them from the scam's own numbers.
 */

/**
 * The check character of an HKID's prefix (1 or 2 letters) and 6 digits, or null when the prefix is not one.
 * Eight positions weighted 9..2: a one-letter prefix is read as a space (36) then the letter; letters count
 * A=10..Z=35, digits their value. The check value makes the weighted sum with it (weight 1) divisible by 11;
 * 10 is written A. Only the value mod 11 matters, so the 36 or 58 some write for the space give the same.
 */
export function hkidCheckCharacter(prefix: string, digits: string): string | null {
  if (!/^[A-Za-z]{1,2}$/.test(prefix) || !/^\d{6}$/.test(digits)) return null;
  const letters = prefix.toUpperCase();
  const values = [...(letters.length === 1 ? [36] : []), ...[...letters].map((c) => c.charCodeAt(0) - 55), ...[...digits].map(Number)];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (values[i] as number) * (9 - i);
  const check = (11 - (sum % 11)) % 11;
  return check === 10 ? 'A' : String(check);
}

/** Whether an HKID (prefix, 6 digits, check character) has the right check character. */
export function isValidHkid(prefix: string, digits: string, check: string): boolean {
  return hkidCheckCharacter(prefix, digits) === check.toUpperCase();
}

/** The Luhn (mod 10) check that every payment card number passes. */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

export type CardNetwork = 'visa' | 'mastercard' | 'amex' | 'unionpay' | 'jcb' | 'discover';

/**
 * The networks whose cards people in Hong Kong hold, by issuer prefix, with the lengths they issue.
 * Narrower on purpose than a card-type library's table (Maestro's 12 to 19 digits under any 5 or 6,
 * Diners' 14): every length and prefix added is one more chance to mask a payee's bank account, which is
 * the scam's evidence. Lengths 13, 17 and 18 (old Visa, rare UnionPay) are left out for the same reason.
 */
const NETWORKS: readonly { network: CardNetwork; prefix: (p: number) => boolean; lengths: readonly number[] }[] = [
  { network: 'visa', prefix: (p) => Math.floor(p / 1000) === 4, lengths: [16, 19] },
  { network: 'mastercard', prefix: (p) => (p >= 5100 && p <= 5599) || (p >= 2221 && p <= 2720), lengths: [16] },
  { network: 'amex', prefix: (p) => Math.floor(p / 100) === 34 || Math.floor(p / 100) === 37, lengths: [15] },
  { network: 'unionpay', prefix: (p) => Math.floor(p / 100) === 62, lengths: [16, 19] },
  { network: 'jcb', prefix: (p) => p >= 3528 && p <= 3589, lengths: [16, 19] },
  { network: 'discover', prefix: (p) => p === 6011 || (p >= 6440 && p <= 6599), lengths: [16, 19] },
];

/** The network of a card number (digits only) that passes Luhn and has its network's prefix and length; else null. */
export function cardNetwork(digits: string): CardNetwork | null {
  if (!/^\d{15,19}$/.test(digits) || !passesLuhn(digits)) return null;
  const prefix = Number(digits.slice(0, 4));
  for (const n of NETWORKS) if (n.prefix(prefix) && n.lengths.includes(digits.length)) return n.network;
  return null;
}
