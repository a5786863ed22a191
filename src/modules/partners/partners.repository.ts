import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import type { Organisation, OrganisationType, PartnerKey, PartnerScope } from './partner.types.js';

/** The SQL of organisations, their keys and their usage; PartnersService holds the rules. */

type Db = Kysely<Database> | Transaction<Database>;

const asOrganisation = (row: { id: number; name: string; type: string; requests_per_minute: number; daily_quota: number; created_at: Date; disabled_at: Date | null }): Organisation => ({
  id: row.id,
  name: row.name,
  type: row.type as OrganisationType,
  requestsPerMinute: row.requests_per_minute,
  dailyQuota: row.daily_quota,
  createdAt: row.created_at,
  disabledAt: row.disabled_at,
});

const asKey = (row: { id: number; organisation_id: number; prefix: string; scopes: string[]; created_at: Date; expires_at: Date; revoked_at: Date | null }): PartnerKey => ({
  id: row.id,
  organisationId: row.organisation_id,
  prefix: row.prefix,
  scopes: row.scopes as PartnerScope[],
  createdAt: row.created_at,
  expiresAt: row.expires_at,
  revokedAt: row.revoked_at,
});

const ORGANISATION_COLUMNS = ['id', 'name', 'type', 'requests_per_minute', 'daily_quota', 'created_at', 'disabled_at'] as const;
const KEY_COLUMNS = ['id', 'organisation_id', 'prefix', 'scopes', 'created_at', 'expires_at', 'revoked_at'] as const;

/** Inserts an organisation; undefined when the name is taken. */
export async function insertOrganisation(trx: Transaction<Database>, o: { name: string; type: OrganisationType; requestsPerMinute: number; dailyQuota: number }): Promise<Organisation | undefined> {
  const row = await trx
    .insertInto('organisations')
    .values({ name: o.name, type: o.type, requests_per_minute: o.requestsPerMinute, daily_quota: o.dailyQuota, disabled_at: null })
    .onConflict((oc) => oc.column('name').doNothing())
    .returning(ORGANISATION_COLUMNS)
    .executeTakeFirst();
  return row === undefined ? undefined : asOrganisation(row);
}

export async function findOrganisation(db: Db, by: { id: number } | { name: string }): Promise<Organisation | undefined> {
  let query = db.selectFrom('organisations').select(ORGANISATION_COLUMNS);
  query = 'id' in by ? query.where('id', '=', by.id) : query.where('name', '=', by.name);
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : asOrganisation(row);
}

export async function listOrganisations(db: Db): Promise<Organisation[]> {
  const rows = await db.selectFrom('organisations').select(ORGANISATION_COLUMNS).orderBy('name').execute();
  return rows.map(asOrganisation);
}

export async function insertKey(trx: Transaction<Database>, k: { organisationId: number; hash: Buffer; prefix: string; scopes: readonly PartnerScope[]; expiresAt: Date }): Promise<PartnerKey> {
  const row = await trx
    .insertInto('partner_keys')
    .values({ organisation_id: k.organisationId, key_hash: k.hash, prefix: k.prefix, scopes: [...k.scopes], expires_at: k.expiresAt, revoked_at: null })
    .returning(KEY_COLUMNS)
    .executeTakeFirstOrThrow();
  return asKey(row);
}

/** Keys of some organisations (all when `organisationIds` is undefined), newest first. */
export async function listKeys(db: Db, organisationIds?: number[]): Promise<PartnerKey[]> {
  if (organisationIds?.length === 0) return [];
  let query = db.selectFrom('partner_keys').select(KEY_COLUMNS).orderBy('id', 'desc');
  if (organisationIds !== undefined) query = query.where('organisation_id', 'in', organisationIds);
  return (await query.execute()).map(asKey);
}

/** A key by id, locked for the rest of the transaction. */
export async function findKeyForUpdate(trx: Transaction<Database>, id: number): Promise<PartnerKey | undefined> {
  const row = await trx.selectFrom('partner_keys').select(KEY_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
  return row === undefined ? undefined : asKey(row);
}

export async function setKeyTimes(trx: Transaction<Database>, id: number, times: { expiresAt?: Date; revokedAt?: Date }): Promise<void> {
  await trx
    .updateTable('partner_keys')
    .set({ ...(times.expiresAt === undefined ? {} : { expires_at: times.expiresAt }), ...(times.revokedAt === undefined ? {} : { revoked_at: times.revokedAt }) })
    .where('id', '=', id)
    .execute();
}

/** What a call with this key hash reads: the key and its organisation. */
export async function findKeyByHash(db: Db, hash: Buffer) {
  return db
    .selectFrom('partner_keys as k')
    .innerJoin('organisations as o', 'o.id', 'k.organisation_id')
    .select(['k.id', 'k.scopes', 'k.expires_at', 'k.revoked_at', 'o.id as organisation_id', 'o.name', 'o.type', 'o.requests_per_minute', 'o.daily_quota', 'o.disabled_at'])
    .where('k.key_hash', '=', hash)
    .executeTakeFirst();
}

export interface UsageRow {
  organisationId: number;
  day: string;
  route: string;
  calls: number;
  refused: number;
}

/** Adds counted calls to their day's rows (several nodes add to the same rows). */
export async function addUsage(db: Db, rows: UsageRow[]): Promise<void> {
  if (rows.length === 0) return;
  await sql`
    INSERT INTO partner_usage (organisation_id, day, route, calls, refused)
    SELECT * FROM unnest(${rows.map((r) => r.organisationId)}::bigint[], ${rows.map((r) => r.day)}::date[], ${rows.map((r) => r.route)}::text[],
      ${rows.map((r) => r.calls)}::bigint[], ${rows.map((r) => r.refused)}::bigint[])
    ON CONFLICT (organisation_id, day, route) DO UPDATE SET calls = partner_usage.calls + excluded.calls, refused = partner_usage.refused + excluded.refused`.execute(db);
}

/** Calls per day and route of one organisation (all when undefined) from `since` (YYYY-MM-DD) on. */
export async function usageSince(db: Db, since: string, organisationId?: number): Promise<UsageRow[]> {
  let query = db
    .selectFrom('partner_usage')
    .select(['organisation_id', sql<string>`day::text`.as('day'), 'route', 'calls', 'refused'])
    .where('day', '>=', since)
    .orderBy('day')
    .orderBy('route');
  if (organisationId !== undefined) query = query.where('organisation_id', '=', organisationId);
  const rows = await query.execute();
  return rows.map((r) => ({ organisationId: r.organisation_id, day: r.day, route: r.route, calls: Number(r.calls), refused: Number(r.refused) }));
}

/** Each organisation's calls on one day, every node's flushed counts together. */
export async function callsOn(db: Db, day: string): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('partner_usage')
    .select(['organisation_id', sql<string>`sum(calls)::text`.as('calls')])
    .where('day', '=', day)
    .groupBy('organisation_id')
    .execute();
  return new Map(rows.map((r) => [r.organisation_id, Number(r.calls)]));
}
