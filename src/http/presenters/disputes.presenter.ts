import Type from 'typebox';
import { CLAIMANT_ROLES, DISPUTE_REQUESTS, DISPUTE_STATUSES, type StoredDispute } from '../../modules/disputes/disputes.types.js';
import type { VerdictLevel } from '../../modules/verdicts/verdict.types.js';
import { Kind, Level, Nullable } from '../schemas.js';

/** Disputes as the console receives them: never the contact (an audited reveal of its own), never a token. */

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export const DisputeSummarySchema = Type.Object({
  reference: Type.String(),
  request: Type.Enum(DISPUTE_REQUESTS),
  kind: Kind,
  canonical: Type.String(),
  role: Type.Enum(CLAIMANT_ROLES),
  organisation: Nullable(Type.String()),
  status: Type.Enum(DISPUTE_STATUSES),
  levelAtSubmission: Level,
  levelNow: Level,
  receivedAt: Type.String(),
  decidedAt: Nullable(Type.String()),
});

export const DisputeDetailSchema = Type.Object({
  ...DisputeSummarySchema.properties,
  explanation: Type.String(),
  evidence: Type.String(),
  links: Type.Array(Type.String()),
  decision: Nullable(Type.Object({ by: Type.String(), reason: Type.String(), at: Type.String() })),
});

type Officers = StoredDispute & { levelNow: string };

export function presentDisputeSummary(d: Officers) {
  return {
    reference: d.reference,
    request: d.request,
    kind: d.kind,
    canonical: d.canonical,
    role: d.role,
    organisation: d.organisation,
    status: d.status,
    levelAtSubmission: d.levelAtSubmission as VerdictLevel,
    levelNow: d.levelNow as VerdictLevel,
    receivedAt: d.receivedAt.toISOString(),
    decidedAt: iso(d.decidedAt),
  };
}

export function presentDisputeDetail(d: Officers) {
  return {
    ...presentDisputeSummary(d),
    explanation: d.explanation,
    evidence: d.evidence,
    links: d.links,
    decision: d.decidedAt === null ? null : { by: d.decidedBy ?? '', reason: d.decisionReason ?? '', at: d.decidedAt.toISOString() },
  };
}
