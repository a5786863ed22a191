import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface ProtectedRow {
  entry: string;
  kind: string;
  canonical: string;
  name: string;
  createdBy: string;
  createdAt: Date;
  compromisedAt: Date | null;
  compromiseReason: string | null;
}

export async function listProtected(db: Db): Promise<ProtectedRow[]> {
  const rows = await db.selectFrom('protected_entities').selectAll().orderBy('evidence_key').execute();
  return rows.map((r) => ({
    entry: r.evidence_key,
    kind: r.kind,
    canonical: r.canonical,
    name: r.name,
    createdBy: r.created_by,
    createdAt: r.created_at,
    compromisedAt: r.compromised_at,
    compromiseReason: r.compromise_reason,
  }));
}

export async function upsertDecision(
  trx: Transaction<Database>,
  d: { entry: string; kind: string; canonical: string; level: number; reason: string; actor: string },
): Promise<void> {
  const row = { evidence_key: d.entry, kind: d.kind, canonical: d.canonical, level: d.level, reason: d.reason, decided_by: d.actor, decided_at: new Date() };
  await trx
    .insertInto('decisions')
    .values(row)
    .onConflict((oc) => oc.column('evidence_key').doUpdateSet({ level: row.level, reason: row.reason, decided_by: row.decided_by, decided_at: row.decided_at }))
    .execute();
}

export async function upsertProtection(trx: Transaction<Database>, p: { entry: string; kind: string; canonical: string; name: string; actor: string }): Promise<void> {
  await trx
    .insertInto('protected_entities')
    .values({ evidence_key: p.entry, kind: p.kind, canonical: p.canonical, name: p.name, created_by: p.actor, compromised_at: null, compromise_reason: null })
    .onConflict((oc) => oc.column('evidence_key').doUpdateSet({ name: p.name, compromised_at: null, compromise_reason: null }))
    .execute();
}

export async function markCompromised(trx: Transaction<Database>, entry: string, reason: string): Promise<boolean> {
  const result = await trx
    .updateTable('protected_entities')
    .set({ compromised_at: new Date(), compromise_reason: reason })
    .where('evidence_key', '=', entry)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function removeProtection(trx: Transaction<Database>, entry: string): Promise<boolean> {
  const result = await trx.deleteFrom('protected_entities').where('evidence_key', '=', entry).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
