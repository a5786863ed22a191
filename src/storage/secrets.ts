import { hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config.js';

/** The keys derived from the one master secret; each has one purpose. */
export interface Secrets {
  /** AES-256-GCM key for reporters' contact details. */
  contactKey: Buffer;
  /** HMAC key for reporter fingerprints. */
  fingerprintKey: Buffer;
  /** HMAC key of the audit chain: without it a rewritten chain cannot be made to verify. */
  auditKey: Buffer;
}

function derive(master: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `scamgraph ${purpose} v1`, 32));
}

export function deriveSecrets(master: Buffer): Secrets {
  return { contactKey: derive(master, 'contact'), fingerprintKey: derive(master, 'fingerprint'), auditKey: derive(master, 'audit') };
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
  try {
    const stored = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (stored.length === 32) return deriveSecrets(stored);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const master = randomBytes(32);
  writeFileSync(path, master.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return deriveSecrets(master);
}
