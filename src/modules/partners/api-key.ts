import { createHash, randomBytes } from 'node:crypto';

/**
 * Partner API keys: `sgp_` and 32 base64url characters (192 random bits). The prefix tells a Scamgraph
 * key apart from a console session token (and lets secret scanners find leaked ones); the stored form is
 * the SHA-256 of the whole token. The token has the entropy of a key, so a slow password hash would add
 * cost to every call and nothing against guessing.
 */
export const KEY_PREFIX = 'sgp_';
const KEY_RE = /^sgp_[A-Za-z0-9_-]{32}$/;

export function newKeyToken(): string {
  return KEY_PREFIX + randomBytes(24).toString('base64url');
}

export const isKeyToken = (token: string): boolean => KEY_RE.test(token);

export const keyHash = (token: string): Buffer => createHash('sha256').update(token).digest();

/** The part of a token lists show: `sgp_` and 8 characters. */
export const keyPrefix = (token: string): string => token.slice(0, KEY_PREFIX.length + 8);
