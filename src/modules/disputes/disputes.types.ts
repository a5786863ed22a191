import type { IndicatorKind } from '../indicators/index.js';
import type { Label } from '../reports/taxonomy.js';

/** `dispute`: "this is mine and wrongly flagged"; `verify`: "we are a business, protect us". */
export const DISPUTE_REQUESTS = ['dispute', 'verify'] as const;
export type DisputeRequest = (typeof DISPUTE_REQUESTS)[number];

export const DISPUTE_STATUSES = ['open', 'upheld', 'cleared', 'verified', 'rejected'] as const;
export type DisputeStatus = (typeof DISPUTE_STATUSES)[number];

/** Who is asking, as they say: the value's owner, or someone acting for the owner (staff, an agent). */
export const CLAIMANT_ROLES = ['owner', 'representative'] as const;
export type ClaimantRole = (typeof CLAIMANT_ROLES)[number];

export const DISPUTE_DECISIONS = ['uphold', 'clear', 'verify', 'reject'] as const;
export type DisputeDecision = (typeof DISPUTE_DECISIONS)[number];

/** The status each decision leaves, and the decisions that fit each request. */
export const DECISION_STATUS: Readonly<Record<DisputeDecision, DisputeStatus>> = { uphold: 'upheld', clear: 'cleared', verify: 'verified', reject: 'rejected' };
export const DECISIONS_FOR: Readonly<Record<DisputeRequest, readonly DisputeDecision[]>> = { dispute: ['uphold', 'clear'], verify: ['verify', 'reject'] };

/** At most this many open disputes per value: one value cannot flood the queue from many addresses. */
export const MAX_OPEN_PER_VALUE = 3;

/** The person's name and where the answer goes: personal data, stored only encrypted. */
export interface DisputeContact {
  name: string;
  email?: string;
  phone?: string;
}

/** A dispute as stored, without its secrets (contact ciphertext, token hash). */
export interface StoredDispute {
  reference: string;
  request: DisputeRequest;
  key: string;
  kind: IndicatorKind;
  canonical: string;
  levelAtSubmission: string;
  role: ClaimantRole;
  organisation: string | null;
  explanation: string;
  evidence: string;
  links: string[];
  status: DisputeStatus;
  decidedBy: string | null;
  decisionReason: string | null;
  decidedAt: Date | null;
  receivedAt: Date;
}

/** What the person who asked sees on their private status page: their own dispute, nothing about reports. */
export interface DisputeStatusView {
  reference: string;
  request: DisputeRequest;
  kind: IndicatorKind;
  canonical: string;
  status: DisputeStatus;
  statusText: Label;
  /** The officer's reason, once decided (officers are told it is shown). */
  reason: string | null;
  receivedAt: string;
  decidedAt: string | null;
}

/** One row of the counts the transparency report publishes: disputes received in a month (UTC), by request, kind and status. */
export interface DisputeCount {
  month: string;
  request: DisputeRequest;
  kind: IndicatorKind;
  status: DisputeStatus;
  count: number;
}
