import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit } from '../audit/audit.repository.js';
import { entryLabel } from '../verdicts/evidence-keys.js';
import { CheckIds } from './check-id.js';
import { falseAlarmsSince, insertOutcomes, keptSince, outcomesPerDay, type OutcomeRow } from './payee-outcomes.repository.js';

/** What happened after a payee check, as the bank saw it. */
export const PAYEE_OUTCOMES = ['warned_cancelled', 'warned_paid', 'delayed_released', 'delayed_cancelled', 'reported_fraud', 'false_alarm'] as const;
export type PayeeOutcome = (typeof PAYEE_OUTCOMES)[number];
/** Outcomes in which the customer kept their money: the payment was not made. */
export const STOPPED: readonly PayeeOutcome[] = ['warned_cancelled', 'delayed_cancelled'];

export interface OutcomeReport {
  checkId: string;
  outcome: PayeeOutcome;
  amount?: number;
  currency?: string;
}

/** How long after a check its outcome is taken (a fraud may be reported months later). */
const OUTCOME_DAYS = 400;

/**
 * Outcomes of payee checks, reported by the bank that asked (outcomes:write): the dashboard's warnings that
 * stopped payments and the amounts kept from scammers, and false alarms, which put the value before the
 * officers. Each outcome of a check is recorded once however often it is sent; only the organisation that was
 * given a check id can report on it.
 */
export class PayeeOutcomes {
  private readonly checkIds: CheckIds;

  constructor(
    private readonly db: Kysely<Database>,
    checkIdKey: Buffer,
    private readonly auditKey: Buffer,
  ) {
    this.checkIds = new CheckIds(checkIdKey);
  }

  async record(organisation: { id: number; name: string }, reports: readonly OutcomeReport[], now = Date.now()): Promise<{ recorded: number; alreadyRecorded: number }> {
    const rows = reports.map((r, i): OutcomeRow => {
      const check = this.checkIds.open(r.checkId);
      if (check === null || check.organisationId !== organisation.id) throw new AppError('UNKNOWN_CHECK', `outcomes[${i}]: this is not a check id your organisation was given.`);
      if (now / 1000 - check.at > OUTCOME_DAYS * 86_400) throw new AppError('UNKNOWN_CHECK', `outcomes[${i}]: the check is more than ${OUTCOME_DAYS} days old.`);
      if ((r.amount === undefined) !== (r.currency === undefined)) throw new AppError('VALIDATION_FAILED', `outcomes[${i}]: an amount needs its currency, and a currency its amount.`);
      return {
        organisation_id: organisation.id,
        check_hash: createHash('sha256').update(r.checkId).digest(),
        outcome: r.outcome,
        entry: check.entry,
        risk: check.risk,
        action: check.action,
        amount: r.amount === undefined ? null : String(r.amount),
        currency: r.currency ?? null,
        checked_at: new Date(check.at * 1000),
      };
    });
    return this.db.transaction().execute(async (trx) => {
      const recorded = await insertOutcomes(trx, rows);
      await appendAudit(trx, this.auditKey, { actor: `partner:${organisation.name}`, action: 'payee.outcomes', subject: `organisation:${organisation.name}`, details: { recorded, alreadyRecorded: rows.length - recorded } });
      return { recorded, alreadyRecorded: rows.length - recorded };
    });
  }

  /** The dashboard's figures over the last `days` UTC days: outcomes per day, amounts kept, and false alarms to review. */
  async summary(days: number, now = Date.now()) {
    const since = new Date(now - (now % 86_400_000) - (days - 1) * 86_400_000);
    const [perDay, kept, falseAlarms] = [await outcomesPerDay(this.db, since), await keptSince(this.db, since, STOPPED), await falseAlarmsSince(this.db, since, 100)];
    return {
      days,
      outcomesPerDay: perDay,
      kept,
      falseAlarms: falseAlarms.map((r) => ({ kind: r.entry.slice(0, r.entry.indexOf(':')), value: entryLabel(r.entry), banks: r.banks, reports: r.reports, last: r.last.toISOString() })),
    };
  }
}
