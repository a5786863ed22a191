import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AuthService } from '../../modules/auth/auth.service.js';
import { OUTCOMES, type TriageService } from '../../modules/clusters/triage.service.js';
import { SCAM_TYPE_CODES, type ScamType } from '../../modules/reports/taxonomy.js';
import { actorOf, requireScope } from '../auth.js';
import { presentQueuePage, presentWork, QueuePage, ReportWorkSchema } from '../presenters/triage.presenter.js';
import { refusals } from '../route-contract.js';
import { Nullable, ReportReference } from '../schemas.js';
import { bulkRoute, type CloseBody, type ReferBody } from './bulk-actions.js';
import { AssignedFilter, ClusterFilter, Count, StatusAnswer, StatusList, Target, Why } from './officer.schemas.js';

const Reference = Type.Object({ reference: ReportReference });

/**
 * Triage: the queue, a report's working view, the actions on one report (triage, note, refer, close,
 * label) and on reports an officer ticked. Analysts read; officers act.
 */
export function triageRoutes(auth: AuthService, triage: TriageService): FastifyPluginAsyncTypebox {
  const read = requireScope(auth, 'cases:read');
  const act = requireScope(auth, 'cases:act');
  return async (app) => {
    app.get(
      '/queue',
      {
        onRequest: read,
        schema: {
          tags: ['officer'],
          summary: 'The triage queue: open reports, highest priority first, each with why',
          querystring: Type.Object(
            {
              status: Type.Optional(StatusList),
              scamType: Type.Optional(Type.Enum(SCAM_TYPE_CODES)),
              assigned: Type.Optional(AssignedFilter),
              cluster: Type.Optional(ClusterFilter),
              sort: Type.Optional(Type.Enum(['priority', 'newest', 'loss'])),
              limit: Type.Optional(Count(200)),
              offset: Type.Optional(Count(1_000_000)),
            },
            { additionalProperties: false },
          ),
          response: { 200: QueuePage },
        },
      },
      async (request) => {
        const q = request.query;
        const assignedTo = q.assigned === undefined ? undefined : q.assigned === 'none' ? null : q.assigned === 'me' ? request.user?.id : await triage.assigneeId(q.assigned);
        const limit = Math.min(200, Number(q.limit ?? 50));
        const page = await triage.queue({
          statuses: (q.status ?? 'new,triaged').split(','),
          scamType: q.scamType,
          assignedTo,
          cluster: q.cluster === undefined ? undefined : Number(q.cluster),
          sort: q.sort ?? 'priority',
          limit: limit === 0 ? 50 : limit,
          offset: Number(q.offset ?? 0),
        });
        return presentQueuePage(page);
      },
    );

    app.get(
      '/reports/:reference/work',
      {
        onRequest: read,
        schema: {
          tags: ['officer'],
          summary: 'A report as officers work on it: cluster, priority and why, suggested type, notes, referrals (audited read; no contact details)',
          params: Reference,
          response: { 200: ReportWorkSchema, ...refusals(404) },
        },
      },
      async (request) => presentWork(await triage.work(actorOf(request), request.params.reference)),
    );

    app.post(
      '/reports/:reference/triage',
      {
        onRequest: act,
        schema: {
          tags: ['officer'],
          summary: 'Triage a report: reviewed, who works on it, whether the victim is vulnerable',
          params: Reference,
          body: Type.Object({ assignee: Type.Optional(Nullable(Type.String({ minLength: 2, maxLength: 63 }))), vulnerable: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          response: { 200: StatusAnswer, ...refusals(404, 409) },
        },
      },
      async (request) => ({ status: await triage.triage(actorOf(request), request.params.reference, request.body) }),
    );

    app.post(
      '/reports/:reference/notes',
      {
        onRequest: act,
        schema: {
          tags: ['officer'],
          summary: 'Add an internal note (never shown to the reporter)',
          params: Reference,
          body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: false }),
          response: { 200: StatusAnswer, ...refusals(404) },
        },
      },
      async (request) => ({ status: await triage.note(actorOf(request), request.params.reference, request.body.body) }),
    );

    app.post(
      '/reports/:reference/refer',
      {
        onRequest: act,
        schema: {
          tags: ['officer'],
          summary: 'Refer a report to a unit or partner organisation',
          params: Reference,
          body: Type.Object({ target: Target, reason: Why }, { additionalProperties: false }),
          response: { 200: StatusAnswer, ...refusals(404, 409) },
        },
      },
      async (request) => ({ status: await triage.refer(actorOf(request), request.params.reference, request.body.target, request.body.reason) }),
    );

    app.post(
      '/reports/:reference/close',
      {
        onRequest: act,
        schema: {
          tags: ['officer'],
          summary: 'Close a report with its outcome',
          params: Reference,
          body: Type.Object({ outcome: Type.Enum(OUTCOMES), reason: Why }, { additionalProperties: false }),
          response: { 200: StatusAnswer, ...refusals(404, 409) },
        },
      },
      async (request) => ({ status: await triage.close(actorOf(request), request.params.reference, request.body.outcome, request.body.reason) }),
    );

    app.post(
      '/reports/:reference/reopen',
      {
        onRequest: act,
        schema: {
          tags: ['officer'],
          summary: 'Open a closed report again (triaged); what its outcome took from the evidence (not a scam, a duplicate) is given back',
          params: Reference,
          body: Type.Object({ reason: Why }, { additionalProperties: false }),
          response: { 200: StatusAnswer, ...refusals(404, 409) },
        },
      },
      async (request) => ({ status: await triage.reopen(actorOf(request), request.params.reference, request.body.reason) }),
    );

    app.post(
      '/reports/:reference/label',
      {
        onRequest: act,
        schema: {
          tags: ['officer'],
          summary: "Set a report's scam type (kept as labelled data beside the suggestion)",
          params: Reference,
          body: Type.Object({ scamType: Type.Enum(SCAM_TYPE_CODES) }, { additionalProperties: false }),
          response: { 200: Type.Object({ scamType: Type.String(), suggested: Type.String() }), ...refusals(404) },
        },
      },
      async (request) => triage.label(actorOf(request), request.params.reference, request.body.scamType as ScamType),
    );

    const references = (request: { body: unknown }): string[] => (request.body as { references: string[] }).references;
    app.post('/reports/bulk/triage', bulkRoute(act, 'triage', 'Triage the given new reports', 'ticked'), async (request) => triage.triageMany(actorOf(request), references(request)));
    app.post('/reports/bulk/refer', bulkRoute(act, 'refer', 'Refer the given open reports', 'ticked'), async (request) => {
      const body = request.body as ReferBody;
      return triage.referMany(actorOf(request), references(request), body.target, body.reason);
    });
    app.post('/reports/bulk/close', bulkRoute(act, 'close', 'Close the given open reports', 'ticked'), async (request) => {
      const body = request.body as CloseBody;
      return triage.closeMany(actorOf(request), references(request), body.outcome, body.reason);
    });
  };
}
