/**
 * Rice-Golomb delta coding as Safe Browsing v4 sends hash prefixes and removal indices
 * (developers.google.com/safe-browsing/v4/compression): ascending integers become the first value and the
 * differences between neighbours; each difference d is written as q = d >> k one-bits, a zero bit, then the
 * k low bits of d. Bits are packed least significant first within each byte, the first byte first (the
 * bit order of DEFLATE, RFC 1951 §3.1.1).
 */
export interface RiceDeltaEncoding {
  firstValue: number;
  riceParameter: number;
  /** How many differences follow the first value (0 when only one value was encoded). */
  numEntries: number;
  encodedData: Uint8Array;
}

export class RiceError extends Error {}

/**
 * The Rice parameter for these differences: the bit length of their mean, which keeps the unary part of an
 * average difference at one or two bits. 2–28 are the values Google's own server sends.
 */
function parameterFor(deltas: number[]): number {
  if (deltas.length === 0) return 0;
  const mean = deltas.reduce((sum, d) => sum + d, 0) / deltas.length;
  return Math.min(28, Math.max(2, Math.floor(Math.log2(Math.max(1, mean)))));
}

/** The bit stream of differences under parameter k. */
export function riceEncodeDeltas(deltas: readonly number[], k: number): Buffer {
  const bits = deltas.reduce((sum, d) => sum + Math.floor(d / 2 ** k) + 1 + k, 0);
  const out = Buffer.alloc(Math.ceil(bits / 8));
  let at = 0;
  const put = (bit: number): void => {
    if (bit !== 0) out[at >> 3] = (out[at >> 3] as number) | (1 << (at & 7));
    at++;
  };
  for (const d of deltas) {
    for (let q = Math.floor(d / 2 ** k); q > 0; q--) put(1);
    put(0);
    for (let i = 0; i < k; i++) put(Math.floor(d / 2 ** i) & 1);
  }
  return out;
}

/** Reads `count` differences under parameter k; refuses data that is cut short or has whole bytes left over. */
export function riceDecodeDeltas(data: Uint8Array, k: number, count: number): number[] {
  if (!Number.isInteger(k) || k < 0 || k > 32) throw new RiceError(`The Rice parameter ${k} is not in 0–32.`);
  if (!Number.isInteger(count) || count < 0) throw new RiceError('The number of entries is not a count.');
  let at = 0;
  const end = data.length * 8;
  const bit = (): number => {
    if (at >= end) throw new RiceError('The Rice-coded data ends early.');
    const b = ((data[at >> 3] as number) >> (at & 7)) & 1;
    at++;
    return b;
  };
  const deltas: number[] = [];
  for (let n = 0; n < count; n++) {
    let q = 0;
    while (bit() === 1) q++;
    let r = 0;
    for (let i = 0; i < k; i++) r += bit() * 2 ** i;
    deltas.push(q * 2 ** k + r);
  }
  if (end - at >= 8) throw new RiceError('The Rice-coded data has whole bytes left over.');
  return deltas;
}

/** Encodes ascending unsigned 32-bit integers (hash prefixes read as little-endian integers, or indices). */
export function riceEncode(values: readonly number[]): RiceDeltaEncoding & { encodedData: Buffer } {
  if (values.length === 0) throw new RiceError('Rice coding needs at least one value.');
  const deltas: number[] = [];
  for (let i = 1; i < values.length; i++) {
    const d = (values[i] as number) - (values[i - 1] as number);
    if (d < 0 || !Number.isInteger(d)) throw new RiceError('Rice coding needs integers in ascending order.');
    deltas.push(d);
  }
  const k = parameterFor(deltas);
  return { firstValue: values[0] as number, riceParameter: k, numEntries: deltas.length, encodedData: riceEncodeDeltas(deltas, k) };
}

/** The ascending integers riceEncode (or a Safe Browsing server) wrote. */
export function riceDecode(encoding: RiceDeltaEncoding): number[] {
  const values = [encoding.firstValue];
  for (const d of riceDecodeDeltas(encoding.encodedData, encoding.riceParameter, encoding.numEntries)) {
    const value = (values[values.length - 1] as number) + d;
    if (value > 0xffffffff) throw new RiceError('A Rice-coded value passes 2^32.');
    values.push(value);
  }
  return values;
}
