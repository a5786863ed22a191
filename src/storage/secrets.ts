import { hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
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

/**
 * The configured master secret, or the one in `dataDir/secret.key`, generated (mode 0600) on first use: only
 * for the embedded database outside production (config refuses production without SCAMGRAPH_SECRET_KEY).
 */
export function loadSecrets(secretKey: Buffer | null, dataDir: string, sharedDatabase: boolean): Secrets {
  if (secretKey !== null) return deriveSecrets(secretKey);
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
  return deriveSecrets(stored);
}

function readKeyFile(path: string): Buffer | null {
  try {
    return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
