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

/** Everything known about one entry, summarised: what the lookup index holds. Times in epoch seconds. */
export interface Evidence {
  entry: string;
  /** Independent reports: distinct reporter fingerprints over reports that are not duplicates. */
  reportCount: number;
  firstSeen: number | null;
  lastSeen: number | null;
  lastReport: number | null;
  scamTypes: number;
  feedLevel: RiskLevel;
  feedName: string | null;
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
  reasons: Reason[];
  reportCount: number;
  firstSeen: string | null;
  lastSeen: string | null;
  scamTypes: ScamType[];
  advice: { en: string[]; 'zh-Hant': string[] };
}
