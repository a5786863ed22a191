import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { AppError } from '../../errors.js';

/**
 * A signed checkpoint of the audit log, after Certificate Transparency's signed tree head (RFC 6962 §3.5,
 * the get-sth answer of §4.3; RFC 9162 §4.10): the log's length, the time, the hash at its head and an
 * Ed25519 signature over them by a key that is neither in the database nor derived from the data
 * directory's secret. The JSON names are get-sth's, plus CT's LogID (§3.2) as `key_id`.
 */
export interface Checkpoint {
  /** Rows in the log when signed. */
  tree_size: number;
  /** Milliseconds since the epoch (as CT's), later than the previous checkpoint's. */
  timestamp: number;
  /** The chain's link at row tree_size (32 zero bytes for an empty log), base64. */
  sha256_root_hash: string;
  /** SHA-256 of the signing key's DER SubjectPublicKeyInfo, base64: which key signed. */
  key_id: string;
  /** Ed25519 signature (RFC 8032) over treeHeadBytes(), base64. */
  tree_head_signature: string;
}

/** The key that signs checkpoints, with its public half for partners. */
export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
}

/** CT's LogID: SHA-256 of the DER SubjectPublicKeyInfo. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('base64');
}

/**
 * What is signed, laid out as RFC 6962's TreeHeadSignature: version v1 (0), signature_type tree_hash (1),
 * uint64 timestamp, uint64 tree_size, the 32-byte root hash; big-endian, 50 bytes.
 */
export function treeHeadBytes(treeSize: number, timestamp: number, rootHash: Buffer): Buffer {
  const bytes = Buffer.alloc(50);
  bytes.writeUInt8(0, 0);
  bytes.writeUInt8(1, 1);
  bytes.writeBigUInt64BE(BigInt(timestamp), 2);
  bytes.writeBigUInt64BE(BigInt(treeSize), 10);
  rootHash.copy(bytes, 18);
  return bytes;
}

/** Signs the log's head: `treeSize` rows whose last link is `rootHash`, at `timestamp`. */
export function signCheckpoint(key: SigningKey, treeSize: number, rootHash: Buffer, timestamp: number): Checkpoint {
  const signature = sign(null, treeHeadBytes(treeSize, timestamp, rootHash), key.privateKey);
  return { tree_size: treeSize, timestamp, sha256_root_hash: rootHash.toString('base64'), key_id: key.keyId, tree_head_signature: signature.toString('base64') };
}

/** Why the checkpoint is not one `publicKey` signed, or null when it is. */
export function signatureProblem(checkpoint: Checkpoint, publicKey: KeyObject): string | null {
  const keyId = keyIdOf(publicKey);
  if (checkpoint.key_id !== keyId) return `it names signing key ${checkpoint.key_id}, not this log's key ${keyId}`;
  const signed = treeHeadBytes(checkpoint.tree_size, checkpoint.timestamp, Buffer.from(checkpoint.sha256_root_hash, 'base64'));
  return verify(null, signed, publicKey, Buffer.from(checkpoint.tree_head_signature, 'base64')) ? null : 'its signature does not verify: it was altered or not signed by this log';
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const base64Of = (value: unknown, bytes: number): boolean => typeof value === 'string' && BASE64.test(value) && Buffer.from(value, 'base64').length === bytes;
const count = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 0;

/** Reads one checkpoint from JSON text; INVALID_CHECKPOINT, naming `source`, when it is not one. */
export function parseCheckpoint(text: string, source: string): Checkpoint {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError('INVALID_CHECKPOINT', `${source} is not JSON.`);
  }
  const c = value as Record<string, unknown>;
  if (c === null || typeof c !== 'object' || !count(c.tree_size) || !count(c.timestamp) || !base64Of(c.sha256_root_hash, 32) || !base64Of(c.key_id, 32) || !base64Of(c.tree_head_signature, 64)) {
    throw new AppError('INVALID_CHECKPOINT', `${source} is not a signed audit checkpoint (tree_size, timestamp, sha256_root_hash, key_id, tree_head_signature).`);
  }
  return { tree_size: c.tree_size as number, timestamp: c.timestamp as number, sha256_root_hash: c.sha256_root_hash as string, key_id: c.key_id as string, tree_head_signature: c.tree_head_signature as string };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The latest checkpoint in a file: JSON Lines (the checkpoint log) or one JSON object (as served at
 * GET /api/v1/audit/checkpoint). A last line without its newline (a write cut short) is not read.
 */
export function latestCheckpointIn(text: string, source: string): Checkpoint | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  if (isJson(trimmed)) return parseCheckpoint(trimmed, source); // one object, however laid out
  const lines = text.split('\n');
  const complete = text.endsWith('\n') ? lines : lines.slice(0, -1);
  const last = complete.map((l) => l.trim()).filter((l) => l !== '').at(-1);
  return last === undefined ? null : parseCheckpoint(last, `the last line of ${source}`);
}
