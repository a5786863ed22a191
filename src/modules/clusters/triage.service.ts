import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import { appendAudit } from '../audit/audit.repository.js';
import type { ReportDetailRow } from '../reports/reports.repository.js';
import type { ReportService } from '../reports/reports.service.js';
import { suggestScamType, type TypeSuggestion } from '../reports/scam-type-suggester.js';
import type { ScamType } from '../reports/taxonomy.js';
import { entriesOfReports } from '../reports/reports.repository.js';
import { UNCOUNTED_OUTCOMES, lockChangeLog, refreshEvidence, type JudgeContext } from '../verdicts/verdicts.repository.js';
import { explainPriority, type PriorityReason } from './triage.priority.js';
import {
  activeUserByName,
  clusterExists,
  insertNote,
  insertReferrals,
  lockClusterReports,
  lockReport,
  lockReports,
  notesOf,
  queue,
  referralsOf,
  updateReports,
  upsertTypeLabel,
  userIdByName,
  workState,
  type NoteRow,
  type QueueFilter,
  type QueueRow,
  type ReferralRow,
} from './triage.repository.js';

export const OUTCOMES = ['action_taken', 'no_further_action', 'duplicate', 'not_a_scam'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const STATUSES = ['new', 'triaged', 'referred', 'closed'] as const;
export type Status = (typeof STATUSES)[number];
export const REFERRAL_KINDS = ['unit', 'partner'] as const;

export interface ReferralTarget {
  kind: (typeof REFERRAL_KINDS)[number];
  name: string;
}

export interface QueueItem extends QueueRow {
  reasons: PriorityReason[];
}

export interface ReportWork extends ReportDetailRow {
  cluster: number | null;
  priority: number;
  reasons: PriorityReason[];
  assignee: string | null;
  vulnerable: boolean;
  outcome: string | null;
  suggestedType: TypeSuggestion;
  /** The officers' label, when one was given. */
  labelledType: string | null;
  notes: NoteRow[];
  referrals: ReferralRow[];
}

const withReasons = (row: QueueRow, now: Date): QueueItem => ({
  ...row,
  reasons: explainPriority(row.parts, {
    lossAmount: row.lossAmount,
    lossCurrency: row.lossCurrency,
    clusterReports: row.clusterReports,
    clusterRecent: row.clusterRecent,
    ageDays: (now.getTime() - row.receivedAt.getTime()) / 86_400_000,
    messageScore: row.messageScore,
  }),
});

/** What triage needs of the verdicts: how to judge a level now, and a nudge to follow a change at once. */
export interface EvidenceFollower {
  judgeContext(): JudgeContext;
  catchUp(): Promise<void>;
}

/**
 * The hub's work on reports: the queue, a report's working view, and the officer actions on a report or a
 * whole cluster (triage, assign, note, refer, close, reopen, label). Status moves forward only (new →
 * triaged → referred → closed) except by an explicit reopen; every action writes its audit row in the
 * transaction that makes it.
 */

export class TriageService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly auditKey: Buffer,
    private readonly reports: ReportService,
    private readonly verdicts: EvidenceFollower,
  ) {}

  async queue(filter: Omit<QueueFilter, 'now'> & { now?: Date }): Promise<{ items: QueueItem[]; total: number }> {
    const now = filter.now ?? new Date();
    const { rows, total } = await queue(this.db, { ...filter, now });
    return { items: rows.map((r) => withReasons(r, now)), total };
  }

  /** The id of the user the queue is filtered by (`assigned=NAME`); UNKNOWN_USER when no one has that name. */
  async assigneeId(username: string): Promise<number> {
    const id = await userIdByName(this.db, username);
    if (id === null) throw new AppError('UNKNOWN_USER', `No user is called “${username}”.`);
    return id;
  }

  /** A report as an officer works on it: details (the read is audited), cluster, priority and why, suggested type, notes, referrals. */
  async work(actor: string, reference: string, now = new Date()): Promise<ReportWork> {
    const detail = await this.reports.detail(actor, reference);
    const row = await workState(this.db, detail.id);
    const ranked = row.cluster_id === null ? null : (await this.queue({ statuses: STATUSES, cluster: row.cluster_id, sort: 'priority', limit: 1, offset: 0, reference, now })).items[0];
    return {
      ...detail,
      cluster: row.cluster_id,
      priority: ranked?.priority ?? 0,
      reasons: ranked?.reasons ?? [],
      assignee: row.username,
      vulnerable: row.vulnerable,
      outcome: row.outcome,
      suggestedType: suggestScamType(detail.narrative, detail.indicators),
      labelledType: row.label,
      notes: await notesOf(this.db, detail.id),
      referrals: await referralsOf(this.db, detail.id),
    };
  }

  /**
   * Marks a new report reviewed, with who works on it and whether the victim is vulnerable; on a report
   * already triaged or referred it changes only those (the status never moves back).
   */
  async triage(actor: string, reference: string, change: { assignee?: string | null; vulnerable?: boolean }): Promise<Status> {
    return this.onReport(actor, reference, async (trx, report) => {
      if (report.status === 'closed') throw transition(report.status, 'triaged');
      const status = report.status === 'new' ? 'triaged' : (report.status as Status);
      const assignedTo = change.assignee === undefined ? undefined : change.assignee === null ? null : await this.officerId(trx, change.assignee);
      await updateReports(trx, [report.id], { status: status === report.status ? undefined : status, assignedTo, vulnerable: change.vulnerable });
      return { action: 'report.triage', details: { assignee: change.assignee, vulnerable: change.vulnerable }, status };
    });
  }

  /** An internal note: officers see it, the reporter never does. */
  async note(actor: string, reference: string, body: string): Promise<Status> {
    return this.onReport(actor, reference, async (trx, report) => {
      const note = await insertNote(trx, report.id, actor, body);
      return { action: 'report.note', details: { note }, status: report.status as Status };
    });
  }

  async refer(actor: string, reference: string, target: ReferralTarget, reason: string): Promise<Status> {
    return this.onReport(actor, reference, async (trx, report) => {
      if (report.status === 'closed') throw transition(report.status, 'referred');
      await referIds({ cluster: null, target, reason, actor })(trx, [report.id]);
      return { action: 'report.refer', details: referralDetails(target, reason), status: 'referred' };
    });
  }

  async close(actor: string, reference: string, outcome: Outcome, reason: string): Promise<Status> {
    return this.onReport(actor, reference, async (trx, report) => {
      if (report.status === 'closed') throw transition(report.status, 'closed');
      await this.closeIds(outcome)(trx, [report.id]);
      return { action: 'report.close', details: { outcome, reason }, status: 'closed' };
    });
  }

  /**
   * Opens a closed report again (triaged), with a reason. What its outcome took from the evidence (closed as
   * not a scam or a duplicate) is given back, and the verdicts follow.
   */
  async reopen(actor: string, reference: string, reason: string): Promise<Status> {
    return this.onReport(actor, reference, async (trx, report) => {
      if (report.status !== 'closed') throw new AppError('INVALID_TRANSITION', `A ${report.status} report is open already.`);
      const excluded = UNCOUNTED_OUTCOMES.includes(report.outcome as Outcome);
      await updateReports(trx, [report.id], { status: 'triaged', outcome: null });
      if (excluded) await this.recount(trx, [report.id]);
      return { action: 'report.reopen', details: { reason, outcome: report.outcome }, status: 'triaged' };
    });
  }

  /** An officer's scam type for a report, kept as labelled data with the suggestion it corrects or confirms. */
  async label(actor: string, reference: string, scamType: ScamType): Promise<{ scamType: ScamType; suggested: ScamType }> {
    const detail = await this.reports.detail(actor, reference);
    const suggested = suggestScamType(detail.narrative, detail.indicators).scamType;
    await this.db.transaction().execute(async (trx) => {
      await upsertTypeLabel(trx, detail.id, { scamType, suggested, by: actor });
      await appendAudit(trx, this.auditKey, { actor, action: 'report.label', subject: reference, details: { scamType, suggested } });
    });
    return { scamType, suggested };
  }

  /** Bulk: triages every new report of a cluster. */
  async triageCluster(actor: string, cluster: number): Promise<{ reports: number }> {
    return this.onCluster(actor, cluster, ['new'], 'cluster.triage', {}, triageIds);
  }

  /** Bulk: refers every open report of a cluster, one referral each, marked as the cluster's. */
  async referCluster(actor: string, cluster: number, target: ReferralTarget, reason: string): Promise<{ reports: number }> {
    return this.onCluster(actor, cluster, OPEN, 'cluster.refer', referralDetails(target, reason), referIds({ cluster, target, reason, actor }));
  }

  /** Bulk: closes every open report of a cluster with one outcome. */
  async closeCluster(actor: string, cluster: number, outcome: Outcome, reason: string): Promise<{ reports: number }> {
    return this.onCluster(actor, cluster, OPEN, 'cluster.close', { outcome, reason }, this.closeIds(outcome));
  }

  /**
   * Bulk from the queue: the same three actions on the reports an officer ticked, in one transaction with one
   * audit row per report (so each report's history shows it). Reports already past the action are skipped.
   */
  async triageMany(actor: string, references: readonly string[]): Promise<{ reports: number }> {
    return this.onReports(actor, references, ['new'], 'report.triage', {}, triageIds);
  }

  async referMany(actor: string, references: readonly string[], target: ReferralTarget, reason: string): Promise<{ reports: number }> {
    return this.onReports(actor, references, OPEN, 'report.refer', referralDetails(target, reason), referIds({ cluster: null, target, reason, actor }));
  }

  async closeMany(actor: string, references: readonly string[], outcome: Outcome, reason: string): Promise<{ reports: number }> {
    return this.onReports(actor, references, OPEN, 'report.close', { outcome, reason }, this.closeIds(outcome));
  }

  /**
   * Closing with an outcome. Reports closed as not a scam or as duplicates stop counting as evidence: the
   * values they named are recomputed in the same transaction, and their change-log rows written.
   */
  private closeIds(outcome: Outcome) {
    return async (trx: Transaction<Database>, ids: number[]): Promise<void> => {
      await updateReports(trx, ids, { status: 'closed', outcome });
      if (UNCOUNTED_OUTCOMES.includes(outcome)) await this.recount(trx, ids);
    };
  }

  /** Recomputes the evidence of every value these reports gave, after they stopped or started counting. */
  private async recount(trx: Transaction<Database>, ids: number[]): Promise<void> {
    await refreshEvidence(trx, await entriesOfReports(trx, ids), this.verdicts.judgeContext(), { recountReporters: true });
  }

  private async officerId(trx: Transaction<Database>, username: string): Promise<number> {
    const user = await activeUserByName(trx, username);
    if (user === undefined || user.role === 'analyst') throw new AppError('UNKNOWN_USER', `No active officer is called “${username}”.`);
    return user.id;
  }

  /** One action on one report: the report row locked, the change, its audit row, all in one transaction. */
  private async onReport(
    actor: string,
    reference: string,
    act: (trx: Transaction<Database>, report: { id: number; status: string; outcome: string | null }) => Promise<{ action: string; details: Record<string, unknown>; status: Status }>,
  ): Promise<Status> {
    return this.inTransaction(async (trx) => {
      const report = await lockReport(trx, reference);
      if (report === undefined) throw new AppError('NOT_FOUND', 'No report with this reference.');
      const done = await act(trx, report);
      await appendAudit(trx, this.auditKey, { actor, action: done.action, subject: reference, details: done.details });
      return done.status;
    });
  }

  /**
   * A triage transaction. The change-log lock comes first, before any report row: evidence writers take it
   * first too, so that a close that recomputes evidence cannot deadlock with a report being stored. Once
   * it commits, this server's index follows whatever evidence it changed.
   */
  private async inTransaction<T>(run: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    const result = await this.db.transaction().execute(async (trx) => {
      await lockChangeLog(trx);
      return run(trx);
    });
    await this.verdicts.catchUp().catch(() => undefined); // the poll retries it
    return result;
  }

  private async onCluster(
    actor: string,
    cluster: number,
    from: readonly Status[],
    action: string,
    details: Record<string, unknown>,
    act: (trx: Transaction<Database>, ids: number[]) => Promise<void>,
  ): Promise<{ reports: number }> {
    return this.inTransaction(async (trx) => {
      if (!(await clusterExists(trx, cluster))) throw new AppError('NOT_FOUND', `There is no cluster ${cluster}.`);
      const ids = await lockClusterReports(trx, cluster, from);
      if (ids.length > 0) await act(trx, ids);
      await appendAudit(trx, this.auditKey, { actor, action, subject: `cluster:${cluster}`, details: { ...details, reports: ids.length } });
      return { reports: ids.length };
    });
  }

  private async onReports(
    actor: string,
    references: readonly string[],
    from: readonly Status[],
    action: string,
    details: Record<string, unknown>,
    act: (trx: Transaction<Database>, ids: number[]) => Promise<void>,
  ): Promise<{ reports: number }> {
    const unique = [...new Set(references)];
    return this.inTransaction(async (trx) => {
      const rows = await lockReports(trx, unique);
      if (rows.length < unique.length) {
        const found = new Set(rows.map((r) => r.reference));
        throw new AppError('NOT_FOUND', `No report with the reference ${unique.filter((r) => !found.has(r)).join(', ')}.`);
      }
      const acted = rows.filter((r) => from.includes(r.status as Status));
      if (acted.length > 0) await act(trx, acted.map((r) => r.id));
      for (const r of acted) await appendAudit(trx, this.auditKey, { actor, action, subject: r.reference, details: { ...details, bulk: true } });
      return { reports: acted.length };
    });
  }
}

/** Statuses a report can still be referred or closed from. */
const OPEN: readonly Status[] = ['new', 'triaged', 'referred'];

/** What each action does to the reports it acts on, whether one, ticked ones or a cluster's. */
const triageIds = (trx: Transaction<Database>, ids: number[]) => updateReports(trx, ids, { status: 'triaged' });
const referIds =
  (r: { cluster: number | null; target: ReferralTarget; reason: string; actor: string }) =>
  async (trx: Transaction<Database>, ids: number[]): Promise<void> => {
    await insertReferrals(trx, ids, { cluster: r.cluster, kind: r.target.kind, target: r.target.name, reason: r.reason, by: r.actor });
    await updateReports(trx, ids, { status: 'referred' });
  };
const referralDetails = (target: ReferralTarget, reason: string) => ({ target: target.name, targetKind: target.kind, reason });

function transition(from: string, to: string): AppError {
  return new AppError('INVALID_TRANSITION', `A ${from} report cannot be ${to}.`);
}
