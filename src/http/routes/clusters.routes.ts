import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AuthService } from '../../modules/auth/auth.service.js';
import type { ClusterService } from '../../modules/clusters/clusters.service.js';
import { STATUSES, type TriageService } from '../../modules/clusters/triage.service.js';
import { AppError } from '../../errors.js';
import { actorOf, requireScope } from '../auth.js';
import { ClusterDetailSchema, ClusterGraphSchema, ClusterSummarySchema, presentClusterDetail, presentClusterSummary } from '../presenters/clusters.presenter.js';
import { presentQueuePage, QueuePage } from '../presenters/triage.presenter.js';
import { refusals } from '../route-contract.js';
import { Kind } from '../schemas.js';
import { bulkRoute, type CloseBody, type ReferBody } from './bulk-actions.js';
import { ClusterId, Count, Value, Why } from './officer.schemas.js';

/**
 * Clusters: the largest first, one cluster's summary, reports and graph, the bulk actions on all its
 * reports, and "do not correlate" on a value. Analysts read; officers act.
 */
export function clusterRoutes(auth: AuthService, clusters: ClusterService, triage: TriageService): FastifyPluginAsyncTypebox {
  const read = requireScope(auth, 'cases:read');
  const act = requireScope(auth, 'cases:act');
  return async (app) => {
    app.get(
      '/clusters',
      {
        onRequest: read,
        schema: {
          tags: ['officer'],
          summary: 'Clusters of correlated reports, largest first',
          querystring: Type.Object({ minReports: Type.Optional(Count(1_000_000)), limit: Type.Optional(Count(100)), offset: Type.Optional(Count(1_000_000)) }, { additionalProperties: false }),
          response: { 200: Type.Object({ clusters: Type.Array(ClusterSummarySchema) }) },
        },
      },
      async (request) => {
        const q = request.query;
        const list = await clusters.list(Math.max(1, Number(q.minReports ?? 2)), Math.min(100, Number(q.limit ?? 20)) || 20, Number(q.offset ?? 0));
        return { clusters: list.map(presentClusterSummary) };
      },
    );

    app.get(
      '/clusters/:id',
      {
        onRequest: read,
        schema: {
          tags: ['officer'],
          summary: 'A cluster: summary, the keys holding it together, related clusters (suggestions, never merged)',
          params: ClusterId,
          response: { 200: ClusterDetailSchema, ...refusals(404) },
        },
      },
      async (request) => presentClusterDetail(await clusters.show(Number(request.params.id))),
    );

    app.get(
      '/clusters/:id/reports',
      {
        onRequest: read,
        schema: {
          tags: ['officer'],
          summary: "A cluster's reports, newest first",
          params: ClusterId,
          querystring: Type.Object({ limit: Type.Optional(Count(200)), offset: Type.Optional(Count(1_000_000)) }, { additionalProperties: false }),
          response: { 200: QueuePage, ...refusals(404) },
        },
      },
      async (request) => {
        const page = await triage.queue({
          statuses: STATUSES,
          cluster: Number(request.params.id),
          sort: 'newest',
          limit: Math.min(200, Number(request.query.limit ?? 50)) || 50,
          offset: Number(request.query.offset ?? 0),
        });
        if (page.total === 0) throw new AppError('NOT_FOUND', `There is no cluster ${request.params.id}.`);
        return presentQueuePage(page);
      },
    );

    app.get(
      '/clusters/:id/graph',
      {
        onRequest: read,
        schema: {
          tags: ['officer'],
          summary: 'Reports and the keys linking them, for drawing (the 200 most recent reports)',
          params: ClusterId,
          response: { 200: ClusterGraphSchema, ...refusals(404) },
        },
      },
      async (request) => clusters.graph(Number(request.params.id)),
    );

    const clusterOf = (request: { params: unknown }): number => Number((request.params as { id: string }).id);
    app.post('/clusters/:id/triage', bulkRoute(act, 'triage', 'Triage every new report of a cluster', 'cluster'), async (request) => triage.triageCluster(actorOf(request), clusterOf(request)));
    app.post('/clusters/:id/refer', bulkRoute(act, 'refer', 'Refer every open report of a cluster', 'cluster'), async (request) => {
      const body = request.body as ReferBody;
      return triage.referCluster(actorOf(request), clusterOf(request), body.target, body.reason);
    });
    app.post('/clusters/:id/close', bulkRoute(act, 'close', 'Close every open report of a cluster', 'cluster'), async (request) => {
      const body = request.body as CloseBody;
      return triage.closeCluster(actorOf(request), clusterOf(request), body.outcome, body.reason);
    });

    app.post(
      '/indicators/correlation',
      {
        onRequest: act,
        schema: {
          tags: ['officer'],
          summary: 'Mark a value "do not correlate" (its cluster splits) or lift the mark (the reports sharing it merge)',
          body: Type.Object({ value: Value, kind: Type.Optional(Kind), correlate: Type.Boolean(), reason: Why }, { additionalProperties: false }),
          response: { 200: Type.Object({ key: Type.String(), state: Type.String() }), ...refusals(404) },
        },
      },
      async (request) => {
        const { value, kind, correlate, reason } = request.body;
        return clusters.setCorrelation(actorOf(request), { value, kind }, correlate, reason);
      },
    );
  };
}
