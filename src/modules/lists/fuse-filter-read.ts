/**
 * Reading a binary fuse filter (see fuse-filter.ts for what it is and how it is built): its wire form and the
 * look-up of a key's 64-bit hash. Free of Node's APIs, so that apps check numbers with this very code
 * (packages/client bundles it); the hash itself is SHA-256 of the filter's seed and the key, which each side
 * computes with its own crypto.
 */
export const FUSE_MAGIC = 0x53474246; // "SGBF"
export const FUSE_VERSION = 1;
export const FUSE_HEADER = 32;
export const FUSE_ARITY = 3;

export interface FuseFilter {
  /** 16 bytes, public: the first 8 bytes of SHA-256(seed ‖ key) are a key's hash. */
  seed: Uint8Array;
  segmentLength: number;
  segmentCount: number;
  fingerprints: Uint8Array;
}

/** The three positions of a key's hash, one in each of three consecutive segments. */
export function fusePositions(filter: Pick<FuseFilter, 'segmentLength' | 'segmentCount'>, hi: number, lo: number, out: Int32Array): void {
  const mask = filter.segmentLength - 1;
  const h0 = Math.floor((hi * filter.segmentCount * filter.segmentLength) / 2 ** 32);
  const h1 = h0 + filter.segmentLength;
  const h2 = h1 + filter.segmentLength;
  out[0] = h0;
  out[1] = h1 ^ ((lo >>> 18) & mask);
  out[2] = h2 ^ (lo & mask);
}

export const fuseFingerprint = (hi: number, lo: number): number => (hi ^ lo ^ (lo >>> 8) ^ (hi >>> 16)) & 0xff;

/** A key's hash as the filter reads it: the first two big-endian 32-bit words of SHA-256(seed ‖ key). */
export function fuseHashWords(digest: Uint8Array): [number, number] {
  const view = new DataView(digest.buffer, digest.byteOffset, 8);
  return [view.getUint32(0), view.getUint32(4)];
}

/** Whether the key of this hash may be in the set: always for a key that is, for 1 in 256 others. */
export function fuseFilterHasHash(filter: FuseFilter, hi: number, lo: number): boolean {
  const pos = new Int32Array(3);
  fusePositions(filter, hi, lo, pos);
  const f = filter.fingerprints;
  return fuseFingerprint(hi, lo) === ((f[pos[0] as number] as number) ^ (f[pos[1] as number] as number) ^ (f[pos[2] as number] as number));
}

/** The filter of its wire form: magic, version, segment length and count, the seed, then the fingerprints. */
export function decodeFuseFilter(bytes: Uint8Array): FuseFilter {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < FUSE_HEADER || view.getUint32(0) !== FUSE_MAGIC || view.getUint32(4) !== FUSE_VERSION) throw new Error('Not a Scamgraph filter of version 1.');
  const segmentLength = view.getUint32(8);
  const segmentCount = view.getUint32(12);
  if ((segmentLength & (segmentLength - 1)) !== 0 || segmentCount < 1 || bytes.length - FUSE_HEADER !== (segmentCount + FUSE_ARITY - 1) * segmentLength) throw new Error('The filter’s sizes do not add up.');
  return { seed: bytes.slice(16, 32), segmentLength, segmentCount, fingerprints: bytes.slice(FUSE_HEADER) };
}
