import { sql, type Kysely } from 'kysely';

/**
 * Forwarded messages (issue 16). A message's text is stored once, however many people forward it; each
 * forward is a report (its sender and links are that report's evidence) and a row here naming the message.
 * Messages that share a template form a campaign, named by its first message; officers may share a
 * campaign's template with telcos to block.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE messages (
      id bigserial PRIMARY KEY,
      -- SHA-256 of the text with case, width and spacing folded: the same message forwarded twice is one row.
      text_hash bytea NOT NULL UNIQUE,
      channel text NOT NULL,
      text text NOT NULL,
      subject text,
      -- The text with its values masked and folded, and its MinHash signature: what campaigns are grouped by.
      template text NOT NULL,
      signature bytea NOT NULL,
      -- How the signature was computed (template-signature.ts's SIGNATURE_VERSION): a later change of the
      -- normalization or hashing can tell the rows it must recompute from their text.
      signature_version smallint NOT NULL,
      campaign_id bigint REFERENCES messages (id),
      label text NOT NULL,
      score real NOT NULL,
      forwards integer NOT NULL DEFAULT 0,
      first_received_at timestamptz NOT NULL,
      last_received_at timestamptz NOT NULL
    );
    CREATE INDEX messages_campaign ON messages (campaign_id);

    CREATE TABLE message_forwards (
      message_id bigint NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
      -- The forwarder's fingerprint (as a report's): one person's forwards of one message count once.
      forwarder bytea NOT NULL,
      report_id bigint NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
      sender_key text,
      sender text,
      received_at timestamptz NOT NULL,
      -- An SMS forwarded to the short code arrives without its sender; the gateway asks for it, and the
      -- forwarder's next text before this time is taken as the answer.
      awaiting_sender_until timestamptz,
      PRIMARY KEY (message_id, forwarder)
    );
    CREATE INDEX message_forwards_awaiting ON message_forwards (forwarder, awaiting_sender_until) WHERE awaiting_sender_until IS NOT NULL;
    CREATE INDEX message_forwards_report ON message_forwards (report_id);

    CREATE TABLE campaign_shares (
      campaign_id bigint PRIMARY KEY REFERENCES messages (id),
      template text NOT NULL,
      shared_by text NOT NULL,
      reason text NOT NULL,
      shared_at timestamptz NOT NULL DEFAULT now(),
      withdrawn_at timestamptz,
      seq bigserial NOT NULL UNIQUE
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE campaign_shares; DROP TABLE message_forwards; DROP TABLE messages;`.execute(db);
}
