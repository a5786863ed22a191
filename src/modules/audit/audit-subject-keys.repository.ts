import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { newSubjectKey, unwrapSubjectKey } from './audit-crypto.js';

/**
 * The live key of `subject`, created on first use. Called only under the audit lock (appendAudit and
 * shredSubject take it), which is what makes get-or-create safe between concurrent writers.
 */
export async function liveSubjectKey(trx: Transaction<Database>, wrapKey: Buffer, subject: string): Promise<{ id: number; key: Buffer }> {
  const found = await trx.selectFrom('audit_subject_keys').select(['id', 'wrapped']).where('subject', '=', subject).where('wrapped', 'is not', null).executeTakeFirst();
  if (found !== undefined) return { id: found.id, key: unwrapSubjectKey(wrapKey, subject, found.wrapped as Buffer) };
  const made = newSubjectKey(wrapKey, subject);
  const row = await trx.insertInto('audit_subject_keys').values({ subject, wrapped: made.wrapped }).returning('id').executeTakeFirstOrThrow();
  return { id: row.id, key: made.key };
}

/**
 * The subject keys with these ids, unwrapped (null: shredded, or not this subject's). Keyed by id; ids
 * with no row are absent.
 */
export async function subjectKeysById(db: Kysely<Database>, wrapKey: Buffer, ids: number[]): Promise<Map<number, { subject: string; key: Buffer | null }>> {
  const keys = new Map<number, { subject: string; key: Buffer | null }>();
  if (ids.length === 0) return keys;
  const rows = await db.selectFrom('audit_subject_keys').select(['id', 'subject', 'wrapped']).where('id', 'in', [...new Set(ids)]).execute();
  for (const row of rows) {
    let key: Buffer | null = null;
    if (row.wrapped !== null) {
      try {
        key = unwrapSubjectKey(wrapKey, row.subject, row.wrapped);
      } catch {
        key = null; // wrapped for another subject or altered: its values read as erased, verify still names edits
      }
    }
    keys.set(row.id, { subject: row.subject, key });
  }
  return keys;
}

/**
 * Destroys every live key of these subjects, in one statement: the wrapped bytes are overwritten with NULL (the row stays, so
 * readers can tell erased from never written). The ids of the keys destroyed.
 */
export async function destroySubjectKeys(trx: Transaction<Database>, subjects: readonly string[]): Promise<number[]> {
  if (subjects.length === 0) return [];
  const rows = await trx.updateTable('audit_subject_keys').set({ wrapped: null, shredded_at: new Date() }).where('subject', 'in', subjects).where('wrapped', 'is not', null).returning('id').execute();
  return rows.map((r) => r.id);
}
