import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../errors.js';
import { createExclusive } from '../../storage/private-files.js';
import { keyIdOf, type SigningKey } from './checkpoint.js';

function asEd25519(key: KeyObject, path: string): KeyObject {
  if (key.asymmetricKeyType !== 'ed25519') throw new AppError('INVALID_SIGNING_KEY', `${path} holds a ${key.asymmetricKeyType} key, not an Ed25519 one.`);
  return key;
}

function readPem(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * The checkpoint signing key in `path` (PKCS#8 PEM), generated on first use: a fresh random Ed25519 key,
 * nothing derived from the data directory's secret, written 0600 (its directory, when created, 0700).
 * Of processes generating it at once one key wins and every one reads it.
 */
export function loadSigningKey(path: string): SigningKey {
  let pem = readPem(path);
  if (pem === null) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    createExclusive(path, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string);
    pem = readPem(path) as string;
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    throw new AppError('INVALID_SIGNING_KEY', `${path} is not a private key in PEM; restore it, or move it away to start a new key (checkpoints signed by the old one then need its public key).`);
  }
  asEd25519(privateKey, path);
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** A public key to check checkpoints with (`audit verify --key FILE`): a PEM public key, or the private key file itself. */
export function readPublicKey(path: string): KeyObject {
  const pem = readPem(path);
  if (pem === null) throw new AppError('INVALID_SIGNING_KEY', `There is no key file ${path}.`);
  try {
    return asEd25519(createPublicKey(pem), path);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('INVALID_SIGNING_KEY', `${path} is not an Ed25519 key in PEM.`);
  }
}

/** The public key as partners are given it (SPKI PEM). */
export function publicKeyPem(key: SigningKey): string {
  return key.publicKey.export({ type: 'spki', format: 'pem' }) as string;
}
