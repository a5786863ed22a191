import { sql, type Kysely } from 'kysely';

/**
 * Sessions get an id to be listed and revoked by (the token's hash stays the key nobody sees), a last-used time
 * for the idle timeout, and the browser that opened them, so that a user can tell them apart. Users get a flag
 * for a password an administrator reset (it must be changed at the next sign-in) and when it last changed.
 * Failed sign-ins are counted per account name in the database, so every server node sees the same backoff;
 * the name is kept only as a keyed hash (people type passwords into the name field).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE sessions
      ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
      ADD COLUMN last_used_at timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN user_agent text;
    CREATE INDEX sessions_user ON sessions (user_id);
    ALTER TABLE users
      ADD COLUMN must_change_password boolean NOT NULL DEFAULT false,
      ADD COLUMN password_changed_at timestamptz;
    CREATE TABLE login_throttle (
      name_hash bytea PRIMARY KEY,
      failures integer NOT NULL,
      last_failure_at timestamptz NOT NULL,
      locked_until timestamptz
    );
    CREATE INDEX login_throttle_last_failure ON login_throttle (last_failure_at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    DROP TABLE login_throttle;
    ALTER TABLE users DROP COLUMN must_change_password, DROP COLUMN password_changed_at;
    DROP INDEX sessions_user;
    ALTER TABLE sessions DROP COLUMN id, DROP COLUMN last_used_at, DROP COLUMN user_agent;
  `.execute(db);
}
