import { sql, type Kysely } from 'kysely';

/**
 * Disputes (issue 17): someone whose number, site, account or sender ID is flagged says it is wrongly flagged
 * (`dispute`), or a business asks to be protected (`verify`). The value is stored in normal form, keyed like
 * evidence; the person's name and contact only encrypted (AES-256-GCM, the dispute's reference authenticated
 * with them), the status token only hashed. Nothing links a dispute to the reports about its value.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE disputes (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      reference text NOT NULL UNIQUE,
      request text NOT NULL CHECK (request IN ('dispute', 'verify')),
      indicator_key text NOT NULL,
      kind text NOT NULL,
      canonical text NOT NULL,
      -- The public level when it was asked: what the person saw (the counts say what was disputed).
      level_at_submission text NOT NULL,
      claimant_role text NOT NULL CHECK (claimant_role IN ('owner', 'representative')),
      -- The business they speak for (not personal data; a verification protects it under this name).
      organisation text,
      explanation text NOT NULL,
      evidence text NOT NULL DEFAULT '',
      evidence_links jsonb NOT NULL DEFAULT '[]',
      contact_nonce bytea NOT NULL,
      contact_ciphertext bytea NOT NULL,
      status_token_hash bytea NOT NULL,
      status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'upheld', 'cleared', 'verified', 'rejected')),
      decided_by text,
      decision_reason text,
      decided_at timestamptz,
      received_at timestamptz NOT NULL DEFAULT now(),
      -- When the retention job erased the person's contact and words (the request, value and outcome stay, for the counts).
      redacted_at timestamptz,
      CHECK ((status = 'open') = (decided_at IS NULL))
    );
    -- The queue: open first, oldest first; and the open disputes of one value (the per-value cap).
    CREATE INDEX disputes_queue ON disputes (status, received_at);
    CREATE INDEX disputes_open_by_key ON disputes (indicator_key) WHERE status = 'open';
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE disputes`.execute(db);
}
