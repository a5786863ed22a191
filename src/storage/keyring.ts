import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { ConfigError } from '../config.js';
import type { Database } from './schema.js';
import { deriveSecrets, keyWrapKey, masterKeyId, promoteSecretFile, stagedSecret, type MasterSecret, type Secrets } from './secrets.js';

// The data keys, kept in the database wrapped under the master secret's key-encryption key (docs/keys.md).
// The master secret then only unlocks them: rotating it re-wraps six small rows and re-encrypts nothing,
// and each key (the fingerprint key, the STIX key, the audit key) stays what it was, so fingerprints,
// published ids and the audit chain are unchanged by a rotation.

/** Each data key's purpose, as stored. */
const PURPOSES: Record<keyof Secrets, string> = {
  contactKey: 'contact',
  fingerprintKey: 'fingerprint',
  auditKey: 'audit',
  checkIdKey: 'payee check id',
  webhookKey: 'webhook secret',
  stixKey: 'stix ids',
};
const KEYRING_LOCK = 7_261_022;
const NONCE = 12;
const TAG = 16;

const aad = (purpose: string, version: number): Buffer => Buffer.from(`scamgraph data key v1\0${purpose}\0${version}`, 'utf8');

function wrap(kek: Buffer, purpose: string, version: number, key: Buffer): Buffer {
  const nonce = randomBytes(NONCE);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce);
  cipher.setAAD(aad(purpose, version));
  return Buffer.concat([nonce, cipher.update(key), cipher.final(), cipher.getAuthTag()]);
}

function unwrap(kek: Buffer, purpose: string, version: number, wrapped: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, NONCE));
  decipher.setAAD(aad(purpose, version));
  decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG));
  return Buffer.concat([decipher.update(wrapped.subarray(NONCE, wrapped.length - TAG)), decipher.final()]);
}

interface KeyRow {
  purpose: string;
  version: number;
  wrapped: Buffer;
  master_id: string;
  wrapped_at: Date;
}

/** The newest version of each purpose's key. */
function newest(rows: KeyRow[]): KeyRow[] {
  const byPurpose = new Map<string, KeyRow>();
  for (const row of rows) if ((byPurpose.get(row.purpose)?.version ?? -1) < row.version) byPurpose.set(row.purpose, row);
  return [...byPurpose.values()];
}

function wrongSecret(given: string, stored: KeyRow): ConfigError {
  return new ConfigError(
    `The master secret given (key id ${given}) does not open this database's data keys: they are wrapped under the secret with key id ${stored.master_id} ` +
      `(since ${stored.wrapped_at.toISOString()}; scamgraph keys rotate replaced the secret then). Start with that secret (SCAMGRAPH_SECRET_KEY, or the data directory's secret.key).`,
  );
}

/**
 * The data keys of this database, unwrapped with `master`. On first use (a new database, or one from before
 * migration 022) they are made from the keys the master derives, so existing data stays readable. A
 * secret that does not open them stops the process with a ConfigError naming both secrets' ids; a rotation
 * of a key file interrupted after its database commit is finished here (its `.next` file moved into place).
 */
export async function openKeyring(db: Kysely<Database>, master: MasterSecret): Promise<Secrets> {
  let rows = await db.selectFrom('data_keys').select(['purpose', 'version', 'wrapped', 'master_id', 'wrapped_at']).execute();
  if (newest(rows).length < Object.keys(PURPOSES).length) rows = await createMissing(db, master.key);
  let key = master.key;
  const stored = rows[0] as KeyRow;
  if (rows.some((r) => r.master_id !== stored.master_id)) throw new ConfigError('The data_keys table holds keys wrapped under different secrets: it was altered, or restored in part; restore it whole from a backup.');
  if (stored.master_id !== masterKeyId(key)) {
    const staged = master.file === null ? null : stagedSecret(master.file);
    if (staged === null || masterKeyId(staged) !== stored.master_id) throw wrongSecret(masterKeyId(key), stored);
    promoteSecretFile(master.file as string);
    key = staged;
  }
  const kek = keyWrapKey(key);
  const found = new Map(newest(rows).map((r) => [r.purpose, r]));
  const secrets = {} as Secrets;
  for (const [field, purpose] of Object.entries(PURPOSES) as [keyof Secrets, string][]) {
    const row = found.get(purpose) as KeyRow;
    try {
      secrets[field] = unwrap(kek, purpose, row.version, row.wrapped);
    } catch {
      throw new ConfigError(`The ${purpose} data key (version ${row.version}) does not unwrap under the master secret (key id ${masterKeyId(key)}): the data_keys table was altered; restore it from a backup.`);
    }
  }
  return secrets;
}

/** Stores, as version 1, the derived key of every purpose that has none yet (of nodes starting at once, one does). */
async function createMissing(db: Kysely<Database>, master: Buffer): Promise<KeyRow[]> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${KEYRING_LOCK})`.execute(trx);
    const rows = await trx.selectFrom('data_keys').select(['purpose', 'version', 'wrapped', 'master_id', 'wrapped_at']).execute();
    const have = new Set(rows.map((r) => r.purpose));
    // The keys are those of the secret the existing rows are wrapped under: never mix two secrets' rows.
    if (rows.length > 0 && rows[0]?.master_id !== masterKeyId(master)) throw wrongSecret(masterKeyId(master), rows[0] as KeyRow);
    const derived = deriveSecrets(master);
    const kek = keyWrapKey(master);
    const missing = (Object.entries(PURPOSES) as [keyof Secrets, string][]).filter(([, purpose]) => !have.has(purpose));
    if (missing.length > 0) {
      await trx
        .insertInto('data_keys')
        .values(missing.map(([field, purpose]) => ({ purpose, version: 1, wrapped: wrap(kek, purpose, 1, derived[field]), master_id: masterKeyId(master) })))
        .execute();
    }
    return trx.selectFrom('data_keys').select(['purpose', 'version', 'wrapped', 'master_id', 'wrapped_at']).execute();
  });
}

/** What a rotation did: the two secrets' ids and the keys re-wrapped (purpose and version; never key material). */
export interface Rewrapped {
  from: string;
  to: string;
  keys: { purpose: string; version: number }[];
}

/**
 * Re-wraps every data key (all versions) from the secret `from` to the secret `to`, in the caller's
 * transaction: the keys themselves do not change, so nothing else needs re-encrypting.
 */
export async function rewrapKeyring(trx: Transaction<Database>, from: Buffer, to: Buffer): Promise<Rewrapped> {
  await sql`SELECT pg_advisory_xact_lock(${KEYRING_LOCK})`.execute(trx);
  const rows = await trx.selectFrom('data_keys').select(['purpose', 'version', 'wrapped', 'master_id', 'wrapped_at']).orderBy('purpose').orderBy('version').execute();
  const fromId = masterKeyId(from);
  const stale = rows.find((r) => r.master_id !== fromId);
  if (stale !== undefined) throw wrongSecret(fromId, stale);
  const oldKek = keyWrapKey(from);
  const newKek = keyWrapKey(to);
  const toId = masterKeyId(to);
  for (const row of rows) {
    const key = unwrap(oldKek, row.purpose, row.version, row.wrapped);
    await trx
      .updateTable('data_keys')
      .set({ wrapped: wrap(newKek, row.purpose, row.version, key), master_id: toId, wrapped_at: new Date() })
      .where('purpose', '=', row.purpose)
      .where('version', '=', row.version)
      .execute();
  }
  return { from: fromId, to: toId, keys: rows.map((r) => ({ purpose: r.purpose, version: r.version })) };
}

/** The data keys as an operator may see them: purpose, version, the id of the secret wrapping each, when wrapped. */
export async function describeKeyring(db: Kysely<Database>): Promise<{ purpose: string; version: number; masterId: string; wrappedAt: string }[]> {
  const rows = await db.selectFrom('data_keys').select(['purpose', 'version', 'master_id', 'wrapped_at']).orderBy('purpose').orderBy('version').execute();
  return rows.map((r) => ({ purpose: r.purpose, version: r.version, masterId: r.master_id, wrappedAt: r.wrapped_at.toISOString() }));
}
