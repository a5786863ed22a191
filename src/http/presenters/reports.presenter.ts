import Type from 'typebox';
import type { ReportDetailRow } from '../../modules/reports/reports.repository.js';
import { Nullable } from '../schemas.js';

/** A report as officers read it: no internal id, no fingerprint or token, the contact only as "given or not". */

export const ReportDetailSchema = Type.Object({
  reference: Type.String(),
  source: Type.String(),
  externalId: Nullable(Type.String()),
  duplicateOf: Nullable(Type.String({ description: 'Reference of the earlier report this one repeats' })),
  receivedAt: Type.String(),
  occurredAt: Nullable(Type.String()),
  channel: Type.String(),
  scamType: Type.String(),
  narrative: Type.String(),
  loss: Nullable(Type.Object({ amount: Type.String(), currency: Type.String() })),
  status: Type.String(),
  hasContact: Type.Boolean(),
  indicators: Type.Array(Type.Object({ key: Type.String(), kind: Type.String(), canonical: Type.String(), role: Nullable(Type.String()), extracted: Type.Boolean() })),
});

export function presentReportDetail(d: ReportDetailRow) {
  return {
    reference: d.reference,
    source: d.source,
    externalId: d.externalId,
    duplicateOf: d.duplicateOf,
    receivedAt: d.receivedAt.toISOString(),
    occurredAt: d.occurredAt?.toISOString() ?? null,
    channel: d.channel,
    scamType: d.scamType,
    narrative: d.narrative,
    loss: d.loss,
    status: d.status,
    hasContact: d.hasContact,
    indicators: d.indicators.map((i) => ({ key: i.key, kind: i.kind, canonical: i.canonical, role: i.role, extracted: i.extracted })),
  };
}
