import Type from 'typebox';
import type { IndicatorProfile } from '../../modules/verdicts/indicator-profile.repository.js';
import type { ProtectedRow } from '../../modules/verdicts/officer.repository.js';
import { Nullable } from '../schemas.js';

/** Protected entities and a value's page, as the console receives them (times as ISO strings). */

const iso = (d: Date): string => d.toISOString();
const maybe = (d: Date | null): string | null => d?.toISOString() ?? null;
const When = Type.String({ description: 'ISO 8601 time' });

export const ProtectedEntitySchema = Type.Object({
  entry: Type.String(),
  kind: Type.String(),
  canonical: Type.String(),
  name: Type.String(),
  createdBy: Type.String(),
  createdAt: When,
  compromisedAt: Nullable(When),
  compromiseReason: Nullable(Type.String()),
});

export function presentProtected(p: ProtectedRow) {
  return {
    entry: p.entry,
    kind: p.kind,
    canonical: p.canonical,
    name: p.name,
    createdBy: p.createdBy,
    createdAt: iso(p.createdAt),
    compromisedAt: maybe(p.compromisedAt),
    compromiseReason: p.compromiseReason,
  };
}

export const AuditRowSchema = Type.Object({ seq: Type.Integer(), at: When, actor: Type.String(), action: Type.String(), subject: Type.String(), details: Type.Unknown() });

const EntryRecordSchema = Type.Object({
  entry: Type.String(),
  label: Type.String(),
  reportCount: Type.Integer(),
  firstSeen: Nullable(When),
  lastSeen: Nullable(When),
  feed: Nullable(Type.String()),
  decision: Nullable(Type.Object({ level: Type.String(), reason: Type.String(), by: Type.String(), at: When })),
  protection: Nullable(Type.Object({ name: Type.String(), by: Type.String(), at: When, compromisedAt: Nullable(When), compromiseReason: Nullable(Type.String()) })),
});

/** A value's page without the public check beside it (the route adds that, as the check route answers it). */
export const IndicatorProfileSchema = Type.Object({
  entries: Type.Array(EntryRecordSchema),
  reports: Type.Array(Type.Object({ reference: Type.String(), receivedAt: When, scamType: Type.String(), status: Type.String(), cluster: Nullable(Type.Integer()) })),
  reportTotal: Type.Integer(),
  correlation: Type.Object({ key: Type.String(), cluster: Nullable(Type.Integer()), excluded: Nullable(Type.Object({ reason: Type.String(), by: Type.String(), at: When })) }),
  history: Type.Array(AuditRowSchema),
  partnerOutcomes: Type.Array(Type.Object({ organisation: Type.String(), organisationType: Type.String(), entry: Type.String(), outcome: Type.String(), reference: Nullable(Type.String()), at: When })),
});

export function presentProfile(profile: IndicatorProfile) {
  return {
    entries: profile.entries.map((e) => ({
      entry: e.entry,
      label: e.label,
      reportCount: e.reportCount,
      firstSeen: maybe(e.firstSeen),
      lastSeen: maybe(e.lastSeen),
      feed: e.feed,
      decision: e.decision === null ? null : { level: e.decision.level, reason: e.decision.reason, by: e.decision.by, at: iso(e.decision.at) },
      protection:
        e.protection === null
          ? null
          : { name: e.protection.name, by: e.protection.by, at: iso(e.protection.at), compromisedAt: maybe(e.protection.compromisedAt), compromiseReason: e.protection.compromiseReason },
    })),
    reports: profile.reports.map((r) => ({ reference: r.reference, receivedAt: iso(r.receivedAt), scamType: r.scamType, status: r.status, cluster: r.cluster })),
    reportTotal: profile.reportTotal,
    correlation: {
      key: profile.correlation.key,
      cluster: profile.correlation.cluster,
      excluded: profile.correlation.excluded === null ? null : { reason: profile.correlation.excluded.reason, by: profile.correlation.excluded.by, at: iso(profile.correlation.excluded.at) },
    },
    history: profile.history.map((h) => ({ seq: h.seq, at: iso(h.at), actor: h.actor, action: h.action, subject: h.subject, details: h.details })),
    partnerOutcomes: profile.partnerOutcomes.map((o) => ({ ...o, at: iso(o.at) })),
  };
}
