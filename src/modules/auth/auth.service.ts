import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';

/** Roles, least to most powerful: analysts read, officers act, admins also manage users and the audit log. */
export const ROLES = ['analyst', 'officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  username: string;
  role: Role;
}

export const SESSION_HOURS = 12;
export const MIN_PASSWORD = 12;
const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,62}$/;

export function hasRole(user: User, needed: Role): boolean {
  return ROLES.indexOf(user.role) >= ROLES.indexOf(needed);
}

const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();

/** Users, passwords (argon2id) and bearer sessions. Tokens are random; only their hashes are stored. */
export class AuthService {
  /** A hash to verify against when the user does not exist, so timing does not tell which names exist. */
  private dummyHash: Promise<string> | null = null;

  constructor(private readonly db: Kysely<Database>) {}

  async addUser(username: string, password: string, role: Role): Promise<User> {
    if (!USERNAME_RE.test(username)) throw new AppError('VALIDATION_FAILED', 'A user name is 2 to 63 lower-case letters, digits, dots, dashes or underscores.');
    if (password.length < MIN_PASSWORD) throw new AppError('VALIDATION_FAILED', `A password needs at least ${MIN_PASSWORD} characters.`);
    if (!ROLES.includes(role)) throw new AppError('VALIDATION_FAILED', `The role must be one of ${ROLES.join(', ')}.`);
    const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
    const row = await this.db
      .insertInto('users')
      .values({ username, password_hash: passwordHash, role, disabled_at: null })
      .onConflict((oc) => oc.column('username').doNothing())
      .returning(['id'])
      .executeTakeFirst();
    if (row === undefined) throw new AppError('USER_EXISTS', `A user named ${username} exists already.`);
    return { id: row.id, username, role };
  }

  async login(username: string, password: string): Promise<{ token: string; expiresAt: Date; user: User }> {
    const row = await this.db.selectFrom('users').select(['id', 'username', 'role', 'password_hash']).where('username', '=', username).where('disabled_at', 'is', null).executeTakeFirst();
    this.dummyHash ??= argon2.hash(randomBytes(16).toString('hex'), { type: argon2.argon2id });
    const ok = await argon2.verify(row?.password_hash ?? (await this.dummyHash), password);
    if (row === undefined || !ok) throw new AppError('INVALID_CREDENTIALS', 'Wrong user name or password.');
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3600_000);
    await this.db.insertInto('sessions').values({ token_hash: tokenHash(token), user_id: row.id, expires_at: expiresAt }).execute();
    return { token, expiresAt, user: { id: row.id, username: row.username, role: row.role as Role } };
  }

  /** The user a bearer token belongs to, or null when it is unknown, expired or the user is disabled. */
  async authenticate(token: string): Promise<User | null> {
    const row = await this.db
      .selectFrom('sessions as s')
      .innerJoin('users as u', 'u.id', 's.user_id')
      .select(['u.id', 'u.username', 'u.role'])
      .where('s.token_hash', '=', tokenHash(token))
      .where('s.expires_at', '>', new Date())
      .where('u.disabled_at', 'is', null)
      .executeTakeFirst();
    return row === undefined ? null : { id: row.id, username: row.username, role: row.role as Role };
  }

  async logout(token: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('token_hash', '=', tokenHash(token)).execute();
  }
}
