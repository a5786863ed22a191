import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { sql, type Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit } from '../audit/audit.repository.js';

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
/** The advisory lock that serializes changes to users (beside the change log's 7_261_001 and the audit log's 7_261_002). */
const USERS_LOCK = 7_261_003;
const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,62}$/;

export function hasRole(user: User, needed: Role): boolean {
  return ROLES.indexOf(user.role) >= ROLES.indexOf(needed);
}

const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();

/** Users, passwords (argon2id) and bearer sessions. Tokens are random; only their hashes are stored. */
export class AuthService {
  /** A hash to verify against when the user does not exist, so timing does not tell which names exist. */
  private dummyHash: Promise<string> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly auditKey: Buffer,
  ) {}

  /** Adds a user; `actor` names who did it when an admin does it through the console (audited then). */
  async addUser(username: string, password: string, role: Role, actor?: string): Promise<User> {
    if (!USERNAME_RE.test(username)) throw new AppError('VALIDATION_FAILED', 'A user name is 2 to 63 lower-case letters, digits, dots, dashes or underscores.');
    if (password.length < MIN_PASSWORD) throw new AppError('VALIDATION_FAILED', `A password needs at least ${MIN_PASSWORD} characters.`);
    if (!ROLES.includes(role)) throw new AppError('VALIDATION_FAILED', `The role must be one of ${ROLES.join(', ')}.`);
    const passwordHash = await argon2.hash(password, { type: argon2.argon2id });
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('users')
        .values({ username, password_hash: passwordHash, role, disabled_at: null })
        .onConflict((oc) => oc.column('username').doNothing())
        .returning(['id'])
        .executeTakeFirst();
      if (row === undefined) throw new AppError('USER_EXISTS', `A user named ${username} exists already.`);
      if (actor !== undefined) await appendAudit(trx, this.auditKey, { actor, action: 'user.add', subject: `user:${username}`, details: { role } });
      return { id: row.id, username, role };
    });
  }

  async listUsers(): Promise<{ username: string; role: Role; createdAt: Date; disabledAt: Date | null; activeSessions: number }[]> {
    const rows = await this.db
      .selectFrom('users as u')
      .leftJoin('sessions as s', (join) => join.onRef('s.user_id', '=', 'u.id').on('s.expires_at', '>', new Date()))
      .select(({ fn }) => ['u.username', 'u.role', 'u.created_at', 'u.disabled_at', fn.count<string>('s.user_id').as('sessions')])
      .groupBy(['u.id', 'u.username', 'u.role', 'u.created_at', 'u.disabled_at'])
      .orderBy('u.username')
      .execute();
    return rows.map((r) => ({ username: r.username, role: r.role as Role, createdAt: r.created_at, disabledAt: r.disabled_at, activeSessions: Number(r.sessions) }));
  }

  /**
   * An admin changes a user's role or disables (or re-enables) them, with a reason; audited. A new role or
   * disabling ends the user's sessions at once. An admin cannot change themself and must still be an active
   * admin when the change runs, so there is always one active admin left: no one can lock every admin out.
   */
  async updateUser(actor: User, username: string, change: { role?: Role; disabled?: boolean }, reason: string): Promise<{ username: string; role: Role; disabled: boolean }> {
    if (username === actor.username) throw new AppError('SELF_CHANGE', 'Ask another administrator to change your own account.');
    return this.db.transaction().execute(async (trx) => {
      // User changes take one lock: two admins demoting each other at once run one after the other (row locks
      // taken target-first would deadlock them), and the second finds it is no longer an admin.
      await sql`SELECT pg_advisory_xact_lock(${USERS_LOCK})`.execute(trx);
      // The actor was authenticated before the lock: an admin demoted meanwhile no longer acts as one.
      const acting = await trx.selectFrom('users').select('id').where('username', '=', actor.username).where('role', '=', 'admin').where('disabled_at', 'is', null).executeTakeFirst();
      if (acting === undefined) throw new AppError('FORBIDDEN', 'Only an active administrator can change users.');
      const user = await trx.selectFrom('users').select(['id', 'role', 'disabled_at']).where('username', '=', username).executeTakeFirst();
      if (user === undefined) throw new AppError('NOT_FOUND', `No user is called “${username}”.`);
      const role = change.role ?? (user.role as Role);
      const disabledAt = change.disabled === undefined ? user.disabled_at : change.disabled ? (user.disabled_at ?? new Date()) : null;
      await trx.updateTable('users').set({ role, disabled_at: disabledAt }).where('id', '=', user.id).execute();
      // A new role or a disabled account takes effect now, not when the session expires.
      if (role !== user.role || disabledAt !== null) await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
      await appendAudit(trx, this.auditKey, { actor: `user:${actor.username}`, action: 'user.update', subject: `user:${username}`, details: { ...change, reason } });
      return { username, role, disabled: disabledAt !== null };
    });
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
