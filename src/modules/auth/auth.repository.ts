import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { ThrottleState } from './login-throttle.js';
import type { Role, User } from './auth.types.js';

/** The SQL of users, sessions and the sign-in throttle; AuthService holds the rules. */

type Db = Kysely<Database> | Transaction<Database>;

/** The advisory lock that serializes changes to users (beside the change log's 7_261_001 and the audit log's 7_261_002). */
const USERS_LOCK = 7_261_003;

const asUser = (row: { id: number; username: string; role: string }): User => ({ id: row.id, username: row.username, role: row.role as Role });

/** Takes the users lock for the rest of the transaction. */
export async function lockUsers(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${USERS_LOCK})`.execute(trx);
}

/** Inserts a user; undefined when the name is taken. */
export async function insertUser(trx: Transaction<Database>, username: string, passwordHash: string, role: Role): Promise<number | undefined> {
  const row = await trx
    .insertInto('users')
    .values({ username, password_hash: passwordHash, role, disabled_at: null })
    .onConflict((oc) => oc.column('username').doNothing())
    .returning(['id'])
    .executeTakeFirst();
  return row?.id;
}

/** Every user with their count of live sessions (not expired, not idle for longer than `idleSince` allows). */
export async function listUsers(db: Db, now: Date, idleSince: Date) {
  const rows = await db
    .selectFrom('users as u')
    .leftJoin('sessions as s', (join) => join.onRef('s.user_id', '=', 'u.id').on('s.expires_at', '>', now).on('s.last_used_at', '>', idleSince))
    .select(({ fn }) => ['u.username', 'u.role', 'u.created_at', 'u.disabled_at', fn.count<string>('s.user_id').as('sessions')])
    .groupBy(['u.id', 'u.username', 'u.role', 'u.created_at', 'u.disabled_at'])
    .orderBy('u.username')
    .execute();
  return rows.map((r) => ({ username: r.username, role: r.role as Role, createdAt: r.created_at, disabledAt: r.disabled_at, activeSessions: Number(r.sessions) }));
}

/** The user when they are an active administrator (checked under the users lock). */
export async function findActiveAdmin(trx: Transaction<Database>, username: string): Promise<{ id: number } | undefined> {
  return trx.selectFrom('users').select('id').where('username', '=', username).where('role', '=', 'admin').where('disabled_at', 'is', null).executeTakeFirst();
}

/** A user by name, with what an admin's change reads (role, disabled). */
export async function findUserByName(db: Db, username: string) {
  return db.selectFrom('users').select(['id', 'role', 'disabled_at']).where('username', '=', username).executeTakeFirst();
}

/** Writes a user's role and disabled time (null: active). */
export async function setRoleAndDisabled(trx: Transaction<Database>, userId: number, role: Role, disabledAt: Date | null): Promise<void> {
  await trx.updateTable('users').set({ role, disabled_at: disabledAt }).where('id', '=', userId).execute();
}

/** What a sign-in checks: the active user of that name and their password hash. */
export async function findSignInUser(db: Db, username: string) {
  const row = await db
    .selectFrom('users')
    .select(['id', 'username', 'role', 'password_hash', 'must_change_password'])
    .where('username', '=', username)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? undefined : { user: asUser(row), passwordHash: row.password_hash, mustChangePassword: row.must_change_password };
}

/** The password hash of an active user, for checking their current password. */
export async function findPasswordHash(db: Db, userId: number): Promise<string | undefined> {
  return (await db.selectFrom('users').select('password_hash').where('id', '=', userId).where('disabled_at', 'is', null).executeTakeFirst())?.password_hash;
}

/**
 * The user's password hash, if they are active, with their row locked for the rest of the transaction: a
 * password change or reset committing meanwhile waits, or has already happened and is seen.
 */
export async function lockPasswordHash(trx: Transaction<Database>, userId: number): Promise<string | undefined> {
  return (await trx.selectFrom('users').select('password_hash').where('id', '=', userId).where('disabled_at', 'is', null).forUpdate().executeTakeFirst())?.password_hash;
}

/**
 * Replaces the password hash the caller verified, and only that one: of two changes at once (two sign-ins with
 * one one-time password), the second finds the hash gone and changes nothing. Whether it changed.
 */
export async function replacePassword(trx: Transaction<Database>, userId: number, verifiedHash: string, passwordHash: string, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('users')
    .set({ password_hash: passwordHash, must_change_password: false, password_changed_at: now })
    .where('id', '=', userId)
    .where('password_hash', '=', verifiedHash)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Sets a new password hash; `mustChange` marks a one-time password set by an administrator. */
export async function setPassword(trx: Transaction<Database>, userId: number, passwordHash: string, mustChange: boolean, now: Date): Promise<void> {
  await trx.updateTable('users').set({ password_hash: passwordHash, must_change_password: mustChange, password_changed_at: now }).where('id', '=', userId).execute();
}

/** Stores a new session by its token's hash, used as of `now`. */
export async function insertSession(trx: Transaction<Database>, session: { tokenHash: Buffer; userId: number; expiresAt: Date; now: Date; userAgent: string | null }): Promise<void> {
  await trx
    .insertInto('sessions')
    .values({ token_hash: session.tokenHash, user_id: session.userId, created_at: session.now, last_used_at: session.now, expires_at: session.expiresAt, user_agent: session.userAgent })
    .execute();
}

/** The user of a live session: not expired, used since `idleSince`, its user not disabled. */
export async function findLiveSession(db: Db, tokenHash: Buffer, now: Date, idleSince: Date): Promise<{ user: User; lastUsedAt: Date } | undefined> {
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.username', 'u.role', 's.last_used_at'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.expires_at', '>', now)
    .where('s.last_used_at', '>', idleSince)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  return row === undefined ? undefined : { user: asUser(row), lastUsedAt: row.last_used_at };
}

/** Marks a session used at `now` (never moving the time backwards). */
export async function touchSession(db: Db, tokenHash: Buffer, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ last_used_at: now }).where('token_hash', '=', tokenHash).where('last_used_at', '<', now).execute();
}

/** Deletes one session by its token; the user it belonged to, if it existed. */
export async function deleteSessionByToken(trx: Transaction<Database>, tokenHash: Buffer): Promise<number | undefined> {
  return (await trx.deleteFrom('sessions').where('token_hash', '=', tokenHash).returning('user_id').executeTakeFirst())?.user_id;
}

/** Deletes one of a user's sessions by its id; whether there was one. */
export async function deleteSessionById(trx: Transaction<Database>, userId: number, id: number): Promise<boolean> {
  const row = await trx.deleteFrom('sessions').where('user_id', '=', userId).where('id', '=', id).returning('id').executeTakeFirst();
  return row !== undefined;
}

/** Ends every session of a user, but the one of `keep` when given; how many ended. */
export async function deleteSessionsOf(trx: Transaction<Database>, userId: number, keep?: Buffer): Promise<number> {
  let query = trx.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep !== undefined) query = query.where('token_hash', '!=', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A user's live sessions, most recently used first. */
export async function listSessions(db: Db, userId: number, now: Date, idleSince: Date) {
  return db
    .selectFrom('sessions')
    .select(['id', 'token_hash', 'created_at', 'last_used_at', 'expires_at', 'user_agent'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', now)
    .where('last_used_at', '>', idleSince)
    .orderBy('last_used_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/**
 * Counts one attempt for an account name, atomically: under the row's lock, either the name must still wait
 * (the state is returned unchanged) or `next` computes the state with this attempt counted, which is stored.
 */
export async function countAttempt(
  db: Kysely<Database>,
  nameHash: Buffer,
  now: Date,
  decide: (state: ThrottleState | null) => ThrottleState | null,
): Promise<{ before: ThrottleState | null; after: ThrottleState | null }> {
  return db.transaction().execute(async (trx) => {
    // Insert-then-lock: two first attempts at once must not both find no row and both go ahead unlocked.
    await trx.insertInto('login_throttle').values({ name_hash: nameHash, failures: 0, last_failure_at: now, locked_until: null }).onConflict((oc) => oc.column('name_hash').doNothing()).execute();
    const row = await trx.selectFrom('login_throttle').select(['failures', 'last_failure_at', 'locked_until']).where('name_hash', '=', nameHash).forUpdate().executeTakeFirstOrThrow();
    const before = row.failures === 0 ? null : { failures: row.failures, lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until };
    const after = decide(before);
    if (after !== null) {
      await trx.updateTable('login_throttle').set({ failures: after.failures, last_failure_at: after.lastFailureAt, locked_until: after.lockedUntil }).where('name_hash', '=', nameHash).execute();
    }
    return { before, after };
  });
}

/** Forgets an account name's failures (a right password), and any other name's that are long forgotten anyway. */
export async function clearAttempts(trx: Transaction<Database>, nameHash: Buffer, forgottenBefore: Date, now: Date): Promise<void> {
  await trx.deleteFrom('login_throttle').where('name_hash', '=', nameHash).execute();
  await trx
    .deleteFrom('login_throttle')
    .where('last_failure_at', '<', forgottenBefore)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .execute();
}
