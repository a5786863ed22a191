import { sha256 } from '@noble/hashes/sha2.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bech32, bech32m, createBase58check } from '@scure/base';
import { IndicatorError, makeKey, type Indicator } from './indicator.types.js';

const base58check = createBase58check(sha256);
const BTC_BASE58_RE = /^[13][1-9A-HJ-NP-Za-km-z]{25,34}$/;
const BTC_BECH32_RE = /^bc1[02-9ac-hj-np-z]{8,87}$/i;
const ETH_RE = /^0x[0-9a-fA-F]{40}$/;
const TRON_RE = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;
const BTC_VERSIONS: Record<number, string> = { 0x00: 'p2pkh', 0x05: 'p2sh' };

function invalid(value: string, why: string, reason: string): IndicatorError {
  return new IndicatorError('INVALID_CRYPTO_WALLET', `“${value.slice(0, 100)}” ${why}.`, reason);
}

function base58Payload(value: string): Uint8Array | null {
  try {
    return base58check.decode(value);
  } catch {
    return null;
  }
}

/** EIP-55: upper-case the hex letters whose nibble in keccak256(lower-case address) is 8 or more. */
export function toChecksumAddress(lowerHex: string): string {
  const hash = keccak_256(new TextEncoder().encode(lowerHex));
  let out = '0x';
  for (let i = 0; i < 40; i++) {
    const nibble = ((hash[i >> 1] as number) >> (i % 2 === 0 ? 4 : 0)) & 15;
    const char = lowerHex[i] as string;
    out += nibble >= 8 ? char.toUpperCase() : char;
  }
  return out;
}

function wallet(chain: string, format: string, canonical: string, identity: string): Indicator {
  return {
    kind: 'crypto_wallet',
    canonical,
    key: makeKey('crypto_wallet', identity),
    display: canonical,
    details: { chain, format },
  };
}

function bitcoinSegwit(value: string): Indicator {
  if (value !== value.toLowerCase() && value !== value.toUpperCase()) {
    throw invalid(value, 'mixes upper and lower case, which a bech32 address never does', 'MIXED_CASE');
  }
  const lower = value.toLowerCase();
  let decoded: { prefix: string; words: number[] } | null = null;
  let version = -1;
  for (const codec of [bech32, bech32m]) {
    try {
      const result = codec.decode(lower as `${string}1${string}`, 90);
      version = result.words[0] ?? -1;
      // Witness v0 uses bech32, v1 and later bech32m (BIP 350): the wrong checksum variant is invalid.
      if ((version === 0) === (codec === bech32)) decoded = result;
    } catch {
      // try the other checksum variant
    }
  }
  if (decoded === null || decoded.prefix !== 'bc' || version < 0 || version > 16) {
    throw invalid(value, 'is not a valid Bitcoin bech32 address (checksum or version)', 'BAD_CHECKSUM');
  }
  const program = bech32.fromWords(decoded.words.slice(1));
  const lengthOk = version === 0 ? program.length === 20 || program.length === 32 : program.length >= 2 && program.length <= 40;
  if (!lengthOk) throw invalid(value, 'has a witness program of the wrong length', 'BAD_LENGTH');
  const format = version === 0 ? (program.length === 20 ? 'p2wpkh' : 'p2wsh') : version === 1 ? 'p2tr' : `witness_v${version}`;
  return wallet('bitcoin', format, lower, `btc:${lower}`);
}

/**
 * Normalizes a crypto wallet address, checksums validated: Bitcoin base58check (P2PKH, P2SH) and bech32 /
 * bech32m, Ethereum (EIP-55 checked when mixed case; canonical is the checksummed form, key lower case) and
 * TRON base58check (0x41 prefix, the USDT-TRC20 addresses scams ask for).
 */
export function normalizeCryptoWallet(value: string): Indicator {
  if (ETH_RE.test(value)) {
    const lowerHex = value.slice(2).toLowerCase();
    const checksummed = toChecksumAddress(lowerHex);
    const hex = value.slice(2);
    const singleCase = hex === hex.toLowerCase() || hex === hex.toUpperCase();
    if (!singleCase && value !== checksummed) {
      throw invalid(value, 'has a wrong EIP-55 checksum (its mixed case does not match); one character is likely mistyped', 'BAD_CHECKSUM');
    }
    return wallet('ethereum', 'eip55', checksummed, `eth:0x${lowerHex}`);
  }
  if (BTC_BECH32_RE.test(value)) return bitcoinSegwit(value);
  if (BTC_BASE58_RE.test(value)) {
    const payload = base58Payload(value);
    const format = payload?.length === 21 ? BTC_VERSIONS[payload[0] as number] : undefined;
    if (format === undefined) throw invalid(value, 'is not a valid Bitcoin address (base58 checksum)', 'BAD_CHECKSUM');
    return wallet('bitcoin', format, value, `btc:${value}`);
  }
  if (TRON_RE.test(value)) {
    const payload = base58Payload(value);
    if (payload?.length !== 21 || payload[0] !== 0x41) throw invalid(value, 'is not a valid TRON address (base58 checksum)', 'BAD_CHECKSUM');
    return wallet('tron', 'base58check', value, `trx:${value}`);
  }
  throw invalid(value, 'is not a Bitcoin, Ethereum or TRON address', 'UNKNOWN_FORMAT');
}
