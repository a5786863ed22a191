import { sql, type Kysely } from 'kysely';

/**
 * Partners (issue 13): organisations that act on verdicts (banks, wallets, telcos, platforms, apps, peer
 * anti-scam centres), their API keys and their calls per day. A key is stored as the SHA-256 of the token
 * (the token is 192 random bits, so a fast hash loses nothing) beside a short public prefix to tell keys
 * apart; the token itself is shown once. Usage is a count per organisation, UTC day and route: never the
 * values a partner checked. Banks share suspected mule accounts (Hong Kong's FINEST): one row per bank and
 * account, so that one bank counts once however often it shares; `seq` moves on every change, for the nodes'
 * in-memory copies to follow. What happened after a payee check is kept once per check and outcome, with what
 * the check answered (from its sealed id), for the dashboard and the officers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE organisations (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      name text NOT NULL UNIQUE,
      type text NOT NULL CHECK (type IN ('bank', 'wallet', 'telco', 'platform', 'app', 'peer_centre')),
      requests_per_minute integer NOT NULL CHECK (requests_per_minute >= 0),
      daily_quota integer NOT NULL CHECK (daily_quota >= 0),
      created_at timestamptz NOT NULL DEFAULT now(),
      disabled_at timestamptz
    );
    CREATE TABLE partner_keys (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id bigint NOT NULL REFERENCES organisations (id),
      key_hash bytea NOT NULL UNIQUE,
      prefix text NOT NULL,
      scopes text[] NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL,
      revoked_at timestamptz
    );
    CREATE INDEX partner_keys_organisation ON partner_keys (organisation_id);
    CREATE TABLE partner_usage (
      organisation_id bigint NOT NULL REFERENCES organisations (id),
      day date NOT NULL,
      route text NOT NULL,
      calls bigint NOT NULL,
      refused bigint NOT NULL,
      PRIMARY KEY (organisation_id, day, route)
    );
    CREATE SEQUENCE shared_accounts_seq;
    CREATE TABLE shared_accounts (
      organisation_id bigint NOT NULL REFERENCES organisations (id),
      entry text NOT NULL,
      kind text NOT NULL,
      reason text NOT NULL,
      confidence text NOT NULL CHECK (confidence IN ('low', 'medium', 'high')),
      amount numeric(18, 2),
      currency char(3),
      shared_at timestamptz NOT NULL DEFAULT now(),
      withdrawn_at timestamptz,
      seq bigint NOT NULL DEFAULT nextval('shared_accounts_seq'),
      PRIMARY KEY (organisation_id, entry)
    );
    CREATE INDEX shared_accounts_by_seq ON shared_accounts (seq);
    CREATE TABLE payee_outcomes (
      organisation_id bigint NOT NULL REFERENCES organisations (id),
      check_hash bytea NOT NULL,
      outcome text NOT NULL,
      entry text NOT NULL,
      risk text NOT NULL,
      action text NOT NULL,
      amount numeric(18, 2),
      currency char(3),
      checked_at timestamptz NOT NULL,
      reported_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (organisation_id, check_hash, outcome)
    );
    CREATE INDEX payee_outcomes_reported ON payee_outcomes (reported_at);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE payee_outcomes; DROP TABLE shared_accounts; DROP SEQUENCE shared_accounts_seq; DROP TABLE partner_usage; DROP TABLE partner_keys; DROP TABLE organisations;`.execute(db);
}
