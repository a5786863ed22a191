import { sql, type Kysely } from 'kysely';

/**
 * Two key tables (docs/audit.md, docs/keys.md).
 *
 * `audit_subject_keys`: one data key per audit subject, wrapped under a key derived from the audit key. The
 * audit log stays append-only and holds personal free text only encrypted under its subject's key; erasing
 * a subject deletes the key (crypto-shredding), so the rows stay, the chain still verifies, and the text is
 * gone. A shredded key keeps its row (wrapped NULL) so that readers can say "erased" rather than "missing";
 * a later write about the subject gets a new key, hence the partial unique index.
 *
 * `data_keys`: the data keys (contact, fingerprint, audit, ...) wrapped under a key-encryption key derived
 * from the master secret, so that the master can be rotated by re-wrapping them (`scamgraph keys rotate`)
 * without re-encrypting or re-keying anything. In the database, not a file: every node of a PostgreSQL
 * deployment must read the same keys.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE TABLE audit_subject_keys (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      subject text NOT NULL,
      wrapped bytea,
      created_at timestamptz NOT NULL DEFAULT now(),
      shredded_at timestamptz,
      CHECK ((wrapped IS NULL) = (shredded_at IS NOT NULL))
    );
    CREATE UNIQUE INDEX audit_subject_keys_live ON audit_subject_keys (subject) WHERE wrapped IS NOT NULL;
    CREATE TABLE data_keys (
      purpose text NOT NULL,
      version integer NOT NULL,
      wrapped bytea NOT NULL,
      master_id text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      wrapped_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (purpose, version)
    );
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE audit_subject_keys, data_keys`.execute(db);
}
