import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit, contactKeySubject } from '../audit/audit.repository.js';
import { IndicatorError, normalize, type IndicatorKind } from '../indicators/index.js';
import { decryptContact, encryptContact, referenceFrom } from '../reports/contact-crypto.js';
import { normalizeGiven } from '../reports/report.intake.js';
import type { Target, VerdictService } from '../verdicts/verdicts.service.js';
import { disputeStatusText } from './dispute-status.texts.js';
import { disputeCounts, findDispute, insertDispute, listDisputes, recordDecision, type QueueFilter } from './disputes.repository.js';
import {
  DECISION_STATUS,
  DECISIONS_FOR,
  MAX_OPEN_PER_VALUE,
  type ClaimantRole,
  type DisputeContact,
  type DisputeCount,
  type DisputeDecision,
  type DisputeRequest,
  type DisputeStatusView,
  type StoredDispute,
} from './disputes.types.js';

/** A dispute or verification request as the public sends it (POST /api/v1/disputes). */
export interface DisputeInput {
  request: DisputeRequest;
  value: string;
  kind?: IndicatorKind;
  role: ClaimantRole;
  organisation?: string;
  explanation: string;
  evidence?: string;
  links?: string[];
  contact: { name: string; email?: string; phone?: string };
}

export interface SubmittedDispute {
  reference: string;
  /** Shown once: with the reference it opens the status page. Only its hash is stored. */
  statusToken: string;
  request: DisputeRequest;
  kind: IndicatorKind;
  canonical: string;
  status: 'open';
}

/** What of the verdicts a dispute needs: the public level, and the officers' decision and protection paths. */
export type DisputeVerdicts = Pick<VerdictService, 'check' | 'decide' | 'protect'>;

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

/** `DP-` and 12 Crockford base32 characters: read out like a report's `SG-` reference, never mistaken for one. */
export function disputeReference(bytes = randomBytes(8)): string {
  return `DP${referenceFrom(bytes).slice(2)}`;
}

/**
 * The associated data of a dispute's encrypted contact: its own reference, under a prefix no report's has,
 * so that a report's contact row (or another dispute's) copied in fails to decrypt rather than being shown.
 */
const contactAad = (reference: string): string => `dispute:${reference}`;

/**
 * Disputes of flagged values and businesses' requests to be verified: taken from the public (rate-limited
 * by the route, capped per value here), answered on a private status page, decided by officers through the
 * verdicts' own decision and protection paths, and counted for the transparency report. Nothing here reads
 * reports: an answer can hold only the dispute's own data, so a dispute cannot be used to learn who reported.
 */
export class DisputeService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly keys: { contactKey: Buffer; auditKey: Buffer },
    private readonly region: string,
    private readonly verdicts: DisputeVerdicts,
  ) {}

  /** Takes a dispute: the value normalized, the contact checked and encrypted; refused whole, never half stored. */
  async submit(input: DisputeInput, now = new Date()): Promise<SubmittedDispute> {
    const indicator = normalizeGiven(input.value, input.kind, this.region);
    const explanation = input.explanation.trim();
    if (explanation.length < 10) throw new AppError('VALIDATION_FAILED', 'explanation must say in at least 10 characters why the value is yours and not a scam.');
    const organisation = input.organisation?.trim() || null;
    if (input.request === 'verify' && organisation === null) throw new AppError('VALIDATION_FAILED', 'organisation must name the business to be verified.');
    const contact = this.contactOf(input.contact);
    // The public level: what the person saw on the check page (public anyway); a dispute needs a flag.
    const level = this.verdicts.check(indicator.canonical, indicator.kind).verdict.level;
    if (input.request === 'dispute' && level !== 'high_risk' && level !== 'suspicious') {
      throw new AppError('NOT_DISPUTABLE', 'This value is not flagged, so there is nothing to dispute. A business can ask for it to be verified instead.');
    }
    if (input.request === 'verify' && level === 'verified') throw new AppError('NOT_DISPUTABLE', 'This value is verified already.');
    const reference = disputeReference();
    const statusToken = randomBytes(24).toString('base64url');
    const stored = await insertDispute(
      this.db,
      {
        reference,
        request: input.request,
        key: indicator.key,
        kind: indicator.kind,
        canonical: indicator.canonical,
        levelAtSubmission: level,
        role: input.role,
        organisation,
        explanation,
        evidence: input.evidence?.trim() ?? '',
        links: [...new Set(input.links ?? [])],
        contact: encryptContact(this.keys.contactKey, contactAad(reference), contact),
        statusTokenHash: sha256(statusToken),
        receivedAt: now,
      },
      MAX_OPEN_PER_VALUE,
    );
    if (!stored) throw new AppError('TOO_MANY_DISPUTES', `This value has ${MAX_OPEN_PER_VALUE} open disputes already; please wait for their answer.`);
    return { reference, statusToken, request: input.request, kind: indicator.kind, canonical: indicator.canonical, status: 'open' };
  }

  /** A name and at least one valid e-mail address or phone number, else INVALID_CONTACT. */
  private contactOf(given: DisputeInput['contact']): DisputeContact {
    const name = given.name.trim();
    const email = given.email?.trim() || undefined;
    const phone = given.phone?.trim() || undefined;
    if (name === '') throw new AppError('INVALID_CONTACT', 'The contact needs a name.');
    if (email === undefined && phone === undefined) throw new AppError('INVALID_CONTACT', 'The contact needs an e-mail address or a phone number for the answer.');
    try {
      if (email !== undefined) normalize('email', email);
      if (phone !== undefined) normalize('phone', phone, { region: this.region });
    } catch (error) {
      if (error instanceof IndicatorError) throw new AppError('INVALID_CONTACT', `The contact's ${error.code === 'INVALID_EMAIL' ? 'e-mail address' : 'phone number'} is not valid.`);
      throw error;
    }
    return { name, ...(email === undefined ? {} : { email }), ...(phone === undefined ? {} : { phone }) };
  }

  /** The private status page: the same NOT_FOUND for an unknown reference and a wrong token. */
  async status(reference: string, token: string): Promise<DisputeStatusView> {
    const row = await findDispute(this.db, reference);
    if (row === null || !timingSafeEqual(row.statusTokenHash, sha256(token))) throw new AppError('NOT_FOUND', 'No dispute with this reference and status token.');
    return {
      reference: row.reference,
      request: row.request,
      kind: row.kind,
      canonical: row.canonical,
      status: row.status,
      statusText: disputeStatusText(row.request, row.status),
      reason: row.decisionReason,
      receivedAt: row.receivedAt.toISOString(),
      decidedAt: row.decidedAt?.toISOString() ?? null,
    };
  }

  /** The officers' queue, open first; each with the value's public level now. */
  async queue(filter: QueueFilter, limit: number, offset: number): Promise<{ disputes: (StoredDispute & { levelNow: string })[]; total: number }> {
    const page = await listDisputes(this.db, filter, limit, offset);
    return { disputes: page.disputes.map((d) => ({ ...d, levelNow: this.levelOf(d) })), total: page.total };
  }

  /** One dispute for an officer (its contact stays hidden); the read is audited. */
  async detail(actor: string, reference: string): Promise<StoredDispute & { levelNow: string }> {
    const row = await findDispute(this.db, reference);
    if (row === null) throw new AppError('NOT_FOUND', 'No dispute with this reference.');
    await this.db.transaction().execute((trx) => appendAudit(trx, this.keys.auditKey, { actor, action: 'dispute.read', subject: reference, details: {} }));
    const { statusTokenHash: _hash, contactNonce: _nonce, contactCiphertext: _ciphertext, ...dispute } = row;
    return { ...dispute, levelNow: this.levelOf(dispute) };
  }

  /** Decrypts the disputer's name and contact for an officer who states why; the audit row commits with the read. */
  async readContact(actor: string, reference: string, reason: string): Promise<DisputeContact> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const row = await findDispute(trx, reference);
        if (row === null) throw new AppError('NOT_FOUND', 'No dispute with this reference.');
        if (row.contactCiphertext.length === 0) throw new AppError('NOT_FOUND', 'The contact details of this dispute were deleted under the retention schedule.');
        await appendAudit(trx, this.keys.auditKey, { actor, action: 'dispute.contact_read', subject: reference, keySubject: contactKeySubject(reference), details: { reason } });
        try {
          return decryptContact(this.keys.contactKey, contactAad(reference), row.contactNonce, row.contactCiphertext) as DisputeContact;
        } catch {
          throw new AppError('DATA_INTEGRITY', 'The stored contact details do not belong to this dispute (altered or moved); they are not shown, and the attempt is in the audit log.');
        }
      });
    } catch (error) {
      // The read rolled back with its audit row: the failure itself is recorded, as an alert for admins.
      if (error instanceof AppError && error.code === 'DATA_INTEGRITY') {
        await this.db.transaction().execute((trx) => appendAudit(trx, this.keys.auditKey, { actor, action: 'dispute.contact_integrity_failure', subject: reference, details: { reason } }));
      }
      throw error;
    }
  }

  /**
   * An officer's decision. `clear` goes through VerdictService.decide and `verify` through protect, each of which
   * commits the verdict change with its own audit and change-log rows; the dispute's decision and its audit row
   * are written after that succeeded, in one transaction, only if the dispute is still open. A failure between
   * the two leaves the dispute open with the verdict changed: deciding again repeats an idempotent change
   * (an upsert of the same decision or protection) and then records the decision. Uphold and reject change
   * no verdict. Who reported the value plays no part, and nothing of it is returned.
   */
  async decide(actor: string, reference: string, decision: DisputeDecision, reason: string, name?: string, now = new Date()): Promise<StoredDispute & { levelNow: string }> {
    const row = await findDispute(this.db, reference);
    if (row === null) throw new AppError('NOT_FOUND', 'No dispute with this reference.');
    if (row.status !== 'open') throw new AppError('DISPUTE_DECIDED', `This dispute was decided already (${row.status}).`);
    if (!DECISIONS_FOR[row.request].includes(decision)) {
      throw new AppError('DECISION_DOES_NOT_FIT', `A ${row.request === 'dispute' ? 'dispute is upheld or cleared' : 'verification request is verified or rejected'}, not “${decision}”.`);
    }
    // A site's owner disputes the site: a link to its front page stands for the whole host (as a protection
    // does), so that clearing it clears what the check page showed for it; a deeper link is cleared alone.
    const target: Target = { value: row.canonical, kind: row.kind, ...(row.kind === 'url' && isFrontPage(row.canonical) ? { scope: 'host' as const } : {}) };
    let entry: string | null = null;
    if (decision === 'clear') entry = (await this.verdicts.decide(actor, target, 'cleared', `dispute ${reference}: ${reason}`)).entry;
    if (decision === 'verify') {
      const protectedName = name?.trim() || row.organisation || row.canonical;
      entry = (await this.verdicts.protect(actor, target, protectedName)).entry;
    }
    await this.db.transaction().execute(async (trx) => {
      const recorded = await recordDecision(trx, reference, { status: DECISION_STATUS[decision], actor, reason, at: now });
      if (!recorded) throw new AppError('DISPUTE_DECIDED', 'This dispute was decided by someone else meanwhile.');
      await appendAudit(trx, this.keys.auditKey, { actor, action: 'dispute.decide', subject: reference, details: { decision, reason, entry } });
    });
    return this.detailWithoutAudit(reference);
  }

  private async detailWithoutAudit(reference: string): Promise<StoredDispute & { levelNow: string }> {
    const row = (await findDispute(this.db, reference)) as NonNullable<Awaited<ReturnType<typeof findDispute>>>;
    const { statusTokenHash: _hash, contactNonce: _nonce, contactCiphertext: _ciphertext, ...dispute } = row;
    return { ...dispute, levelNow: this.levelOf(dispute) };
  }

  /** Disputes per month, request, kind and status (see disputeCounts): what the transparency report counts. */
  counts(since?: Date, until?: Date): Promise<DisputeCount[]> {
    return disputeCounts(this.db, since, until);
  }

  /** The value's public level now, as the check page shows it. */
  private levelOf(dispute: Pick<StoredDispute, 'canonical' | 'kind'>): string {
    try {
      return this.verdicts.check(dispute.canonical, dispute.kind).verdict.level;
    } catch {
      return 'no_record'; // a value stored in normal form always normalizes again; this is only a guard
    }
  }
}

/** A link to a site's front page (`https://shop.example/`): no path beyond `/`, no query. */
function isFrontPage(canonical: string): boolean {
  try {
    const url = new URL(canonical);
    return url.pathname === '/' && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}
