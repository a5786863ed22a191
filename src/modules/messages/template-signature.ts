import { maskValues } from './mask-values.js';

/**
 * The template of a message and its MinHash signature: what the campaign grouping compares. Two messages sent
 * from the same scam template with different links, numbers, amounts and a few changed words (a name, a
 * synonym) get templates whose shingle sets overlap heavily, and MinHash estimates that overlap (Jaccard) from
 * fixed-size signatures, so the index never has to keep or compare the texts.
 */

/** Hash functions per signature. 128 keeps the Jaccard estimate within about ±0.09 (2σ) at 0.6 and splits into 32 bands of 4 rows. */
export const SIGNATURE_LENGTH = 128;

/**
 * Bumped whenever normalization, shingling or hashing changes: stored signatures of another version are not
 * comparable with new ones and must be recomputed from the texts before the index is rebuilt.
 */
export const SIGNATURE_VERSION = 1;

/** Word n-grams for alphabetic script: bigrams survive a changed word better than trigrams, and kept campaigns as far apart on the labelled set. */
export const WORD_SHINGLE = 2;
/** Character n-grams for Han script: one Han character carries less than a word, so a window of three. */
export const HAN_SHINGLE = 3;

export interface TemplateSignature {
  /** The masked, normalized text: lower case, values as placeholders, emoji and punctuation folded away. */
  template: string;
  /** How many distinct shingles the signature was computed from (0 for a text with no words). */
  shingles: number;
  /** MinHash: for each of SIGNATURE_LENGTH hash functions, the least hash over the shingles. */
  signature: Uint32Array;
}

const PLACEHOLDER = /⟨[a-z]+⟩/y;
// Han ideographs (and kana, hangul) are shingled by character: these scripts put no spaces between words.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
// A capitalized word inside a sentence (after a word or value and only spaces or a comma, on the same line) is a
// name far more often than not: "Hi Amy", "I'm Kelvin", "Professor Chan", "Dear Hang Seng Bank customer". It
// becomes ⟨name⟩ so that copies addressed to other people agree; a word opening a sentence or line stays.
const CAPITALIZED = /^\p{Lu}\p{Ll}+$/u;
const NAME_GAP = /^,?[ \t]+$/;

const GAP = 0;
const WORD = 1;
const CJK_CHAR = 2;
const APOSTROPHE = 3;
// Character classes, computed once per code point: the scan is the hot path of every message.
const classes = new Map<number, number>();
function classOf(cp: number): number {
  if (cp < 128) return (cp >= 48 && cp <= 57) || ((cp | 32) >= 97 && (cp | 32) <= 122) ? WORD : cp === 39 ? APOSTROPHE : GAP;
  let c = classes.get(cp);
  if (c === undefined) {
    const ch = String.fromCodePoint(cp);
    c = cp === 0x2019 ? APOSTROPHE : CJK.test(ch) ? CJK_CHAR : WORD_CHAR.test(ch) ? WORD : GAP;
    if (classes.size < 65536) classes.set(cp, c);
  }
  return c;
}

interface Token {
  text: string;
  cjk: boolean;
  /** Whether something (space, punctuation, emoji) separated it from the token before. */
  gap: boolean;
}

/**
 * Splits a masked text into lower-cased tokens: placeholders, single CJK characters and words (an apostrophe
 * between letters is dropped, so "don't" and "dont" agree); everything else is a gap.
 */
function tokenize(masked: string): Token[] {
  const tokens: Token[] = [];
  let gapStart = 0;
  let i = 0;
  const n = masked.length;
  while (i < n) {
    const cp = masked.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const gap = i > gapStart;
    if (cp === 0x27e8) {
      PLACEHOLDER.lastIndex = i;
      const found = PLACEHOLDER.exec(masked)?.[0];
      if (found !== undefined) {
        tokens.push({ text: found, cjk: false, gap });
        gapStart = i += found.length;
        continue;
      }
    }
    const c = classOf(cp);
    if (c === CJK_CHAR) {
      tokens.push({ text: masked.slice(i, i + width), cjk: true, gap });
      gapStart = i += width;
    } else if (c === WORD) {
      let end = i + width;
      let apostrophes = false;
      while (end < n) {
        const next = masked.codePointAt(end)!;
        const k = classOf(next);
        if (k === WORD) end += next > 0xffff ? 2 : 1;
        else if (k === APOSTROPHE && end + 1 < n && classOf(masked.codePointAt(end + 1)!) === WORD) (apostrophes = true), end++;
        else break;
      }
      const word = masked.slice(i, end);
      const prev = tokens[tokens.length - 1];
      const name = !apostrophes && prev !== undefined && CAPITALIZED.test(word) && NAME_GAP.test(masked.slice(gapStart, i));
      tokens.push({ text: name ? '⟨name⟩' : (apostrophes ? word.replace(/['’]/g, '') : word).toLowerCase(), cjk: false, gap });
      gapStart = i = end;
    } else i += width;
  }
  return foldCodes(tokens);
}

const isPlaceholder = (t: Token | undefined): boolean => t !== undefined && t.text.startsWith('⟨');
const isWord = (t: Token | undefined): boolean => t !== undefined && !t.cjk && !isPlaceholder(t);

// A short word glued to a number placeholder ("hk⟨n⟩", "⟨n⟩pm", "rp⟨n⟩kd") is a reference code, a time or an
// amount: its letters vary with the value, so the whole word becomes one ⟨n⟩. Repeated placeholders then count
// once ("⟨n⟩ ⟨n⟩", "⟨link⟩ ⟨link⟩"), as lists of values vary in length between copies of a template.
function foldCodes(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let k = 0; k < tokens.length; k++) {
    let t = tokens[k]!;
    if (t.text === '⟨n⟩') {
      const prev = out[out.length - 1];
      if (isWord(prev) && !t.gap && prev!.text.length <= 4) t = { text: '⟨n⟩', cjk: false, gap: out.pop()!.gap };
      while (isWord(tokens[k + 1]) && !tokens[k + 1]!.gap) k++;
    }
    const prev = out[out.length - 1];
    if (isPlaceholder(t) && prev?.text === t.text) continue;
    out.push(t);
  }
  return out;
}

/** The readable template: tokens joined by one space wherever the text had a gap or a word boundary. */
function render(tokens: Token[]): string {
  let s = '';
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    const prev = tokens[k - 1];
    if (prev && (t.gap || (isWord(t) && isWord(prev)))) s += ' ';
    s += t.text;
  }
  return s;
}

/** FNV-1a over the UTF-16 code units of a token. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** murmur3's finalizer: a cheap bijection on 32 bits with full avalanche. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// One fixed seed per hash function, derived from constants (no Math.random): signatures agree across runs and machines.
const SEEDS = Int32Array.from({ length: SIGNATURE_LENGTH }, (_, i) => fmix32(Math.imul(i + 1, 0x9e3779b9)));

/** The hashes of a token sequence's shingles: each an order-sensitive combination of its tokens' hashes. */
function shingleHashes(tokens: Token[]): Set<number> {
  const th = tokens.map((t) => fnv1a(t.text));
  const out = new Set<number>();
  if (tokens.length === 0) return out;
  for (let i = 0; i < tokens.length; i++) {
    const n = tokens[i]!.cjk ? HAN_SHINGLE : WORD_SHINGLE;
    // Very short texts: one shingle of all their tokens, so they match only a text with the same template.
    if (i + n > tokens.length && i > 0) break;
    let h = 0x2545f491 ^ n;
    for (let j = i; j < Math.min(i + n, tokens.length); j++) h = fmix32(Math.imul(h, 31) ^ th[j]!);
    out.add(h | 0); // int32, which V8 keeps as a small integer (a uint32 above 2^31 would be boxed)
  }
  return out;
}

/** The MinHash of a set of 32-bit shingle hashes; the empty set gives all 0xffffffff (see `isEmptySignature`). */
function minHash(hashes: Set<number>): Uint32Array {
  const shingles = Int32Array.from(hashes);
  const sig = new Uint32Array(SIGNATURE_LENGTH);
  for (let i = 0; i < SIGNATURE_LENGTH; i++) {
    const seed = SEEDS[i]!;
    // murmur3's finalizer of (shingle ^ seed), in int32 (unboxed) with the sign bit flipped, so that a signed
    // comparison orders as the unsigned values do.
    let least = 0x7fffffff;
    for (let k = 0; k < shingles.length; k++) {
      let v = shingles[k]! ^ seed;
      v = Math.imul(v ^ (v >>> 16), 0x85ebca6b);
      v = Math.imul(v ^ (v >>> 13), 0xc2b2ae35);
      v = v ^ (v >>> 16) ^ 0x80000000;
      if (v < least) least = v;
    }
    sig[i] = least ^ 0x80000000;
  }
  return sig;
}

/**
 * The template of a message and its MinHash signature. Normalization: NFKC, values masked by `maskValues`
 * (links, phones, accounts, e-mails, handles; other digit runs as ⟨n⟩), capitalized words inside a sentence
 * as ⟨name⟩ (names of people, which `maskValues` leaves; a Han name changes only a few trigrams), lower case,
 * emoji and punctuation dropped, whitespace folded, codes glued to numbers folded into ⟨n⟩, repeated
 * placeholders collapsed.
 * Shingles: word bigrams in alphabetic text, character trigrams in Han text, across script changes in mixed
 * text. A text with fewer tokens than a shingle gets one shingle of the whole, so it matches only its exact
 * template; a text with no tokens at all gets an empty signature that matches nothing.
 */
export function templateOf(text: string, region = 'HK'): TemplateSignature {
  const tokens = tokenize(maskValues(text.normalize('NFKC'), region).masked);
  const hashes = shingleHashes(tokens);
  return { template: render(tokens), shingles: hashes.size, signature: minHash(hashes) };
}

/** Whether a signature is that of a text with no words (it must never join a campaign). */
export function isEmptySignature(signature: Uint32Array): boolean {
  return signature.every((v) => v === 0xffffffff);
}

/** The estimated Jaccard similarity of the shingle sets behind two signatures: the share of equal slots. */
export function estimatedSimilarity(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length) throw new RangeError(`signatures of different lengths (${a.length}, ${b.length})`);
  if (isEmptySignature(a) || isEmptySignature(b)) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** A signature as bytes for storage: little-endian 32-bit words, whatever the machine's byte order. */
export function signatureToBytes(signature: Uint32Array): Uint8Array {
  const bytes = new Uint8Array(signature.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < signature.length; i++) view.setUint32(i * 4, signature[i]!, true);
  return bytes;
}

/** The signature stored by `signatureToBytes`; throws on bytes that cannot be one. */
export function signatureFromBytes(bytes: Uint8Array): Uint32Array {
  if (bytes.length !== SIGNATURE_LENGTH * 4) throw new RangeError(`a signature is ${SIGNATURE_LENGTH * 4} bytes, not ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Uint32Array.from({ length: SIGNATURE_LENGTH }, (_, i) => view.getUint32(i * 4, true));
}
