import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * TSIG (RFC 8945): shared-secret signatures on DNS messages, so that only the ISPs holding a key can transfer
 * the policy zone and they know the zone came from Scamgraph. HMAC-SHA-256/384/512 (§6: SHA-256 is mandatory;
 * MD5 and SHA-1 are not offered). Works on wire bytes: a request is verified over exactly the bytes it came in.
 */
export interface TsigKey {
  /** The key's name as both sides know it (lower case, no final dot). */
  name: string;
  algorithm: 'hmac-sha256' | 'hmac-sha384' | 'hmac-sha512';
  secret: Buffer;
}

const HASH = { 'hmac-sha256': 'sha256', 'hmac-sha384': 'sha384', 'hmac-sha512': 'sha512' } as const;
const TSIG_TYPE = 250;
const CLASS_ANY = 255;
/** §5.2.3: seconds of clock difference allowed (the recommended 300). */
const FUDGE = 300;
export const TSIG_ERROR = { BADSIG: 16, BADKEY: 17, BADTIME: 18 } as const;

/** `hmac-sha256:name:base64secret` (dig's `-y` form), several separated by commas. */
export function parseTsigKeys(text: string): TsigKey[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')
    .map((item) => {
      const [algorithm, name, secret, ...rest] = item.split(':');
      if (algorithm === undefined || !(algorithm in HASH) || !name || !secret || rest.length > 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(secret)) {
        throw new Error(`a TSIG key is algorithm:name:base64-secret with the algorithm one of ${Object.keys(HASH).join(', ')} (one is not)`);
      }
      return { algorithm: algorithm as TsigKey['algorithm'], name: name.toLowerCase().replace(/\.$/, ''), secret: Buffer.from(secret, 'base64') };
    });
}

/** A name in canonical wire form (§4.3.3: lower case, uncompressed). */
function wireName(name: string): Buffer {
  const labels = name.toLowerCase().replace(/\.$/, '').split('.').filter((l) => l !== '');
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

function uint48(value: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUIntBE(value, 0, 6);
  return b;
}

/** A 16-bit big-endian field, as DNS writes lengths and counts. */
export function uint16(value: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(value);
  return b;
}

/** Reads a (possibly compressed) name at `offset`; returns it and the offset after it in the record. */
function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let end = -1;
  let at = offset;
  for (let hops = 0; hops < 128; hops++) {
    const length = message[at];
    if (length === undefined) throw new RangeError('name past the end');
    if ((length & 0xc0) === 0xc0) {
      if (end < 0) end = at + 2;
      at = message.readUInt16BE(at) & 0x3fff;
      continue;
    }
    if (length === 0) return { name: labels.join('.').toLowerCase(), end: end < 0 ? at + 1 : end };
    labels.push(message.toString('ascii', at + 1, at + 1 + length));
    at += 1 + length;
  }
  throw new RangeError('name loops');
}

export interface SignedRequest {
  keyName: string;
  algorithm: string;
  timeSigned: number;
  fudge: number;
  mac: Buffer;
  originalId: number;
  /** The request as it was before signing (§4.3.2): what its MAC covers. */
  unsigned: Buffer;
  /** The TSIG variables it was signed with (§4.3.3). */
  variables: Buffer;
}

/** The TSIG record of a request, when its last additional record is one (§5.1: it must be the last). */
export function findTsig(message: Buffer): SignedRequest | null {
  try {
    const arcount = message.readUInt16BE(10);
    if (arcount === 0) return null;
    let at = 12;
    for (let i = 0; i < message.readUInt16BE(4); i++) at = readName(message, at).end + 4;
    const records = message.readUInt16BE(6) + message.readUInt16BE(8) + arcount;
    let start = at;
    for (let i = 0; i < records; i++) {
      start = at;
      at = readName(message, at).end;
      at += 10 + message.readUInt16BE(at + 8);
    }
    const owner = readName(message, start);
    if (message.readUInt16BE(owner.end) !== TSIG_TYPE) return null;
    let r = owner.end + 10;
    const algorithm = readName(message, r);
    r = algorithm.end;
    const timeSigned = message.readUIntBE(r, 6);
    const fudge = message.readUInt16BE(r + 6);
    const macSize = message.readUInt16BE(r + 8);
    const mac = message.subarray(r + 10, r + 10 + macSize);
    r += 10 + macSize;
    const originalId = message.readUInt16BE(r);
    const error = message.readUInt16BE(r + 2);
    const other = message.subarray(r + 6, r + 6 + message.readUInt16BE(r + 4));
    const unsigned = Buffer.from(message.subarray(0, start));
    unsigned.writeUInt16BE(originalId, 0);
    unsigned.writeUInt16BE(arcount - 1, 10);
    const variables = Buffer.concat([wireName(owner.name), uint16(CLASS_ANY), Buffer.alloc(4), wireName(algorithm.name), uint48(timeSigned), uint16(fudge), uint16(error), uint16(other.length), other]);
    return { keyName: owner.name, algorithm: algorithm.name, timeSigned, fudge, mac: Buffer.from(mac), originalId, unsigned, variables };
  } catch {
    return null;
  }
}

export type Verification = { ok: true; key: TsigKey } | { ok: false; error: number; key: TsigKey | null };

/** §5.2: the key known, the MAC right, the time within the fudge. */
export function verifyRequest(request: SignedRequest, keys: readonly TsigKey[], nowSeconds = Math.floor(Date.now() / 1000)): Verification {
  const key = keys.find((k) => k.name === request.keyName && k.algorithm === request.algorithm) ?? null;
  if (key === null) return { ok: false, error: TSIG_ERROR.BADKEY, key: null };
  const expected = createHmac(HASH[key.algorithm], key.secret).update(request.unsigned).update(request.variables).digest();
  // §5.2.2.1: truncated MACs are not accepted here (none of the clients we serve sends one).
  if (request.mac.length !== expected.length || !timingSafeEqual(request.mac, expected)) return { ok: false, error: TSIG_ERROR.BADSIG, key: null };
  if (Math.abs(nowSeconds - request.timeSigned) > request.fudge) return { ok: false, error: TSIG_ERROR.BADTIME, key };
  return { ok: true, key };
}

/**
 * Signs the messages of one answer (§5.3): the first covers the request's MAC, the message and all TSIG
 * variables; each later message of a transfer (§5.3.1) the previous MAC, the message and the timers only.
 */
export class TsigSigner {
  private previousMac: Buffer;
  private first = true;

  constructor(
    private readonly key: TsigKey,
    requestMac: Buffer,
    private readonly originalId: number,
    private readonly error = 0,
    private readonly timeSigned = Math.floor(Date.now() / 1000),
  ) {
    this.previousMac = requestMac;
  }

  /** The message with its TSIG record appended and ARCOUNT raised. */
  sign(message: Buffer): Buffer {
    const hmac = createHmac(HASH[this.key.algorithm], this.key.secret);
    if (this.previousMac.length > 0) hmac.update(uint16(this.previousMac.length)).update(this.previousMac);
    hmac.update(message);
    const timers = Buffer.concat([uint48(this.timeSigned), uint16(FUDGE)]);
    // BADTIME answers carry the server's time as other data (§5.2.3).
    const other = this.error === TSIG_ERROR.BADTIME ? uint48(this.timeSigned) : Buffer.alloc(0);
    if (this.first) {
      hmac.update(Buffer.concat([wireName(this.key.name), uint16(CLASS_ANY), Buffer.alloc(4), wireName(this.key.algorithm), timers, uint16(this.error), uint16(other.length), other]));
    } else {
      hmac.update(timers);
    }
    const mac = hmac.digest();
    this.previousMac = mac;
    this.first = false;
    const rdata = Buffer.concat([wireName(this.key.algorithm), timers, uint16(mac.length), mac, uint16(this.originalId), uint16(this.error), uint16(other.length), other]);
    const record = Buffer.concat([wireName(this.key.name), uint16(TSIG_TYPE), uint16(CLASS_ANY), Buffer.alloc(4), uint16(rdata.length), rdata]);
    const signed = Buffer.concat([message, record]);
    signed.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
    return signed;
  }
}

/** §5.3.2: an error answer to a request that failed verification carries a TSIG record with no MAC. */
export function unsignedTsigError(message: Buffer, request: SignedRequest, error: number): Buffer {
  const rdata = Buffer.concat([wireName(request.algorithm), uint48(request.timeSigned), uint16(request.fudge), uint16(0), uint16(request.originalId), uint16(error), uint16(0)]);
  const record = Buffer.concat([wireName(request.keyName), uint16(TSIG_TYPE), uint16(CLASS_ANY), Buffer.alloc(4), uint16(rdata.length), rdata]);
  const out = Buffer.concat([message, record]);
  out.writeUInt16BE(message.readUInt16BE(10) + 1, 10);
  return out;
}
