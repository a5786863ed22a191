import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { AppError } from '../../errors.js';

export const MIN_PASSWORD = 12;
export const MAX_PASSWORD = 1024;

/** An argon2id hash (the library's defaults: 64 MiB, 3 passes). */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** A hash to verify against when the user does not exist, so timing does not tell which names exist. */
let dummyHash: Promise<string> | null = null;

/** Checks a password against a stored hash, or against a throwaway one when there is none (same time either way). */
export async function verifyPassword(hash: string | undefined, password: string): Promise<boolean> {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const ok = await argon2.verify(hash ?? (await dummyHash), password);
  return hash !== undefined && ok;
}

/** A random password (144 bits) for a new account or a reset: shown once, never stored in clear. */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Refuses a new password that is too short or too long, is the user name, or repeats the one it replaces. */
export function checkNewPassword(password: string, username: string, current?: string): void {
  if (password.length < MIN_PASSWORD) throw new AppError('VALIDATION_FAILED', `A password needs at least ${MIN_PASSWORD} characters.`);
  if (password.length > MAX_PASSWORD) throw new AppError('VALIDATION_FAILED', `A password has at most ${MAX_PASSWORD} characters.`);
  if (password === username) throw new AppError('VALIDATION_FAILED', 'A password cannot be the user name.');
  if (current !== undefined && password === current) throw new AppError('VALIDATION_FAILED', 'The new password must differ from the current one.');
}
