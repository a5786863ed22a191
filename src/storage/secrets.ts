import { hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../config.js';
import { createExclusive, privateDirectory } from './private-files.js';

/** The keys derived from the one master secret; each has one purpose. */
export interface Secrets {
  /** AES-256-GCM key for reporters' contact details. */
  contactKey: Buffer;
  /** HMAC key for reporter fingerprints. */
  fingerprintKey: Buffer;
  /** HMAC key of the audit chain: without it a rewritten chain cannot be made to verify. */
  auditKey: Buffer;
  /** AES-256-GCM key that seals payee-check ids: a partner reports an outcome with one, and only its own. */
  checkIdKey: Buffer;
  /** AES-256-GCM key for partners' webhook signing secrets at rest. */
  webhookKey: Buffer;
  /** Makes the STIX and TAXII ids this deployment publishes (stable here, distinct from any other deployment's). */
  stixKey: Buffer;
}

function derive(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `scamgraph ${purpose} v1`, 32));
}

export function deriveSecrets(master: Buffer): Secrets {
  return { contactKey: derive(master, 'contact'), fingerprintKey: derive(master, 'fingerprint'), auditKey: derive(master, 'audit'), checkIdKey: derive(master, 'payee check id'), webhookKey: derive(master, 'webhook secret'), stixKey: derive(master, 'stix ids') };
}

/** The master secret, and the file it was read from (null: given as SCAMGRAPH_SECRET_KEY). */
export interface MasterSecret {
  key: Buffer;
  file: string | null;
}

/**
 * The configured master secret, or the one in `dataDir/secret.key`, generated (mode 0600) on first use: only
 * for the embedded database outside production (config refuses production without SCAMGRAPH_SECRET_KEY).
 */
export function loadMasterSecret(secretKey: Buffer | null, dataDir: string, sharedDatabase: boolean): MasterSecret {
  if (secretKey !== null) return { key: secretKey, file: null };
  // Servers sharing one PostgreSQL must share the keys: generated per machine, they would not read each
  // other's encrypted contacts, would fingerprint a reporter differently and fail each other's audit chain.
  if (sharedDatabase) {
    throw new ConfigError('DATABASE_URL needs SCAMGRAPH_SECRET_KEY (the same on every server of that database; openssl rand -base64 32).');
  }
  const dir = resolve(dataDir);
  const path = join(dir, 'secret.key');
  let stored = readKeyFile(path);
  if (stored === null) {
    privateDirectory(dir);
    // Of processes starting at once on a new directory one key wins; the others read it.
    createExclusive(path, randomBytes(32).toString('base64') + '\n');
    stored = readKeyFile(path) as Buffer;
  }
  if (stored.length !== 32) throw new ConfigError(`${path} is not a 32-byte key in base64; restore it from a backup (data encrypted with it cannot be read without it).`);
  return { key: stored, file: path };
}

/**
 * The keys the master secret derives, as before the keyring (src/storage/keyring.ts): what a database's
 * keyring starts with, and what tools that hold only the secret use.
 */
export function loadSecrets(secretKey: Buffer | null, dataDir: string, sharedDatabase: boolean): Secrets {
  return deriveSecrets(loadMasterSecret(secretKey, dataDir, sharedDatabase).key);
}

/** A master secret's public id (HKDF, one-way, 16 bytes, base64url): audit rows and messages name secrets by it. */
export function masterKeyId(master: Buffer): string {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), 'scamgraph master key id v1', 16)).toString('base64url');
}

/** The key-encryption key of a master secret: it wraps the data keys in the database (src/storage/keyring.ts). */
export function keyWrapKey(master: Buffer): Buffer {
  return derive(master, 'data key wrap');
}

/**
 * A rotation's new secret for the key file at `path`, written beside it as `path.next` (0600, synced) before
 * the database is re-wrapped, then renamed into place (promoteSecretFile). A crash between the two leaves
 * the new secret in `.next`, where loading finds it (src/storage/keyring.ts): no moment exists at which the
 * database is wrapped under a secret no file holds.
 */
export function stageSecretFile(path: string, key: Buffer): void {
  writeFileSync(`${path}.next`, key.toString('base64') + '\n', { mode: 0o600 });
  const fd = openSync(`${path}.next`, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The secret staged beside `path` by a rotation, if any. */
export function stagedSecret(path: string): Buffer | null {
  const key = readKeyFile(`${path}.next`);
  return key !== null && key.length === 32 ? key : null;
}

/** Moves the staged secret into place (an atomic rename, then the directory synced). */
export function promoteSecretFile(path: string): void {
  renameSync(`${path}.next`, path);
  const fd = openSync(dirname(path), 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A 32-byte secret in base64 (a key file, SCAMGRAPH_SECRET_KEY's form), or null when `text` is not one. */
export function parseSecret(text: string): Buffer | null {
  const trimmed = text.trim();
  const bytes = Buffer.from(trimmed, 'base64');
  return /^[A-Za-z0-9+/]+={0,2}$/.test(trimmed) && bytes.length === 32 ? bytes : null;
}

function readKeyFile(path: string): Buffer | null {
  try {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
