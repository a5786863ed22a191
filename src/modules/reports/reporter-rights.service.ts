import { createHash, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import type { Secrets } from '../../storage/secrets.js';
import { appendAudit, contactKeySubject, shredSubject, shredSubjects } from '../audit/audit.repository.js';
import type { RetentionSchedule } from '../retention/retention-schedule.js';
import { hongKongDay } from '../retention/retention.service.js';
import { lockChangeLog, refreshEvidence, type JudgeContext } from '../verdicts/verdicts.repository.js';
import { decryptContact, encryptContact, type Contact } from './contact-crypto.js';
import { accessCounts, eraseReport, isHeld, messageOfReport, removeContact, replaceContact } from './report-erasure.repository.js';
import { statusText } from './report.status.js';
import { findContact, findReportDetail, findReportStatus } from './reports.repository.js';
import type { Label } from './taxonomy.js';

/** Everything Scamgraph holds about one report, for the person who made it (the status page, and its JSON download). */
export interface ReportHeld {
  reference: string;
  receivedAt: string;
  occurredAt: string | null;
  channel: string;
  scamType: string;
  narrative: string;
  loss: { amount: string; currency: string } | null;
  status: string;
  statusText: Label;
  indicators: { kind: string; canonical: string; role: string | null; extracted: boolean }[];
  contact: Contact | null;
  /** The forwarded message, when the report is a forward (its text is held once for everyone who forwarded it). */
  message: { channel: string; text: string; subject: string | null; sender: string | null } | null;
  /** Officers' reads of the report and of the contact (each in the audit log with its reason). */
  accesses: { reads: number; contactReads: number };
  /** Kept whole past the schedule for a case. */
  legalHold: boolean;
  /** What the retention schedule does with it, and when (YYYY-MM-DD; null: not scheduled yet). */
  retention: { contactUntil: string | null; narrativeUntil: string; fingerprintUntil: string };
}

const day = (at: Date, days: number): string => new Date(at.getTime() + days * 86_400_000).toISOString().slice(0, 10);
const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();
const NOT_FOUND = (): AppError => new AppError('NOT_FOUND', 'No report with this reference and status token.');

/** What erasure needs of the verdicts: judge now, and catch the local index up afterwards. */
export interface EvidenceFollower {
  judgeContext(): JudgeContext;
  catchUp(): Promise<void>;
}

/**
 * The reporter's rights, exercised with the private status link (reference and token): see everything held
 * about their report, download it, correct their contact details, and withdraw it. A withdrawal erases the
 * report and its contact from every table, removes the evidence it gave (the verdicts follow, with verdict-log
 * rows), and destroys the audit log's key for it, so officers' reasons about it can no longer be read.
 */
export class ReporterRights {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: Secrets,
    private readonly schedule: Readonly<RetentionSchedule>,
    private readonly verdicts: EvidenceFollower,
  ) {}

  /** The report's id, once the token is right; the same NOT_FOUND for an unknown reference and a wrong token. */
  private async authorize(reference: string, token: string): Promise<{ id: number; closedAt: Date | null }> {
    const row = await findReportStatus(this.db, reference);
    if (row === null || row.statusTokenHash === null || !timingSafeEqual(row.statusTokenHash, sha256(token))) throw NOT_FOUND();
    const detail = await findReportDetail(this.db, reference);
    if (detail === null) throw NOT_FOUND();
    return { id: detail.id, closedAt: row.status === 'closed' ? row.statusChangedAt : null };
  }

  async held(reference: string, token: string, now = new Date()): Promise<ReportHeld> {
    const { id, closedAt } = await this.authorize(reference, token);
    const detail = (await findReportDetail(this.db, reference))!;
    const status = (await findReportStatus(this.db, reference))!;
    const sealed = await findContact(this.db, id);
    const legalHold = await this.db.transaction().execute((trx) => isHeld(trx, id, hongKongDay(now)));
    return {
      reference,
      receivedAt: detail.receivedAt.toISOString(),
      occurredAt: detail.occurredAt?.toISOString() ?? null,
      channel: detail.channel,
      scamType: detail.scamType,
      narrative: detail.narrative,
      loss: detail.loss,
      status: detail.status,
      statusText: statusText(status.status, status.outcome),
      indicators: detail.indicators.map((i) => ({ kind: i.kind, canonical: i.canonical, role: i.role, extracted: i.extracted })),
      contact: sealed === null ? null : decryptContact(this.secrets.contactKey, reference, sealed.nonce, sealed.ciphertext),
      message: await messageOfReport(this.db, id),
      accesses: await accessCounts(this.db, reference),
      legalHold,
      retention: {
        contactUntil: sealed === null || closedAt === null ? null : day(closedAt, this.schedule.contactDays),
        narrativeUntil: day(detail.receivedAt, this.schedule.narrativeDays),
        fingerprintUntil: day(detail.receivedAt, this.schedule.fingerprintDays),
      },
    };
  }

  /** Replaces the contact details (or removes them, given none); audited with no personal data. */
  async correctContact(reference: string, token: string, contact: Contact): Promise<{ contact: Contact | null }> {
    const { id } = await this.authorize(reference, token);
    const given = Object.fromEntries(Object.entries(contact).filter(([, v]) => typeof v === 'string' && v.trim() !== '')) as Contact;
    await this.db.transaction().execute(async (trx) => {
      if (Object.keys(given).length === 0) await removeContact(trx, id);
      else await replaceContact(trx, id, encryptContact(this.secrets.contactKey, reference, given));
      await appendAudit(trx, this.secrets.auditKey, { actor: 'reporter', action: 'report.contact_corrected', subject: reference, details: {} });
    });
    return { contact: Object.keys(given).length === 0 ? null : given };
  }

  /** Erases the report (refused while a legal hold keeps it); the verdicts it fed are recomputed in the same transaction. */
  async withdraw(reference: string, token: string, now = new Date()): Promise<{ withdrawn: true; reports: number; entries: number }> {
    const { id } = await this.authorize(reference, token);
    const result = await this.db.transaction().execute(async (trx) => {
      // The change log first, as triage and intake take it, before any row lock: no deadlock with them.
      await lockChangeLog(trx);
      if (await isHeld(trx, id, hongKongDay(now))) throw new AppError('REPORT_HELD', 'This report is kept for an open case (a legal hold), so it cannot be withdrawn now. Contact the anti-scam team.');
      const erased = await eraseReport(trx, id);
      await refreshEvidence(trx, erased.entries, this.verdicts.judgeContext(), { recountReporters: true });
      // Officers' reasons about the report and about each repeat erased with it become unreadable.
      for (const erasedReference of erased.references) await shredSubject(trx, this.secrets.auditKey, erasedReference, 'reporter');
      await shredSubjects(trx, this.secrets.auditKey, erased.references.map(contactKeySubject), reference, 'reporter');
      await appendAudit(trx, this.secrets.auditKey, { actor: 'reporter', action: 'report.withdrawn', subject: reference, details: { reports: erased.reports, entries: erased.entries.length } });
      return erased;
    });
    await this.verdicts.catchUp().catch(() => undefined);
    return { withdrawn: true, reports: result.reports, entries: result.entries.length };
  }
}
