import { sql, type Kysely } from 'kysely';

/**
 * The SMS Sender Registry (Hong Kong's SMS Sender Registration Scheme): registered `#` sender IDs with their
 * organisation, status and dates. Keyed by the sender's indicator key (`sms_sender:#hsbc`), the key its
 * protected entity has, so case variants are one row. Every write takes a new `seq`, so that a node can tell
 * cheaply whether its copy in memory is current, and telcos' feed can follow the registry.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE SEQUENCE sms_sender_registry_seq;
    CREATE TABLE sms_sender_registry (
      sender_key text PRIMARY KEY,
      -- As registered, with its # and case: what is shown.
      sender_id text NOT NULL,
      organisation text NOT NULL,
      status text NOT NULL CHECK (status IN ('active', 'suspended')),
      -- Hong Kong days; expires_on is the last day of the registration, NULL when open-ended.
      registered_on date NOT NULL,
      expires_on date,
      seq bigint NOT NULL DEFAULT nextval('sms_sender_registry_seq'),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (expires_on IS NULL OR expires_on >= registered_on)
    );
    CREATE UNIQUE INDEX sms_sender_registry_by_seq ON sms_sender_registry (seq);
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE sms_sender_registry; DROP SEQUENCE sms_sender_registry_seq;`.execute(db);
}
