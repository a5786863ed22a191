import Type from 'typebox';
import type { ClusterDetail } from '../../modules/clusters/clusters.service.js';
import type { ClusterSummary } from '../../modules/clusters/cluster-queries.repository.js';
import { Nullable } from '../schemas.js';

/** Clusters as the console receives them: the service's summaries with times as ISO strings. */

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

export const ClusterSummarySchema = Type.Object({
  id: Type.Integer(),
  reportCount: Type.Integer(),
  reporterCount: Type.Integer(),
  loss: Type.Array(Type.Object({ currency: Type.String(), amount: Type.String() })),
  firstSeen: Nullable(Type.String()),
  lastSeen: Nullable(Type.String()),
  perDay: Type.Array(Type.Object({ day: Type.String(), reports: Type.Integer() })),
  scamTypes: Type.Array(Type.Object({ scamType: Type.String(), reports: Type.Integer() })),
  channels: Type.Array(Type.Object({ channel: Type.String(), reports: Type.Integer() })),
  statuses: Type.Array(Type.Object({ status: Type.String(), reports: Type.Integer() })),
  topIndicators: Type.Array(Type.Object({ key: Type.String(), kind: Type.String(), reports: Type.Integer() })),
  status: Type.String(),
});

export function presentClusterSummary(c: ClusterSummary) {
  return {
    id: c.id,
    reportCount: c.reportCount,
    reporterCount: c.reporterCount,
    loss: c.loss,
    firstSeen: iso(c.firstSeen),
    lastSeen: iso(c.lastSeen),
    perDay: c.perDay,
    scamTypes: c.scamTypes,
    channels: c.channels,
    statuses: c.statuses,
    topIndicators: c.topIndicators,
    status: c.status,
  };
}

export const ClusterDetailSchema = Type.Object({
  ...ClusterSummarySchema.properties,
  suggestions: Type.Array(Type.Object({ cluster: Type.Integer(), relation: Type.String(), key: Type.String(), via: Type.String() })),
});

/** A cluster with the related clusters suggested beside it (never merged). */
export function presentClusterDetail(c: ClusterDetail) {
  return { ...presentClusterSummary(c), suggestions: c.suggestions.map((s) => ({ cluster: s.cluster, relation: s.relation, key: s.key, via: s.via })) };
}

export const ClusterGraphSchema = Type.Object({
  nodes: Type.Array(Type.Object({ id: Type.String(), type: Type.String(), label: Type.String(), kind: Type.Optional(Type.String()) })),
  edges: Type.Array(Type.Object({ source: Type.String(), target: Type.String() })),
  truncated: Type.Boolean(),
});
