import type { ExtractedIndicator } from '../indicators/index.js';
import { maskValues } from './mask-values.js';

/**
 * What the scam classifier reads of a message: sparse features with a readable text each, so that every
 * weight the model learns can be shown to a person as "this word", "these two characters", "a link".
 *
 * Feature keys carry a one-letter kind so a Latin word and a Han character never collide:
 * `u:` one unit (a lower-cased word, one Han character, a value placeholder such as ⟨link⟩, or a sign such as £),
 * `b:` two adjacent units, `s:` a shape of the whole message (capitals, a long number, Chinese script), `v:` a
 * shape of a masked value (a link's domain ending, a phone number's type).
 */

/** A feature's key and its value in one message (tokens are 1: presence, not counts). */
export type FeatureVector = Map<string, number>;

// One unit: a value placeholder left by maskValues, one Han character, a run of other letters and digits, or a
// sign that scams lean on. Han is read per character because Chinese is written without spaces and the
// characters (and their pairs) are its words; a segmenter would add a dictionary for little gain here.
const UNIT = /⟨[a-z]+⟩|\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{M}\p{N}'])+|[£$€¥!?【]/gu;
const HAN = /^\p{Script=Han}$/u;
// Only whitespace between two units makes them a pair: a comma or a full stop ends the phrase.
const JOINS = /^\s*$/;
// Premium-rate short codes and call-back numbers survive masking only as ⟨n⟩; their length is the tell.
const LONG_NUMBER = /\d{5,}/;
const HAN_ANYWHERE = /\p{Script=Han}/u;

/** The feature of a message written (at least partly) in Chinese characters. */
export const HAN_FEATURE = 's:han';

/** The readable text of each shape feature, shown in signals. */
export const SHAPE_TEXT: Record<string, string> = {
  's:caps': '⟨mostly capitals⟩',
  's:longnum': '⟨number of 5+ digits⟩',
  's:han': '⟨Chinese text⟩',
};

/** The units of a masked message, with where each starts and ends (to tell which are adjacent). */
function units(masked: string): { unit: string; start: number; end: number }[] {
  const found: { unit: string; start: number; end: number }[] = [];
  for (const match of masked.matchAll(UNIT)) {
    const unit = match[0].replace(/^'+|'+$/g, '');
    if (unit === '') continue;
    found.push({ unit, start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/**
 * The features of a message: its values masked (links, phones, accounts and amounts differ from one copy of a
 * scam to the next, the wording does not), then units and pairs of adjacent units, then two shapes.
 */
export function featuresOf(text: string, region: string): FeatureVector {
  const features: FeatureVector = new Map();
  const { masked: raw, values } = maskValues(text, region);
  const masked = raw.normalize('NFKC').toLowerCase();
  const found = units(masked);
  for (let i = 0; i < found.length; i++) {
    const here = found[i]!;
    features.set(`u:${here.unit}`, 1);
    const next = found[i + 1];
    if (next !== undefined && JOINS.test(masked.slice(here.end, next.start))) features.set(`b:${here.unit} ${next.unit}`, 1);
  }
  for (const value of values) valueShapes(value, features);
  const letters = text.match(/\p{Lu}|\p{Ll}/gu) ?? [];
  if (letters.length >= 12) {
    const capitals = letters.filter((c) => c !== c.toLowerCase()).length / letters.length;
    if (capitals >= 0.5) features.set('s:caps', 1);
  }
  if (LONG_NUMBER.test(text)) features.set('s:longnum', 1);
  // Chinese and English messages get their own decision threshold through this feature's weight (see training).
  if (HAN_ANYWHERE.test(text)) features.set(HAN_FEATURE, 1);
  return features;
}

/**
 * What masking hides but still tells: the ending of a link's domain (.top, .vip) and a hyphen in it
 * (hsbc-hk-secure.com), and the type of a phone number (premium rate, mobile).
 */
function valueShapes(value: ExtractedIndicator, features: FeatureVector): void {
  const details = value.indicator.details as Record<string, unknown>;
  if (value.kind === 'url' || value.kind === 'domain') {
    if (typeof details.publicSuffix === 'string') features.set(`v:tld:${details.publicSuffix}`, 1);
    if (typeof details.registrableDomain === 'string' && details.registrableDomain.includes('-')) features.set('v:hyphen', 1);
  } else if (value.kind === 'phone' && typeof details.type === 'string') {
    features.set(`v:phone:${details.type.toLowerCase()}`, 1);
  }
}

/** The text a person reads for a feature key: the word, the two words, the Chinese characters, the placeholder. */
export function featureText(key: string): string {
  if (key.startsWith('s:')) return SHAPE_TEXT[key] ?? key;
  if (key === 'v:hyphen') return '⟨link with a hyphen in its domain⟩';
  if (key.startsWith('v:tld:')) return `⟨link ending .${key.slice(6)}⟩`;
  if (key.startsWith('v:phone:')) return `⟨${key.slice(8).replaceAll('_', ' ')} number⟩`;
  const body = key.slice(2);
  if (key.startsWith('u:')) return body;
  const [a = '', b = ''] = body.split(' ');
  // Two Han characters read as one word; anything next to a Latin word keeps its space.
  return HAN.test(a.slice(-1)) && HAN.test(b.slice(0, 1)) ? a + b : `${a} ${b}`;
}
