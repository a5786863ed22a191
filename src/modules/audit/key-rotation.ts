import type { Kysely } from 'kysely';
import { rewrapKeyring, type Rewrapped } from '../../storage/keyring.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit } from './audit.repository.js';

/** A rotation done: what was re-wrapped, and the audit row that says so. */
export interface Rotation extends Rewrapped {
  seq: number;
}

/**
 * Rotates the master secret: re-wraps every data key from `from` to `to` and appends a `keys.rotate` audit
 * row (the two secrets' ids and the keys' purposes and versions; never key material), in one transaction,
 * so that a rotation is either done and audited or not done at all.
 */
export async function rotateMasterSecret(db: Kysely<Database>, auditKey: Buffer, from: Buffer, to: Buffer, actor: string): Promise<Rotation> {
  return db.transaction().execute(async (trx) => {
    const done = await rewrapKeyring(trx, from, to);
    const keys = done.keys.map((k) => `${k.purpose} v${k.version}`);
    const seq = await appendAudit(trx, auditKey, { actor, action: 'keys.rotate', subject: 'keys', details: { from: done.from, to: done.to, keys } });
    return { ...done, seq };
  });
}
