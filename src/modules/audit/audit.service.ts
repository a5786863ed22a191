import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { verifyAudit, type AuditVerification } from './audit.repository.js';

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: unknown;
}

/** Reading and verifying the audit log (appending happens inside each action's own transaction). */
export class AuditService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly key: Buffer,
  ) {}

  verify(): Promise<AuditVerification> {
    return verifyAudit(this.db, this.key);
  }

  async list(after: number, limit: number): Promise<AuditRow[]> {
    const rows = await this.db.selectFrom('audit_log').select(['seq', 'at', 'actor', 'action', 'subject', 'details']).where('seq', '>', after).orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }
}
