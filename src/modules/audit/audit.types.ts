/**
 * How a log fails to verify: a row changed, missing or moved (the chain itself); or, against a signed
 * checkpoint, rows gone from its end (`truncated`), its signed head no longer there (`rewritten`, as by
 * someone holding the audit key who recomputed the chain), or a checkpoint this log's key did not sign.
 */
export const AUDIT_PROBLEMS = ['altered', 'removed', 'out_of_order', 'truncated', 'rewritten', 'bad_checkpoint'] as const;
export type AuditProblem = (typeof AUDIT_PROBLEMS)[number];

export interface AuditVerification {
  rows: number;
  /** The first row that breaks the chain, and how; null when the whole chain verifies. */
  broken: { seq: number; problem: AuditProblem; detail: string } | null;
}
