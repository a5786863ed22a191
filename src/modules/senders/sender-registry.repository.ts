import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { RegistryEntry, RegistryStatus, StoredRegistryEntry } from './sender-registry.types.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Rows per INSERT: six parameters each, far below PostgreSQL's 65,535 parameters a statement. */
const CHUNK = 1_000;

function selectEntries(db: Db) {
  return db
    .selectFrom('sms_sender_registry')
    .select([
      'sender_key',
      'sender_id',
      'organisation',
      'status',
      // As text: pg would read a date as a local-midnight Date, which shifts a day in some time zones.
      sql<string>`registered_on::text`.as('registered_on'),
      sql<string | null>`expires_on::text`.as('expires_on'),
      'seq',
      'updated_at',
    ]);
}

type Row = { sender_key: string; sender_id: string; organisation: string; status: string; registered_on: string; expires_on: string | null; seq: number; updated_at: Date };

const fromRow = (r: Row): StoredRegistryEntry => ({
  key: r.sender_key,
  senderId: r.sender_id,
  organisation: r.organisation,
  status: r.status as RegistryStatus,
  registeredOn: r.registered_on,
  expiresOn: r.expires_on,
  seq: r.seq,
  updatedAt: r.updated_at,
});

/** Every registry entry, in sender ID order (case-folded). */
export async function registryEntries(db: Db): Promise<StoredRegistryEntry[]> {
  return (await selectEntries(db).orderBy('sender_key').execute()).map(fromRow);
}

/** The entries stored under these keys. */
export async function registryEntriesByKey(db: Db, keys: readonly string[]): Promise<Map<string, StoredRegistryEntry>> {
  if (keys.length === 0) return new Map();
  const rows = await selectEntries(db).where('sender_key', '=', sql<string>`ANY(${keys as string[]}::text[])`).execute();
  return new Map(rows.map((r) => [r.sender_key, fromRow(r)]));
}

/**
 * The entries written after `seq`, oldest first: a telco's delta feed (entries are never deleted, and each
 * write gives its row a new sequence number, so the latest state of every changed entry is here).
 */
export async function registryEntriesAfter(db: Db, seq: number, limit: number): Promise<StoredRegistryEntry[]> {
  return (await selectEntries(db).where('seq', '>', seq).orderBy('seq').limit(limit).execute()).map(fromRow);
}

/**
 * The registry's last write (0 when empty): a node whose copy was built at this sequence is current. Writers
 * hold the change-log lock from before they take a number until they commit, so numbers commit in order.
 */
export async function registrySeq(db: Db): Promise<number> {
  const row = await db.selectFrom('sms_sender_registry').select(sql<number | null>`max(seq)`.as('seq')).executeTakeFirst();
  return row?.seq ?? 0;
}

/** Writes these entries (new or changed), each with a new sequence number. */
export async function upsertRegistryEntries(trx: Transaction<Database>, entries: readonly (RegistryEntry & { key: string })[]): Promise<void> {
  for (let i = 0; i < entries.length; i += CHUNK) {
    const values = entries.slice(i, i + CHUNK).map((e) => ({
      sender_key: e.key,
      sender_id: e.senderId,
      organisation: e.organisation,
      status: e.status,
      registered_on: e.registeredOn,
      expires_on: e.expiresOn,
    }));
    await trx
      .insertInto('sms_sender_registry')
      .values(values)
      .onConflict((oc) =>
        oc.column('sender_key').doUpdateSet((eb) => ({
          sender_id: eb.ref('excluded.sender_id'),
          organisation: eb.ref('excluded.organisation'),
          status: eb.ref('excluded.status'),
          registered_on: eb.ref('excluded.registered_on'),
          expires_on: eb.ref('excluded.expires_on'),
          seq: sql<number>`nextval('sms_sender_registry_seq')`,
          updated_at: sql<Date>`now()`,
        })),
      )
      .execute();
  }
}

/** Sets one entry's status (with a new sequence number); false when there is no such entry. */
export async function updateRegistryStatus(trx: Transaction<Database>, key: string, status: RegistryStatus): Promise<boolean> {
  const result = await trx
    .updateTable('sms_sender_registry')
    .set({ status, seq: sql<number>`nextval('sms_sender_registry_seq')`, updated_at: sql<Date>`now()` })
    .where('sender_key', '=', key)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Gives these entries new sequence numbers without changing them: a registration that began or ended on its
 * date is a change for telcos following the feed (its `inForce`), though no column of it changed.
 */
export async function touchRegistryEntries(trx: Transaction<Database>, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await trx.updateTable('sms_sender_registry').set({ seq: sql<number>`nextval('sms_sender_registry_seq')`, updated_at: sql<Date>`now()` }).where('sender_key', 'in', keys).execute();
}

/** How each of these entries is protected now: absent (none), or its name and whether it is marked compromised. */
export async function protectionStates(db: Db, keys: readonly string[]): Promise<Map<string, { name: string; compromised: boolean }>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .selectFrom('protected_entities')
    .select(['evidence_key', 'name', 'compromised_at'])
    .where('evidence_key', '=', sql<string>`ANY(${keys as string[]}::text[])`)
    .execute();
  return new Map(rows.map((r) => [r.evidence_key, { name: r.name, compromised: r.compromised_at !== null }]));
}
