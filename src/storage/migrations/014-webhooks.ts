import { sql, type Kysely } from 'kysely';

/**
 * Partners' webhooks (issue 13): subscriptions to verdict changes, and an outbox of deliveries filled from the
 * verdict log. A delivery is claimed for a lease before it is sent, so a server killed mid-delivery loses
 * nothing: the lease lapses and another attempt carries the same event id. Signing secrets are kept encrypted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE webhook_subscriptions (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      organisation_id bigint NOT NULL REFERENCES organisations (id),
      url text NOT NULL,
      secret_nonce bytea NOT NULL,
      secret_ciphertext bytea NOT NULL,
      kinds text[],
      levels text[],
      cursor bigint NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      disabled_at timestamptz
    );
    CREATE INDEX webhook_subscriptions_organisation ON webhook_subscriptions (organisation_id);
    CREATE TABLE webhook_deliveries (
      subscription_id bigint NOT NULL REFERENCES webhook_subscriptions (id),
      seq bigint NOT NULL,
      event_id text NOT NULL,
      payload text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      attempts integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz,
      failed_at timestamptz,
      last_status integer,
      PRIMARY KEY (subscription_id, seq)
    );
    CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE webhook_deliveries; DROP TABLE webhook_subscriptions;`.execute(db);
}
