import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';
import { DECISIONS_FOR, DECISION_STATUS, DISPUTE_REQUESTS, type DisputeRequest, type DisputeStatus } from '../disputes/disputes.types.js';
import { INDICATOR_KINDS } from '../indicators/index.js';
import { ORGANISATION_TYPES } from '../partners/partner.types.js';
import { ROUNDED_TO, SMALLEST_PUBLISHED, published } from '../reports/trends.js';
import { dataInventory, type RetentionSchedule } from '../retention/retention-schedule.js';
import {
  auditActionsPerMonth,
  checksPerMonth,
  deletionsPerMonth,
  flaggedNow,
  legalHolds,
  partnerCallsPerMonth,
  reportsPerMonth,
  unflaggedPerMonth,
  type GroupedMonthCount,
  type MonthCount,
} from './transparency.repository.js';
import {
  CONTACT_SUBJECTS,
  DELETED_KINDS,
  REPORT_SOURCES,
  UNFLAG_REASONS,
  type ContactSubject,
  type DisputeCounts,
  type MonthlySeries,
  type PublishedCount,
  type TransparencyReport,
} from './transparency.types.js';

const MONTHS = 12;
const DAY_MS = 86_400_000;
/** Recomputed at most this often: a public page must not make the database scan on every request. */
const FRESH_MS = 10 * 60_000;
const CONTACT_ACTIONS: Record<ContactSubject, string> = { reporters: 'contact.read', disputers: 'dispute.contact_read' };

/**
 * The public transparency report (issue 17): what Scamgraph was used for and did with people's data over the
 * last 12 calendar months (UTC), from the tables and logs that record it, and the data inventory from the
 * retention schedule in force. Every count is published as the public trends are: under 10 not at all (null),
 * the others rounded down to a multiple of 5. The period ends at the start of today (UTC), so readings change
 * once a day and cannot be subtracted to watch single events. Cached for 10 minutes.
 */
export class TransparencyService {
  private cached: { at: number; answer: Promise<{ report: TransparencyReport; version: string }> } | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly retention: Readonly<RetentionSchedule>,
    private readonly disputeCounts: DisputeCounts,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** The report, and a version that changes whenever any of it does (the route's ETag). */
  current(now = this.clock()): Promise<{ report: TransparencyReport; version: string }> {
    if (this.cached === null || now.getTime() - this.cached.at > FRESH_MS) {
      const answer = this.compute(now).then((report) => ({ report, version: createHash('sha256').update(JSON.stringify(report)).digest('base64url').slice(0, 22) }));
      this.cached = { at: now.getTime(), answer };
      answer.catch(() => (this.cached = null)); // a failed count is retried on the next request
    }
    return this.cached.answer;
  }

  /** The report as of `now`, uncached. */
  async compute(now: Date): Promise<TransparencyReport> {
    const { from, until, months } = reportPeriod(now);
    const [checks, reports, flagged, unflagged, contactReads, partnerCalls, deletions, holds, disputes] = await Promise.all([
      checksPerMonth(this.db, from, until),
      reportsPerMonth(this.db, from, until),
      flaggedNow(this.db),
      unflaggedPerMonth(this.db, from, until),
      auditActionsPerMonth(this.db, Object.values(CONTACT_ACTIONS), from, until),
      partnerCallsPerMonth(this.db, from, until),
      deletionsPerMonth(this.db, from, until),
      legalHolds(this.db, from, until, until),
      this.disputeCounts(from, until),
    ]);
    const receivedDisputes = disputes.filter((d) => months.includes(d.month));
    const level = (kind: string, code: number): PublishedCount => published(flagged.filter((f) => f.kind === kind && f.level === code).reduce((n, f) => n + f.count, 0));
    return {
      from: isoDay(from),
      until: isoDay(until),
      months,
      smallestPublished: SMALLEST_PUBLISHED,
      roundedTo: ROUNDED_TO,
      checks: monthly(months, checks),
      reports: grouped(months, REPORT_SOURCES, reports),
      flagged: INDICATOR_KINDS.map((kind) => ({ kind, high_risk: level(kind, 2), suspicious: level(kind, 1) })),
      unflagged: grouped(months, UNFLAG_REASONS, unflagged),
      disputes: {
        received: grouped(
          months,
          DISPUTE_REQUESTS,
          receivedDisputes.map((d) => ({ month: d.month, group: d.request, count: d.count })),
        ),
        outcomes: DISPUTE_REQUESTS.flatMap((request) =>
          statusesOf(request).map((status) => ({ request, status, count: published(receivedDisputes.filter((d) => d.request === request && d.status === status).reduce((n, d) => n + d.count, 0)) })),
        ),
      },
      contactReads: grouped(
        months,
        CONTACT_SUBJECTS,
        contactReads.map((r) => ({ ...r, group: CONTACT_SUBJECTS.find((s) => CONTACT_ACTIONS[s] === r.group) as string })),
      ),
      partnerCalls: grouped(months, ORGANISATION_TYPES, partnerCalls),
      deletions: grouped(months, DELETED_KINDS, deletions),
      legalHolds: { inForce: published(holds.inForce), placed: monthly(months, holds.placed) },
      inventory: dataInventory(this.retention),
    };
  }
}

/** A request's statuses: still open, then what each decision that fits it leaves. */
const statusesOf = (request: DisputeRequest): DisputeStatus[] => ['open', ...DECISIONS_FOR[request].map((d) => DECISION_STATUS[d])];

/**
 * The period counted at `now`: the 12 calendar months (UTC) up to and including the one yesterday is in,
 * from the first day of the first of them to the start of today.
 */
export function reportPeriod(now: Date): { from: Date; until: Date; months: string[] } {
  const until = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  const last = new Date(until.getTime() - 1);
  const from = new Date(Date.UTC(last.getUTCFullYear(), last.getUTCMonth() - (MONTHS - 1), 1));
  const months = Array.from({ length: MONTHS }, (_, i) => new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + i, 1)).toISOString().slice(0, 7));
  return { from, until, months };
}

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** One count per month (zero where there is no row), each as published. */
function monthly(months: readonly string[], rows: readonly MonthCount[]): PublishedCount[] {
  return months.map((month) => published(rows.filter((r) => r.month === month).reduce((n, r) => n + r.count, 0)));
}

/** A series per name, in the given order (unknown groups are left out), each zero-filled and published. */
function grouped<Name extends string>(months: readonly string[], names: readonly Name[], rows: readonly GroupedMonthCount[]): MonthlySeries<Name>[] {
  return names.map((name) => ({ name, counts: monthly(months, rows.filter((r) => r.group === name)) }));
}
