import type { DisputeCount, DisputeRequest, DisputeStatus } from '../disputes/disputes.types.js';
import type { IndicatorKind } from '../indicators/index.js';
import type { OrganisationType } from '../partners/partner.types.js';
import type { DeletedKind, InventoryItem } from '../retention/retention-schedule.js';

/** A published count: null when under the smallest published count (it could point at a person), else rounded down. */
export type PublishedCount = number | null;

/** One named series of monthly counts, aligned with the report's `months`. */
export interface MonthlySeries<Name extends string = string> {
  name: Name;
  counts: PublishedCount[];
}

export const REPORT_SOURCES = ['public', 'message', 'import', 'other'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

/** Why a value stopped being flagged, as far as the verdict log and the audit log tell (transparency.repository.ts). */
export const UNFLAG_REASONS = ['lapsed', 'officer'] as const;
export type UnflagReason = (typeof UNFLAG_REASONS)[number];

/** Whose contact details an officer revealed: a reporter's (`contact.read`) or a disputer's (`dispute.contact_read`). */
export const CONTACT_SUBJECTS = ['reporters', 'disputers'] as const;
export type ContactSubject = (typeof CONTACT_SUBJECTS)[number];

/** What the retention job removed, as its `retention.run` audit rows name it. */
export { DELETED_KINDS, type DeletedKind } from '../retention/retention-schedule.js';

/** Disputes counted per month, as the disputes module gives them. */
/** Disputes received in [since, until). */
export type DisputeCounts = (since: Date, until: Date) => Promise<DisputeCount[]>;

/** The public transparency report (issue 17): GET /api/v1/transparency and the /transparency page. */
export interface TransparencyReport {
  /** The first day counted and the day after the last (UTC, `YYYY-MM-DD`): whole days only, so counts change once a day. */
  from: string;
  until: string;
  /** The 12 calendar months counted (UTC, `YYYY-MM`), oldest first; the last runs to the day before `until`. */
  months: string[];
  smallestPublished: number;
  roundedTo: number;
  checks: PublishedCount[];
  reports: MonthlySeries<ReportSource>[];
  /** Values flagged now, by kind. */
  flagged: { kind: IndicatorKind; high_risk: PublishedCount; suspicious: PublishedCount }[];
  unflagged: MonthlySeries<UnflagReason>[];
  disputes: {
    /** Disputes and verification requests received per month. */
    received: MonthlySeries<DisputeRequest>[];
    /** What became of those received in the period, by request and status now. */
    outcomes: { request: DisputeRequest; status: DisputeStatus; count: PublishedCount }[];
  };
  contactReads: MonthlySeries<ContactSubject>[];
  partnerCalls: MonthlySeries<OrganisationType>[];
  deletions: MonthlySeries<DeletedKind>[];
  legalHolds: { inForce: PublishedCount; placed: PublishedCount[] };
  /** What is collected, why, for how long and who can see it: generated from the retention schedule in force. */
  inventory: InventoryItem[];
}
