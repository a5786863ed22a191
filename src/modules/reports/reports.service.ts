import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { VerdictPolicy } from '../../config.js';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import type { Secrets } from '../../storage/secrets.js';
import { normalize } from '../indicators/index.js';
import { appendAudit, contactKeySubject } from '../audit/audit.repository.js';
import { decryptContact, encryptContact, fingerprint, referenceFrom, type Contact } from './contact-crypto.js';
import { timestamp } from './clean-text.js';
import { contentHash, prepareIndicators, type ReportIndicator } from './report.intake.js';
import { screenNarrative, type ScreenKind } from './narrative-screen.js';
import type { PublicReportInput } from './report.schema.js';
import { statusText } from './report.status.js';
import { findContact, findReportDetail, findReportStatus, storeReports, type ReportDetailRow } from './reports.repository.js';
import type { Label } from './taxonomy.js';
import { independenceSource, type IndependenceRule } from './reporter-independence.js';

export interface SubmittedReport {
  reference: string;
  /** Shown once: with the reference it opens the status page. Only its hash is stored. */
  statusToken: string;
  status: string;
  indicators: ReportIndicator[];
  /** What was masked in the narrative as the reporter's own (an HKID, a card number, an OTP); absent when nothing was. */
  screened?: { kind: ScreenKind; count: number }[];
}

export interface ReportStatusView {
  reference: string;
  status: string;
  statusText: Label;
  receivedAt: string;
  updatedAt: string;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/**
 * What identifies a public reporter, most specific first: a contact given with consent, the reporting app's
 * client token, else the client address. Only its keyed hash is kept.
 */
function reporterSource(contact: Contact | undefined, clientToken: string | undefined, clientAddress: string, region: string): string {
  if (contact?.email !== undefined) {
    try {
      return `email:${normalize('email', contact.email).canonical}`;
    } catch {
      return `email:${contact.email.trim().toLowerCase()}`;
    }
  }
  if (contact?.phone !== undefined) {
    try {
      return `phone:${normalize('phone', contact.phone, { region }).canonical}`;
    } catch {
      return `phone:${contact.phone.replace(/\D/g, '')}`;
    }
  }
  if (clientToken !== undefined) return `client:${clientToken}`;
  return `address:${clientAddress}`;
}

export class ReportService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly secrets: Secrets,
    private readonly region: string,
    private readonly policy: VerdictPolicy,
    private readonly independence: IndependenceRule,
    /** Called after a write that changed evidence, so the local index catches up at once. */
    private readonly onEvidenceChanged: () => Promise<void>,
  ) {}

  /** Takes a report from the public: validates and normalizes its indicators, links repeats, stores it. */
  async submit(input: PublicReportInput, clientAddress: string, now = new Date()): Promise<SubmittedReport> {
    // Screened before anything reads it: the reporter's own HKID, card number or OTP is never stored, and the
    // content hash covers the screened text (narrative-screen.ts, docs/privacy.md).
    const { text: narrative, masked: screened } = screenNarrative(input.narrative.trim(), { region: this.region });
    const { indicators, entries } = prepareIndicators(input.indicators, narrative, this.region);
    if (indicators.length === 0 && narrative === '') throw new AppError('EMPTY_REPORT', 'A report needs a description of what happened or at least one number, link or account.');
    const reference = referenceFrom(randomBytes(8));
    const statusToken = randomBytes(24).toString('base64url');
    const contact = input.contact === undefined ? undefined : { name: input.contact.name, email: input.contact.email, phone: input.contact.phone };
    const reporter = reporterSource(contact, input.clientToken, clientAddress, this.region);
    const hasContact = contact?.email !== undefined || contact?.phone !== undefined;
    const independence = independenceSource(this.independence, { reporter, hasContact, clientToken: input.clientToken, clientAddress });
    const result = await storeReports(this.db, [
      {
        reference,
        source: 'public',
        externalId: null,
        statusTokenHash: sha256(statusToken),
        fingerprint: fingerprint(this.secrets.fingerprintKey, reporter),
        independence: fingerprint(this.secrets.fingerprintKey, `independence:${independence}`),
        contentHash: contentHash(input.scamType, input.channel, indicators, narrative),
        receivedAt: now,
        occurredAt: input.occurredAt === undefined ? null : timestamp(input.occurredAt, 'occurredAt'),
        channel: input.channel,
        scamType: input.scamType,
        narrative,
        lossAmount: input.loss === undefined ? null : input.loss.amount.toFixed(2),
        lossCurrency: input.loss?.currency ?? null,
        indicators,
        entries,
        contact: contact === undefined ? null : encryptContact(this.secrets.contactKey, reference, JSON.parse(JSON.stringify(contact)) as Contact),
        mayRepeat: true,
      },
    ], { policy: this.policy, now: now.getTime() / 1000 });
    // The report is stored: a failed catch-up must not turn that into an error (the poll retries it).
    if (result.changes > 0) await this.onEvidenceChanged().catch(() => undefined);
    // Whether it repeated an earlier report is not said: with a victim's e-mail address anyone could otherwise
    // confirm that the victim reported a scam, and of which type (docs/poisoning.md, the duplicate oracle).
    return { reference, statusToken, status: 'new', indicators, ...(screened.length > 0 ? { screened } : {}) };
  }

  /** The status page: the same answer (NOT_FOUND) for an unknown reference and a wrong token. */
  async status(reference: string, token: string): Promise<ReportStatusView> {
    const row = await findReportStatus(this.db, reference);
    const given = sha256(token);
    if (row === null || row.statusTokenHash === null || !timingSafeEqual(row.statusTokenHash, given)) {
      throw new AppError('NOT_FOUND', 'No report with this reference and status token.');
    }
    return {
      reference: row.reference,
      status: row.status,
      statusText: statusText(row.status, row.outcome),
      receivedAt: row.receivedAt.toISOString(),
      updatedAt: row.statusChangedAt.toISOString(),
    };
  }

  /** A report for officers (no contact details); the read is audited. */
  async detail(actor: string, reference: string): Promise<ReportDetailRow> {
    const detail = await findReportDetail(this.db, reference);
    if (detail === null) throw new AppError('NOT_FOUND', 'No report with this reference.');
    await this.db.transaction().execute((trx) => appendAudit(trx, this.secrets.auditKey, { actor, action: 'report.read', subject: reference, details: {} }));
    return detail;
  }

  /** Decrypts a reporter's contact details for an officer who states why; the audit row commits with the read. */
  async readContact(actor: string, reference: string, reason: string): Promise<Contact> {
    const detail = await findReportDetail(this.db, reference);
    if (detail === null) throw new AppError('NOT_FOUND', 'No report with this reference.');
    try {
      return await this.db.transaction().execute(async (trx) => {
        const stored = await findContact(trx, detail.id);
        if (stored === null) throw new AppError('NOT_FOUND', 'The reporter left no contact details.');
        await appendAudit(trx, this.secrets.auditKey, { actor, action: 'contact.read', subject: reference, keySubject: contactKeySubject(reference), details: { reason } });
        try {
          return decryptContact(this.secrets.contactKey, reference, stored.nonce, stored.ciphertext);
        } catch {
          throw new AppError('DATA_INTEGRITY', 'The stored contact details do not belong to this report (altered or moved); they are not shown, and the attempt is in the audit log.');
        }
      });
    } catch (error) {
      // The read rolled back with its audit row: the failure itself is recorded, as an alert for admins.
      if (error instanceof AppError && error.code === 'DATA_INTEGRITY') {
        await this.db.transaction().execute((trx) => appendAudit(trx, this.secrets.auditKey, { actor, action: 'contact.integrity_failure', subject: reference, details: { reason } }));
      }
      throw error;
    }
  }
}
