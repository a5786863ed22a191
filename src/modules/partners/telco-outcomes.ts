import type { Kysely } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit } from '../audit/audit.repository.js';
import { IndicatorError, normalize, type IndicatorKind } from '../indicators/index.js';
import { lookupEntries } from '../verdicts/evidence-keys.js';
import { insertTelcoOutcomes, telcoOutcomesPerDay, type TelcoOutcomeRow } from './telco-outcomes.repository.js';

/**
 * What a telco or platform did about a value it was told of: a number suspended, an SMS sender barred, a link
 * blocked on its network, a site or account taken down. They show on the value's page (officers see who acted
 * and when) and per day on the dashboard; they never change a verdict by themselves.
 */
export const TELCO_OUTCOMES = ['number_suspended', 'sender_blocked', 'link_blocked', 'takedown_done'] as const;
export type TelcoOutcome = (typeof TELCO_OUTCOMES)[number];

/** The kinds of value each outcome can be about; the first is assumed when the kind is not given. */
export const OUTCOME_KINDS: Record<TelcoOutcome, readonly IndicatorKind[]> = {
  number_suspended: ['phone'],
  sender_blocked: ['sms_sender'],
  link_blocked: ['url', 'domain', 'ip'],
  takedown_done: ['url', 'domain', 'social_account', 'email', 'ip'],
};

export interface TelcoOutcomeReport {
  value: string;
  kind?: IndicatorKind;
  outcome: TelcoOutcome;
  reference?: string;
}

export class TelcoOutcomes {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly auditKey: Buffer,
    private readonly region: string,
  ) {}

  /** All or nothing: one value that is not valid, or not what its outcome can be about, refuses the batch. */
  async record(organisation: { id: number; name: string }, reports: readonly TelcoOutcomeReport[]): Promise<{ recorded: number; alreadyRecorded: number }> {
    const rows = reports.map((r, i): TelcoOutcomeRow => {
      const fits = OUTCOME_KINDS[r.outcome];
      const kind = r.kind ?? (fits[0] as IndicatorKind);
      if (!fits.includes(kind)) throw new AppError('OUTCOME_DOES_NOT_FIT', `outcomes[${i}]: ${r.outcome} is about a ${fits.join(', ')}, not a ${kind}.`);
      try {
        const [entry] = lookupEntries(normalize(kind, r.value, { region: this.region }));
        return { organisation_id: organisation.id, entry: entry as string, outcome: r.outcome, reference: r.reference ?? null };
      } catch (error) {
        if (error instanceof IndicatorError) throw new AppError(error.code, `outcomes[${i}]: ${error.message}`);
        throw error;
      }
    });
    return this.db.transaction().execute(async (trx) => {
      const recorded = await insertTelcoOutcomes(trx, rows);
      // The audit row holds counts and outcomes, not the values: the log is read by more people than the values' pages.
      const outcomes = [...new Set(rows.map((r) => r.outcome))].sort();
      await appendAudit(trx, this.auditKey, { actor: `partner:${organisation.name}`, action: 'telco.outcomes', subject: `organisation:${organisation.name}`, details: { recorded, alreadyRecorded: rows.length - recorded, outcomes } });
      return { recorded, alreadyRecorded: rows.length - recorded };
    });
  }

  /** Outcomes per UTC day over the last `days` days (the dashboard). */
  async summary(days: number, now = Date.now()) {
    const since = new Date(now - (now % 86_400_000) - (days - 1) * 86_400_000);
    return { days, outcomesPerDay: await telcoOutcomesPerDay(this.db, since) };
  }
}
