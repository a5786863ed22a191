import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit, contactKeySubject, shredSubjects } from '../audit/audit.repository.js';
import {
  expiredContacts,
  expiredDisputeContacts,
  expiredMessageTexts,
  expiredNarratives,
  expiredSessions,
  expiredThrottles,
  expiredUsage,
  holdsInForce,
  liftHolds,
  lockRetention,
  placeHold,
  rekey,
  staleKeys,
  type LegalHoldRow,
} from './retention.repository.js';
import { lockChangeLog } from '../verdicts/verdicts.repository.js';
import { DELETED_KINDS, type DeletedKind, type RetentionSchedule } from './retention-schedule.js';

const DAY_MS = 86_400_000;
const REKEY_BATCH = 5_000;

/** What one run of the schedule did (or, for a dry run, would do). */
export interface RetentionRun {
  dryRun: boolean;
  /** False when another node was running it (nothing was done). */
  ran: boolean;
  deleted: Record<DeletedKind, number>;
}

/** A Hong Kong day (YYYY-MM-DD): holds end on a calendar day where the officer placed them. */
export const hongKongDay = (at: Date): string => new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Enforces the retention schedule: contacts of closed reports, narratives, message texts, console sessions,
 * disputers' contacts and words, partners' daily call counts and spent sign-in throttles go on schedule; old reporter fingerprints and independence keys are re-keyed under a key made for the run and
 * then dropped, so counts and repeat links stay exactly as they were while nobody can link those reports to a
 * person again. Reports under a legal hold are left whole. One transaction, audited with the counts.
 */
export class RetentionService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly auditKey: Buffer,
    private readonly schedule: Readonly<RetentionSchedule>,
  ) {}

  async run(actor: string, options: { dryRun?: boolean; now?: Date } = {}): Promise<RetentionRun> {
    const dryRun = options.dryRun === true;
    const now = options.now ?? new Date();
    const before = (days: number): Date => new Date(now.getTime() - days * DAY_MS);
    const today = hongKongDay(now);
    const s = this.schedule;
    return this.db.transaction().execute(async (trx) => {
      const deleted = Object.fromEntries(DELETED_KINDS.map((k) => [k, 0])) as Record<DeletedKind, number>;
      if (!(await lockRetention(trx))) return { dryRun, ran: false, deleted };
      // The change log next, as every writer of reports and evidence takes it first: no report can be stored
      // from a fingerprint between reading it stale and re-keying it, and no lock waits in a cycle.
      if (!dryRun) await lockChangeLog(trx);
      const contacts = await expiredContacts(trx, before(s.contactDays), today, dryRun);
      deleted.contacts = contacts.count;
      deleted.narratives = await expiredNarratives(trx, before(s.narrativeDays), today, now, dryRun);
      deleted.messages = await expiredMessageTexts(trx, before(s.messageDays), today, now, dryRun);
      deleted.sessions = await expiredSessions(trx, before(s.sessionDays), dryRun);
      deleted.throttles = await expiredThrottles(trx, before(s.sessionDays), now, dryRun);
      const disputes = await expiredDisputeContacts(trx, before(s.contactDays), now, dryRun);
      deleted.disputes = disputes.count;
      // The officers' reasons for reading those contacts go with them (sealed under the contact's own key).
      const shredded = await shredSubjects(trx, this.auditKey, [...contacts.references, ...disputes.references].map(contactKeySubject), 'retention');
      deleted.usage = await expiredUsage(trx, before(s.usageDays), dryRun);
      // The run's key lives only in this call: once it returns, no one can recompute the new values.
      const runKey = randomBytes(32);
      const rekeyed = (value: Buffer): Buffer => createHmac('sha256', runKey).update(value).digest();
      for (const column of ['fingerprint', 'independence'] as const) {
        for (;;) {
          const stale = await staleKeys(trx, column, before(s.fingerprintDays), today, REKEY_BATCH);
          if (dryRun) {
            deleted[column === 'fingerprint' ? 'fingerprints' : 'independence'] = stale.length;
            break;
          }
          if (stale.length === 0) break;
          await rekey(trx, column, stale, stale.map(rekeyed), now);
          deleted[column === 'fingerprint' ? 'fingerprints' : 'independence'] += stale.length;
          if (stale.length < REKEY_BATCH) break;
        }
      }
      runKey.fill(0);
      if (!dryRun) await appendAudit(trx, this.auditKey, { actor, action: 'retention.run', subject: 'retention', details: { dryRun, deleted, shreddedKeys: shredded, schedule: { ...s } } }, now);
      return { dryRun, ran: true, deleted };
    });
  }

  /** Places a legal hold on a report until a day (YYYY-MM-DD), with a reason; audited. */
  async hold(actor: string, reference: string, until: string, reason: string, now = new Date()): Promise<{ id: number }> {
    // A day that exists: Date.parse takes 2025-02-31 for 3 March, so the day must read back as itself.
    const day = Date.parse(`${until}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || Number.isNaN(day) || new Date(day).toISOString().slice(0, 10) !== until || until < hongKongDay(now)) {
      throw new AppError('VALIDATION_FAILED', 'until must be a day (YYYY-MM-DD), today or later.');
    }
    return this.db.transaction().execute(async (trx) => {
      const id = await placeHold(trx, { reference, reason, until, actor });
      if (id === null) throw new AppError('NOT_FOUND', 'No report with this reference.');
      await appendAudit(trx, this.auditKey, { actor, action: 'legal_hold.place', subject: reference, details: { reason, until } }, now);
      return { id };
    });
  }

  /** Lifts a report's legal holds, with a reason; audited. False when none was in force. */
  async lift(actor: string, reference: string, reason: string, now = new Date()): Promise<{ lifted: boolean }> {
    return this.db.transaction().execute(async (trx) => {
      const lifted = await liftHolds(trx, reference, now);
      if (lifted > 0) await appendAudit(trx, this.auditKey, { actor, action: 'legal_hold.lift', subject: reference, details: { reason } }, now);
      return { lifted: lifted > 0 };
    });
  }

  holds(now = new Date()): Promise<LegalHoldRow[]> {
    return holdsInForce(this.db, hongKongDay(now));
  }
}
