import { sql, type Kysely } from 'kysely';

/**
 * The whole first schema. Reporters' contact details sit in their own table, encrypted; nothing else refers
 * to a person. `evidence` is derived (recomputed from reports, feeds, decisions and protected entities) and
 * `evidence_changes` is the one change log every server follows. The audit log refuses UPDATE and DELETE.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE reports (
      id bigserial PRIMARY KEY,
      reference text NOT NULL UNIQUE,
      source text NOT NULL,
      external_id text,
      status_token_hash bytea,
      fingerprint bytea NOT NULL,
      content_hash bytea NOT NULL,
      duplicate_of bigint REFERENCES reports (id),
      received_at timestamptz NOT NULL,
      occurred_at timestamptz,
      channel text NOT NULL,
      scam_type text NOT NULL,
      narrative text NOT NULL DEFAULT '',
      loss_amount numeric(18, 2),
      loss_currency char(3),
      status text NOT NULL DEFAULT 'new',
      status_changed_at timestamptz NOT NULL DEFAULT now(),
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (source, external_id)
    );
    CREATE INDEX reports_fingerprint_content ON reports (fingerprint, content_hash);

    CREATE TABLE report_indicators (
      report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
      key text NOT NULL,
      kind text NOT NULL,
      canonical text NOT NULL,
      role text,
      extracted boolean NOT NULL DEFAULT false,
      PRIMARY KEY (report_id, key)
    );

    CREATE TABLE report_evidence (
      evidence_key text NOT NULL,
      report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
      PRIMARY KEY (evidence_key, report_id)
    );

    CREATE TABLE reporter_contacts (
      report_id bigint PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
      nonce bytea NOT NULL,
      ciphertext bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE feed_entries (
      feed text NOT NULL,
      evidence_key text NOT NULL,
      kind text NOT NULL,
      canonical text NOT NULL,
      level smallint NOT NULL,
      listed_at timestamptz NOT NULL,
      PRIMARY KEY (feed, evidence_key)
    );
    CREATE INDEX feed_entries_key ON feed_entries (evidence_key);

    CREATE TABLE decisions (
      evidence_key text PRIMARY KEY,
      kind text NOT NULL,
      canonical text NOT NULL,
      level smallint NOT NULL,
      reason text NOT NULL,
      decided_by text NOT NULL,
      decided_at timestamptz NOT NULL
    );

    CREATE TABLE protected_entities (
      evidence_key text PRIMARY KEY,
      kind text NOT NULL,
      canonical text NOT NULL,
      name text NOT NULL,
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      compromised_at timestamptz,
      compromise_reason text
    );

    CREATE TABLE evidence (
      key text PRIMARY KEY,
      report_count integer NOT NULL,
      first_seen timestamptz,
      last_seen timestamptz,
      last_report timestamptz,
      scam_types integer NOT NULL,
      feed_level smallint NOT NULL,
      feed_name text,
      decision smallint NOT NULL,
      decided_at timestamptz,
      protection smallint NOT NULL
    );

    CREATE TABLE evidence_changes (
      seq bigserial PRIMARY KEY,
      key text NOT NULL,
      changed_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE users (
      id bigserial PRIMARY KEY,
      username text NOT NULL UNIQUE,
      password_hash text NOT NULL,
      role text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      disabled_at timestamptz
    );

    CREATE TABLE sessions (
      token_hash bytea PRIMARY KEY,
      user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      created_at timestamptz NOT NULL DEFAULT now(),
      expires_at timestamptz NOT NULL
    );

    CREATE TABLE audit_log (
      seq bigint PRIMARY KEY,
      at timestamptz NOT NULL,
      actor text NOT NULL,
      action text NOT NULL,
      subject text NOT NULL,
      details jsonb NOT NULL,
      prev_hash bytea NOT NULL,
      hash bytea NOT NULL
    );
    CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
    CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE audit_log, sessions, users, evidence_changes, evidence, protected_entities, decisions, feed_entries,
      reporter_contacts, report_evidence, report_indicators, reports;
    DROP FUNCTION audit_log_append_only;
  `.execute(db);
}
