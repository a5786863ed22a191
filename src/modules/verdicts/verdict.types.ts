import type { Label, ScamType } from '../reports/taxonomy.js';

export const VERDICT_LEVELS = ['high_risk', 'suspicious', 'no_record', 'verified'] as const;
export type VerdictLevel = (typeof VERDICT_LEVELS)[number];

/** Feed and officer levels as stored (smallint): higher is worse. */
export const RISK = { none: 0, suspicious: 1, high_risk: 2 } as const;
export type RiskLevel = (typeof RISK)[keyof typeof RISK];

/** An officer's decision about an entry (decisions.level). */
export const DECISION = { none: 0, confirmed: 1, downgraded: 2, cleared: 3 } as const;
export type Decision = (typeof DECISION)[keyof typeof DECISION];

export const PROTECTION = { none: 0, verified: 1, compromised: 2 } as const;
export type Protection = (typeof PROTECTION)[keyof typeof PROTECTION];

/** Public levels as stored in the verdict log (evidence.level, evidence_changes.level): no_record is 0. */
export const LEVEL_CODE: Record<VerdictLevel, number> = { no_record: 0, suspicious: 1, high_risk: 2, verified: 3 };
export const LEVEL_OF_CODE: readonly VerdictLevel[] = ['no_record', 'suspicious', 'high_risk', 'verified'];

/** Everything known about one entry, summarised: what the lookup index holds. Times in epoch seconds. */
export interface Evidence {
  entry: string;
  /** Reporters: distinct reporter fingerprints over the reports that count (not repeats, not closed as not a scam). */
  reportCount: number;
  /**
   * Independent sources among them: distinct costly signals (network blocks, an institution's reporter ids;
   * see docs/poisoning.md). Only these make an entry high risk.
   */
  sourceCount: number;
  firstSeen: number | null;
  lastSeen: number | null;
  lastReport: number | null;
  scamTypes: number;
  feedLevel: RiskLevel;
  feedName: string | null;
  /** When that listing was last made or renewed. */
  feedListedAt: number | null;
  /** When that listing expires (it no longer counts from this second on); null: never. */
  feedUntil: number | null;
  decision: Decision;
  decidedAt: number | null;
  protection: Protection;
}

export type ReasonCode =
  | 'NO_RECORD'
  | 'REPORTS_HIGH_RISK'
  | 'REPORTS_SUSPICIOUS'
  | 'REPORTS_LAPSED'
  | 'FEED_HIGH_RISK'
  | 'FEED_SUSPICIOUS'
  | 'OFFICER_CONFIRMED'
  | 'OFFICER_DOWNGRADED'
  | 'OFFICER_CLEARED'
  | 'PROTECTED_ENTITY'
  | 'PROTECTED_COMPROMISED'
  | 'LOOKALIKE_PROTECTED';

export interface Reason {
  code: ReasonCode;
  message: Label;
  /** The entry the reason is about (`evil.com/` for a whole site), where it is not the value itself. */
  covers?: string;
  count?: number;
  source?: string;
  since?: string;
}

export interface Verdict {
  level: VerdictLevel;
  /** One line that says what the reasons say (the reason that set the level). */
  headline: Label;
  reasons: Reason[];
  /** Reporters behind the evidence; in public answers rounded down to 1, 2, 5, 10, 20, 50, 100, … */
  reportCount: number;
  /** Public answers give days (YYYY-MM-DD); officers get the exact time. */
  firstSeen: string | null;
  lastSeen: string | null;
  /** When the evidence behind this verdict last changed (a report, a listing, a decision). */
  updated: string | null;
  scamTypes: ScamType[];
  advice: { en: string[]; 'zh-Hant': string[] };
}
