import Type from 'typebox';
import type { QueueItem, ReportWork } from '../../modules/clusters/triage.service.js';
import { Label, Nullable } from '../schemas.js';

/** The triage queue and a report's working view, as the console receives them. */

const iso = (d: Date): string => d.toISOString();

export const PriorityReason = Type.Object({ code: Type.String(), points: Type.Integer(), text: Label });
const Loss = Nullable(Type.Object({ amount: Type.String(), currency: Type.String() }));

export const QueueItemSchema = Type.Object({
  reference: Type.String(),
  receivedAt: Type.String(),
  channel: Type.String(),
  scamType: Type.String(),
  status: Type.String(),
  loss: Loss,
  vulnerable: Type.Boolean(),
  assignee: Nullable(Type.String()),
  duplicate: Type.Boolean(),
  cluster: Type.Integer(),
  clusterReports: Type.Integer(),
  priority: Type.Integer(),
  reasons: Type.Array(PriorityReason),
});

/** A queue row: the loss as one object, times as ISO strings, and none of the ranking's internal parts. */
export function presentQueueItem(i: QueueItem) {
  return {
    reference: i.reference,
    receivedAt: iso(i.receivedAt),
    channel: i.channel,
    scamType: i.scamType,
    status: i.status,
    loss: i.lossAmount === null || i.lossCurrency === null ? null : { amount: i.lossAmount, currency: i.lossCurrency },
    vulnerable: i.vulnerable,
    assignee: i.assignee,
    duplicate: i.duplicate,
    cluster: i.cluster,
    clusterReports: i.clusterReports,
    priority: i.priority,
    reasons: i.reasons,
  };
}

export const QueuePage = Type.Object({ total: Type.Integer(), items: Type.Array(QueueItemSchema) });

/** A page of the queue (or of a cluster's reports). */
export function presentQueuePage(page: { total: number; items: QueueItem[] }) {
  return { total: page.total, items: page.items.map(presentQueueItem) };
}

const ReportIndicator = Type.Object({ key: Type.String(), kind: Type.String(), canonical: Type.String(), role: Nullable(Type.String()), extracted: Type.Boolean() });

export const ReportWorkSchema = Type.Object({
  reference: Type.String(),
  status: Type.String(),
  outcome: Nullable(Type.String()),
  receivedAt: Type.String(),
  occurredAt: Nullable(Type.String()),
  channel: Type.String(),
  scamType: Type.String(),
  narrative: Type.String(),
  loss: Loss,
  duplicateOf: Nullable(Type.String()),
  hasContact: Type.Boolean(),
  indicators: Type.Array(ReportIndicator),
  cluster: Nullable(Type.Integer()),
  priority: Type.Integer(),
  reasons: Type.Array(PriorityReason),
  assignee: Nullable(Type.String()),
  vulnerable: Type.Boolean(),
  suggestedType: Type.Object({
    scamType: Type.String(),
    label: Label,
    confidence: Type.Number(),
    signals: Type.Array(Type.Object({ source: Type.String(), cue: Type.String() })),
  }),
  labelledType: Nullable(Type.String()),
  notes: Type.Array(Type.Object({ author: Type.String(), body: Type.String(), createdAt: Type.String() })),
  referrals: Type.Array(
    Type.Object({ targetKind: Type.String(), target: Type.String(), reason: Type.String(), referredBy: Type.String(), referredAt: Type.String(), cluster: Nullable(Type.Integer()) }),
  ),
});

/** A report as officers work on it; its internal id and the source's own fields stay behind. */
export function presentWork(w: ReportWork) {
  return {
    reference: w.reference,
    status: w.status,
    outcome: w.outcome,
    receivedAt: iso(w.receivedAt),
    occurredAt: w.occurredAt === null ? null : iso(w.occurredAt),
    channel: w.channel,
    scamType: w.scamType,
    narrative: w.narrative,
    loss: w.loss,
    duplicateOf: w.duplicateOf,
    hasContact: w.hasContact,
    indicators: w.indicators.map((i) => ({ key: i.key, kind: i.kind, canonical: i.canonical, role: i.role, extracted: i.extracted })),
    cluster: w.cluster,
    priority: w.priority,
    reasons: w.reasons,
    assignee: w.assignee,
    vulnerable: w.vulnerable,
    suggestedType: { scamType: w.suggestedType.scamType, label: w.suggestedType.label, confidence: w.suggestedType.confidence, signals: w.suggestedType.signals },
    labelledType: w.labelledType,
    notes: w.notes.map((n) => ({ author: n.author, body: n.body, createdAt: iso(n.createdAt) })),
    referrals: w.referrals.map((r) => ({ targetKind: r.targetKind, target: r.target, reason: r.reason, referredBy: r.referredBy, referredAt: iso(r.referredAt), cluster: r.cluster })),
  };
}
