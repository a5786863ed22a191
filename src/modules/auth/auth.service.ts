import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit } from '../audit/audit.repository.js';
import * as repo from './auth.repository.js';
import { ROLES, type ClientContext, type Role, type SessionInfo, type User } from './auth.types.js';
import { LOGIN_THROTTLE, LoginThrottledError, afterFailure, startsBackoff, waitLeft, type ThrottleState } from './login-throttle.js';
import { MIN_PASSWORD, checkNewPassword, generatePassword, hashPassword, verifyPassword } from './passwords.js';

// Kept importable from here: routes, the CLI and tests name them through the service module.
export { ROLES, hasRole, type Role, type User } from './auth.types.js';
export { MIN_PASSWORD };

export const SESSION_HOURS = 12;
/** The default idle timeout (SCAMGRAPH_SESSION_IDLE_MINUTES). */
export const IDLE_MINUTES = 30;
/** A session's last-used time is written at most this often: the check on every request stays one read. */
export const TOUCH_EVERY_MS = 60_000;
const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,62}$/;
/** The audit subject of failed sign-ins with a name no user has: the name itself may be a mistyped password. */
const UNKNOWN_USER = 'user:?';

const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();
const userAgentOf = (client: ClientContext): string | null => (client.userAgent === undefined || client.userAgent === '' ? null : client.userAgent.slice(0, 200));

export interface AuthOptions {
  /** Minutes without a request after which a session ends (beside the fixed SESSION_HOURS). */
  idleMinutes?: number;
}

export interface SignedIn {
  token: string;
  expiresAt: Date;
  user: User;
}

/**
 * Users, passwords (argon2id) and bearer sessions. Tokens are random; only their hashes are stored. Sign-ins
 * are throttled per account name (login-throttle.ts) and audited, as are sign-outs and every change to a
 * password or a session; no audit row holds a password or a token.
 */
export class AuthService {
  private readonly idleMs: number;
  /** Keys the throttle's account names, so the table holds no names (nor passwords typed as names). */
  private readonly throttleKey: Buffer;

  /** Told when sessions end through this process, so that caches of who a token is forget at once here. */
  private readonly sessionListeners = new Set<() => void>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly auditKey: Buffer,
    options: AuthOptions = {},
  ) {
    this.idleMs = (options.idleMinutes ?? IDLE_MINUTES) * 60_000;
    this.throttleKey = createHmac('sha256', auditKey).update('scamgraph login throttle v1').digest();
  }

  /**
   * Calls `listener` whenever sessions end through this process (sign-out, revoke, password change or reset,
   * a role change or a disabled user). Other processes learn it when their short caches lapse.
   */
  onSessionsEnded(listener: () => void): void {
    this.sessionListeners.add(listener);
  }

  /** Runs a write that may end sessions, then tells the listeners. */
  private async endingSessions<T>(write: Promise<T>): Promise<T> {
    const result = await write;
    for (const listener of this.sessionListeners) listener();
    return result;
  }

  /** Adds a user; `actor` names who did it (`user:NAME` from the console, `cli` from the command line): audited then. */
  async addUser(username: string, password: string, role: Role, actor?: string): Promise<User> {
    if (!USERNAME_RE.test(username)) throw new AppError('VALIDATION_FAILED', 'A user name is 2 to 63 lower-case letters, digits, dots, dashes or underscores.');
    checkNewPassword(password, username);
    if (!ROLES.includes(role)) throw new AppError('VALIDATION_FAILED', `The role must be one of ${ROLES.join(', ')}.`);
    const passwordHash = await hashPassword(password);
    return this.db.transaction().execute(async (trx) => {
      const id = await repo.insertUser(trx, username, passwordHash, role);
      if (id === undefined) throw new AppError('USER_EXISTS', `A user named ${username} exists already.`);
      if (actor !== undefined) await appendAudit(trx, this.auditKey, { actor, action: 'user.add', subject: `user:${username}`, details: { role } });
      return { id, username, role };
    });
  }

  /** Every user, their role and state, and their count of live sessions. */
  listUsers(): ReturnType<typeof repo.listUsers> {
    const now = new Date();
    return repo.listUsers(this.db, now, this.idleSince(now));
  }

  /**
   * An admin changes a user's role or disables (or re-enables) them, with a reason; audited. A new role or
   * disabling ends the user's sessions at once. An admin cannot change themself and must still be an active
   * admin when the change runs, so there is always one active admin left: no one can lock every admin out.
   */
  async updateUser(actor: User, username: string, change: { role?: Role; disabled?: boolean }, reason: string): Promise<{ username: string; role: Role; disabled: boolean }> {
    if (username === actor.username) throw new AppError('SELF_CHANGE', 'Ask another administrator to change your own account.');
    return this.endingSessions(this.db.transaction().execute(async (trx) => {
      const user = await this.lockedTarget(trx, actor, username);
      const role = change.role ?? (user.role as Role);
      const disabledAt = change.disabled === undefined ? user.disabled_at : change.disabled ? (user.disabled_at ?? new Date()) : null;
      await repo.setRoleAndDisabled(trx, user.id, role, disabledAt);
      // A new role or a disabled account takes effect now, not when the session expires.
      if (role !== user.role || disabledAt !== null) await repo.deleteSessionsOf(trx, user.id);
      await appendAudit(trx, this.auditKey, { actor: `user:${actor.username}`, action: 'user.update', subject: `user:${username}`, details: { ...change, reason } });
      return { username, role, disabled: disabledAt !== null };
    }));
  }

  /**
   * Resets a user's password to a one-time password, returned to be shown once: it only lets its user choose a
   * new password at sign-in. The user's sessions end and their sign-in backoff is cleared. `actor` null is the
   * command line (whoever holds the database); an admin cannot reset themself (they change their password).
   */
  async resetPassword(actor: User | null, username: string, reason: string): Promise<{ username: string; password: string; endedSessions: number }> {
    if (actor?.username === username) throw new AppError('SELF_CHANGE', 'Change your own password on your account page, or ask another administrator.');
    const password = generatePassword();
    const passwordHash = await hashPassword(password);
    return this.endingSessions(this.db.transaction().execute(async (trx) => {
      const user = await this.lockedTarget(trx, actor, username);
      const now = new Date();
      await repo.setPassword(trx, user.id, passwordHash, true, now);
      const endedSessions = await repo.deleteSessionsOf(trx, user.id);
      await repo.clearAttempts(trx, this.nameHash(username), this.forgottenBefore(now), now);
      await appendAudit(trx, this.auditKey, { actor: actor === null ? 'cli' : `user:${actor.username}`, action: 'user.password_reset', subject: `user:${username}`, details: { reason, endedSessions } });
      return { username, password, endedSessions };
    }));
  }

  /**
   * Signs in. Throttled per account name (LOGIN_THROTTLED while it must wait, whether or not the user exists);
   * every sign-in and failed sign-in is audited, with an alert when an account's backoff starts. A password an
   * administrator reset gets PASSWORD_CHANGE_REQUIRED until `newPassword` is given with it.
   */
  async login(username: string, password: string, client: ClientContext, newPassword?: string): Promise<SignedIn> {
    // No account can have such a name: nothing to guess, nothing to throttle or audit (and U+0000 cannot be stored).
    if (!USERNAME_RE.test(username)) throw invalidCredentials();
    const found = await this.checkPassword(username, password, client, 'auth.login_failed', (u) => repo.findSignInUser(this.db, u));
    if (found === undefined) throw invalidCredentials();
    const { user } = found;
    if (found.mustChangePassword && newPassword === undefined) {
      throw new AppError('PASSWORD_CHANGE_REQUIRED', 'This password was set by an administrator for one use: send a new password (newPassword) with it.');
    }
    if (!found.mustChangePassword && newPassword !== undefined) throw new AppError('VALIDATION_FAILED', 'newPassword is only for a password an administrator reset; change it from the account page.');
    if (newPassword !== undefined) checkNewPassword(newPassword, username, password);
    const newHash = newPassword === undefined ? undefined : await hashPassword(newPassword);
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000);
    await this.db.transaction().execute(async (trx) => {
      // The password was checked outside (hashing is slow): a reset, a change or a disabling that committed
      // since then wins, and this sign-in opens no session for a password that is no longer the account's.
      if ((await repo.lockPasswordHash(trx, user.id)) !== found.passwordHash) throw invalidCredentials();
      if (newHash !== undefined) {
        // A one-time password is spent once: a second sign-in with it at the same moment changes nothing.
        if (!(await repo.replacePassword(trx, user.id, found.passwordHash, newHash, now))) throw invalidCredentials();
        await appendAudit(trx, this.auditKey, { actor: `user:${username}`, action: 'user.password_change', subject: `user:${username}`, details: { via: 'sign-in', address: client.address } });
      }
      await repo.insertSession(trx, { tokenHash: tokenHash(token), userId: user.id, expiresAt, now, userAgent: userAgentOf(client) });
      await appendAudit(trx, this.auditKey, { actor: `user:${username}`, action: 'auth.login', subject: `user:${username}`, details: { address: client.address } });
    });
    return { token, expiresAt, user };
  }

  /**
   * The user a bearer token belongs to, or null when it is unknown, expired, idle too long or the user is
   * disabled. The last-used time is written at most once a TOUCH_EVERY_MS, so most checks are one read.
   */
  async authenticate(token: string): Promise<User | null> {
    const now = new Date();
    const hash = tokenHash(token);
    const live = await repo.findLiveSession(this.db, hash, now, this.idleSince(now));
    if (live === undefined) return null;
    if (now.getTime() - live.lastUsedAt.getTime() >= TOUCH_EVERY_MS) await repo.touchSession(this.db, hash, now);
    return live.user;
  }

  /** Ends the session of this token (audited as a sign-out). */
  async logout(user: User, token: string): Promise<void> {
    await this.endingSessions(this.db.transaction().execute(async (trx) => {
      if ((await repo.deleteSessionByToken(trx, tokenHash(token))) === undefined) return;
      await appendAudit(trx, this.auditKey, { actor: `user:${user.username}`, action: 'auth.logout', subject: `user:${user.username}`, details: {} });
    }));
  }

  /** The user's live sessions, the one of `token` marked current. */
  async sessions(user: User, token: string): Promise<SessionInfo[]> {
    const now = new Date();
    const mine = tokenHash(token);
    const rows = await repo.listSessions(this.db, user.id, now, this.idleSince(now));
    return rows.map((r) => ({ id: r.id, createdAt: r.created_at, lastUsedAt: r.last_used_at, expiresAt: r.expires_at, userAgent: r.user_agent, current: Buffer.from(r.token_hash).equals(mine) }));
  }

  /** Ends one of the user's own sessions (the current one too, if asked); audited. NOT_FOUND for anyone else's. */
  async revokeSession(user: User, id: number): Promise<void> {
    await this.endingSessions(this.db.transaction().execute(async (trx) => {
      if (!(await repo.deleteSessionById(trx, user.id, id))) throw new AppError('NOT_FOUND', `You have no session ${id}.`);
      await appendAudit(trx, this.auditKey, { actor: `user:${user.username}`, action: 'session.revoke', subject: `user:${user.username}`, details: { session: id } });
    }));
  }

  /**
   * A signed-in user changes their password, giving the current one (WRONG_PASSWORD otherwise; the guesses
   * count towards the sign-in backoff). Every other session of theirs ends; this one stays. Audited.
   */
  async changePassword(user: User, token: string, current: string, next: string, client: ClientContext): Promise<{ endedSessions: number }> {
    checkNewPassword(next, user.username, current);
    const found = await this.checkPassword(user.username, current, client, 'user.password_change_failed', async () => {
      const hash = await repo.findPasswordHash(this.db, user.id);
      return hash === undefined ? undefined : { passwordHash: hash };
    });
    if (found === undefined) throw new AppError('WRONG_PASSWORD', 'The current password is wrong.');
    const newHash = await hashPassword(next);
    const now = new Date();
    return this.endingSessions(this.db.transaction().execute(async (trx) => {
      // Changed meanwhile (another change at the same moment): the current password given is no longer it.
      if (!(await repo.replacePassword(trx, user.id, found.passwordHash, newHash, now))) throw new AppError('WRONG_PASSWORD', 'The current password is wrong.');
      const endedSessions = await repo.deleteSessionsOf(trx, user.id, tokenHash(token));
      await appendAudit(trx, this.auditKey, { actor: `user:${user.username}`, action: 'user.password_change', subject: `user:${user.username}`, details: { via: 'account', endedSessions, address: client.address } });
      return { endedSessions };
    }));
  }

  /**
   * Counts an attempt for `username` (LOGIN_THROTTLED while the name must wait), then checks the password
   * against what `find` returns (a throwaway hash when nothing: the same time either way). A wrong password is
   * audited as `failedAction`, with an alert when it starts the backoff; the attempt stays counted.
   */
  private async checkPassword<T extends { passwordHash: string }>(username: string, password: string, client: ClientContext, failedAction: string, find: (username: string) => Promise<T | undefined>): Promise<T | undefined> {
    const now = new Date();
    const { before, after } = await repo.countAttempt(this.db, this.nameHash(username), now, (state) => (waitLeft(state, now) > 0 ? null : afterFailure(state, now)));
    if (after === null) throw new LoginThrottledError(waitLeft(before, now));
    const found = await find(username);
    if (await verifyPassword(found?.passwordHash, password)) {
      // The right password clears the count, whatever happens next (a new password still to choose, say).
      await this.db.transaction().execute((trx) => repo.clearAttempts(trx, this.nameHash(username), this.forgottenBefore(now), now));
      return found;
    }
    await this.db.transaction().execute((trx) => this.auditFailure(trx, found === undefined ? UNKNOWN_USER : `user:${username}`, failedAction, after, client));
    return undefined;
  }

  private async auditFailure(trx: Transaction<Database>, subject: string, action: string, state: ThrottleState, client: ClientContext): Promise<void> {
    await appendAudit(trx, this.auditKey, { actor: 'anonymous', action, subject, details: { address: client.address, failures: state.failures } });
    if (startsBackoff(state)) {
      await appendAudit(trx, this.auditKey, {
        actor: 'system',
        action: 'auth.throttled',
        subject,
        details: { address: client.address, failures: state.failures, lockedUntil: state.lockedUntil?.toISOString() ?? null },
      });
    }
  }

  /** Under the users lock: the target of an admin's change, after checking the actor is still an active admin. */
  private async lockedTarget(trx: Transaction<Database>, actor: User | null, username: string) {
    // User changes take one lock: two admins demoting each other at once run one after the other (row locks
    // taken target-first would deadlock them), and the second finds it is no longer an admin.
    await repo.lockUsers(trx);
    // The actor was authenticated before the lock: an admin demoted meanwhile no longer acts as one. (Null,
    // the command line, holds the database itself.)
    if (actor !== null && (await repo.findActiveAdmin(trx, actor.username)) === undefined) throw new AppError('FORBIDDEN', 'Only an active administrator can change users.');
    const user = await repo.findUserByName(trx, username);
    if (user === undefined) throw new AppError('NOT_FOUND', `No user is called “${username}”.`);
    return user;
  }

  private nameHash(username: string): Buffer {
    return createHmac('sha256', this.throttleKey).update(username).digest();
  }

  private idleSince(now: Date): Date {
    return new Date(now.getTime() - this.idleMs);
  }

  private forgottenBefore(now: Date): Date {
    return new Date(now.getTime() - LOGIN_THROTTLE.forgetAfterMs);
  }
}

const invalidCredentials = (): AppError => new AppError('INVALID_CREDENTIALS', 'Wrong user name or password.');
