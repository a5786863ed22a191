import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Kysely } from 'kysely';
import type { AuthService } from '../../modules/auth/auth.service.js';
import type { ClusterService } from '../../modules/clusters/clusters.service.js';
import { hubStats } from '../../modules/clusters/stats.repository.js';
import { OUTCOMES, REFERRAL_KINDS, STATUSES, type QueueItem, type TriageService } from '../../modules/clusters/triage.service.js';
import { SCAM_TYPE_CODES, type ScamType } from '../../modules/reports/taxonomy.js';
import type { Database } from '../../storage/schema.js';
import { AppError } from '../../errors.js';
import { actorOf, requireRole } from '../auth.js';
import { Kind, Label, Nullable, ReportReference, errorResponses } from '../schemas.js';

export interface HubDeps {
  auth: AuthService;
  clusters: ClusterService;
  triage: TriageService;
  db: Kysely<Database>;
}

const ClusterId = Type.Object({ id: Type.String({ pattern: '^[1-9][0-9]{0,15}$' }) });
const Why = Type.String({ minLength: 3, maxLength: 2000, description: 'Why: goes into the audit log.' });
const Count = (max: number) => Type.String({ pattern: `^[0-9]{1,${String(max).length}}$` });
const Target = Type.Object({ kind: Type.Enum(REFERRAL_KINDS), name: Type.String({ minLength: 2, maxLength: 120 }) }, { additionalProperties: false });
const PriorityReason = Type.Object({ code: Type.String(), points: Type.Integer(), text: Label });
const StatusAnswer = Type.Object({ status: Type.Enum(STATUSES) });
const BulkAnswer = Type.Object({ reports: Type.Integer() });

const QueueItemSchema = Type.Object({
  reference: Type.String(),
  receivedAt: Type.String(),
  channel: Type.String(),
  scamType: Type.String(),
  status: Type.String(),
  loss: Nullable(Type.Object({ amount: Type.String(), currency: Type.String() })),
  vulnerable: Type.Boolean(),
  assignee: Nullable(Type.String()),
  duplicate: Type.Boolean(),
  cluster: Type.Integer(),
  clusterReports: Type.Integer(),
  priority: Type.Integer(),
  reasons: Type.Array(PriorityReason),
});

const ClusterSummarySchema = Type.Object({
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

const presentItem = (i: QueueItem) => ({
  reference: i.reference,
  receivedAt: i.receivedAt.toISOString(),
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
});

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/**
 * The hub: the triage queue, a report's working view and actions, clusters (summary, members, graph,
 * suggestions) with bulk actions, "do not correlate", and stats. Analysts read; officers act.
 */
export function hubRoutes(deps: HubDeps): FastifyPluginAsyncTypebox {
  const analyst = requireRole(deps.auth, 'analyst');
  const officer = requireRole(deps.auth, 'officer');
  return async (app) => {
    app.decorateRequest('user', null);

    app.get(
      '/queue',
      {
        onRequest: analyst,
        schema: {
          tags: ['officer'],
          summary: 'The triage queue: open reports, highest priority first, each with why',
          querystring: Type.Object(
            {
              status: Type.Optional(Type.String({ pattern: '^(new|triaged|referred|closed)(,(new|triaged|referred|closed))*$', description: 'Comma-separated; default new,triaged' })),
              scamType: Type.Optional(Type.Enum(SCAM_TYPE_CODES)),
              assigned: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{1,62}$', description: '`me`, `none` or a user name' })),
              cluster: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,15}$' })),
              sort: Type.Optional(Type.Enum(['priority', 'newest', 'loss'])),
              limit: Type.Optional(Count(200)),
              offset: Type.Optional(Count(1_000_000)),
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(QueueItemSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const q = request.query;
        let assignedTo: number | null | undefined;
        if (q.assigned === 'none') assignedTo = null;
        else if (q.assigned === 'me') assignedTo = request.user?.id;
        else if (q.assigned !== undefined) {
          const user = await deps.db.selectFrom('users').select('id').where('username', '=', q.assigned).executeTakeFirst();
          if (user === undefined) throw new AppError('UNKNOWN_USER', `No user is called “${q.assigned}”.`);
          assignedTo = user.id;
        }
        const limit = Math.min(200, Number(q.limit ?? 50));
        const result = await deps.triage.queue({
          statuses: (q.status ?? 'new,triaged').split(','),
          scamType: q.scamType,
          assignedTo,
          cluster: q.cluster === undefined ? undefined : Number(q.cluster),
          sort: q.sort ?? 'priority',
          limit: limit === 0 ? 50 : limit,
          offset: Number(q.offset ?? 0),
        });
        return { total: result.total, items: result.items.map(presentItem) };
      },
    );

    app.get(
      '/reports/:reference/work',
      {
        onRequest: analyst,
        schema: {
          tags: ['officer'],
          summary: "A report as officers work on it: cluster, priority and why, suggested type, notes, referrals (audited read; no contact details)",
          params: Type.Object({ reference: ReportReference }),
          response: {
            200: Type.Object({
              reference: Type.String(),
              status: Type.String(),
              outcome: Nullable(Type.String()),
              receivedAt: Type.String(),
              channel: Type.String(),
              scamType: Type.String(),
              narrative: Type.String(),
              loss: Nullable(Type.Object({ amount: Type.String(), currency: Type.String() })),
              duplicateOf: Nullable(Type.String()),
              hasContact: Type.Boolean(),
              indicators: Type.Array(Type.Object({ key: Type.String(), kind: Type.String(), canonical: Type.String(), role: Nullable(Type.String()), extracted: Type.Boolean() })),
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
              referrals: Type.Array(Type.Object({ targetKind: Type.String(), target: Type.String(), reason: Type.String(), referredBy: Type.String(), referredAt: Type.String(), cluster: Nullable(Type.Integer()) })),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const w = await deps.triage.work(actorOf(request), request.params.reference);
        return {
          reference: w.reference,
          status: w.status,
          outcome: w.outcome,
          receivedAt: w.receivedAt.toISOString(),
          channel: w.channel,
          scamType: w.scamType,
          narrative: w.narrative,
          loss: w.loss,
          duplicateOf: w.duplicateOf,
          hasContact: w.hasContact,
          indicators: w.indicators,
          cluster: w.cluster,
          priority: w.priority,
          reasons: w.reasons,
          assignee: w.assignee,
          vulnerable: w.vulnerable,
          suggestedType: w.suggestedType,
          labelledType: w.labelledType,
          notes: w.notes.map((n) => ({ ...n, createdAt: n.createdAt.toISOString() })),
          referrals: w.referrals.map((r) => ({ ...r, referredAt: r.referredAt.toISOString() })),
        };
      },
    );

    const reportAction = { onRequest: officer, params: Type.Object({ reference: ReportReference }) };
    app.post(
      '/reports/:reference/triage',
      {
        onRequest: officer,
        schema: {
          tags: ['officer'],
          summary: 'Triage a report: reviewed, who works on it, whether the victim is vulnerable',
          params: reportAction.params,
          body: Type.Object({ assignee: Type.Optional(Nullable(Type.String({ minLength: 2, maxLength: 63 }))), vulnerable: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          response: { 200: StatusAnswer, ...errorResponses },
        },
      },
      async (request) => ({ status: await deps.triage.triage(actorOf(request), request.params.reference, request.body) }),
    );

    app.post(
      '/reports/:reference/notes',
      {
        onRequest: officer,
        schema: {
          tags: ['officer'],
          summary: 'Add an internal note (never shown to the reporter)',
          params: reportAction.params,
          body: Type.Object({ body: Type.String({ minLength: 1, maxLength: 10_000 }) }, { additionalProperties: false }),
          response: { 200: StatusAnswer, ...errorResponses },
        },
      },
      async (request) => ({ status: await deps.triage.note(actorOf(request), request.params.reference, request.body.body) }),
    );

    app.post(
      '/reports/:reference/refer',
      {
        onRequest: officer,
        schema: {
          tags: ['officer'],
          summary: 'Refer a report to a unit or partner organisation',
          params: reportAction.params,
          body: Type.Object({ target: Target, reason: Why }, { additionalProperties: false }),
          response: { 200: StatusAnswer, ...errorResponses },
        },
      },
      async (request) => ({ status: await deps.triage.refer(actorOf(request), request.params.reference, request.body.target, request.body.reason) }),
    );

    app.post(
      '/reports/:reference/close',
      {
        onRequest: officer,
        schema: {
          tags: ['officer'],
          summary: 'Close a report with its outcome',
          params: reportAction.params,
          body: Type.Object({ outcome: Type.Enum(OUTCOMES), reason: Why }, { additionalProperties: false }),
          response: { 200: StatusAnswer, ...errorResponses },
        },
      },
      async (request) => ({ status: await deps.triage.close(actorOf(request), request.params.reference, request.body.outcome, request.body.reason) }),
    );

    app.post(
      '/reports/:reference/label',
      {
        onRequest: officer,
        schema: {
          tags: ['officer'],
          summary: "Set a report's scam type (kept as labelled data beside the suggestion)",
          params: reportAction.params,
          body: Type.Object({ scamType: Type.Enum(SCAM_TYPE_CODES) }, { additionalProperties: false }),
          response: { 200: Type.Object({ scamType: Type.String(), suggested: Type.String() }), ...errorResponses },
        },
      },
      async (request) => deps.triage.label(actorOf(request), request.params.reference, request.body.scamType as ScamType),
    );

    app.get(
      '/clusters',
      {
        onRequest: analyst,
        schema: {
          tags: ['officer'],
          summary: 'Clusters of correlated reports, largest first',
          querystring: Type.Object({ minReports: Type.Optional(Count(1_000_000)), limit: Type.Optional(Count(100)), offset: Type.Optional(Count(1_000_000)) }, { additionalProperties: false }),
          response: { 200: Type.Object({ clusters: Type.Array(ClusterSummarySchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const q = request.query;
        const clusters = await deps.clusters.list(Math.max(1, Number(q.minReports ?? 2)), Math.min(100, Number(q.limit ?? 20)) || 20, Number(q.offset ?? 0));
        return { clusters: clusters.map((c) => ({ ...c, firstSeen: iso(c.firstSeen), lastSeen: iso(c.lastSeen) })) };
      },
    );

    app.get(
      '/clusters/:id',
      {
        onRequest: analyst,
        schema: {
          tags: ['officer'],
          summary: 'A cluster: summary, the keys holding it together, related clusters (suggestions, never merged)',
          params: ClusterId,
          response: {
            200: Type.Object({ ...ClusterSummarySchema.properties, suggestions: Type.Array(Type.Object({ cluster: Type.Integer(), relation: Type.String(), key: Type.String(), via: Type.String() })) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const c = await deps.clusters.show(Number(request.params.id));
        return { ...c, firstSeen: iso(c.firstSeen), lastSeen: iso(c.lastSeen) };
      },
    );

    app.get(
      '/clusters/:id/reports',
      {
        onRequest: analyst,
        schema: {
          tags: ['officer'],
          summary: "A cluster's reports, newest first",
          params: ClusterId,
          querystring: Type.Object({ limit: Type.Optional(Count(200)), offset: Type.Optional(Count(1_000_000)) }, { additionalProperties: false }),
          response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(QueueItemSchema) }), ...errorResponses },
        },
      },
      async (request) => {
        const result = await deps.triage.queue({
          statuses: STATUSES,
          cluster: Number(request.params.id),
          sort: 'newest',
          limit: Math.min(200, Number(request.query.limit ?? 50)) || 50,
          offset: Number(request.query.offset ?? 0),
        });
        if (result.total === 0) throw new AppError('NOT_FOUND', `There is no cluster ${request.params.id}.`);
        return { total: result.total, items: result.items.map(presentItem) };
      },
    );

    app.get(
      '/clusters/:id/graph',
      {
        onRequest: analyst,
        schema: {
          tags: ['officer'],
          summary: 'Reports and the keys linking them, for drawing (the 200 most recent reports)',
          params: ClusterId,
          response: {
            200: Type.Object({
              nodes: Type.Array(Type.Object({ id: Type.String(), type: Type.String(), label: Type.String(), kind: Type.Optional(Type.String()) })),
              edges: Type.Array(Type.Object({ source: Type.String(), target: Type.String() })),
              truncated: Type.Boolean(),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => deps.clusters.graph(Number(request.params.id)),
    );

    // Bulk actions, on a whole cluster or on the reports an officer ticked: the same fields for each action.
    type BulkAction = 'triage' | 'refer' | 'close';
    const actionFields = { triage: {}, refer: { target: Target, reason: Why }, close: { outcome: Type.Enum(OUTCOMES), reason: Why } };
    const bulk = (action: BulkAction, summary: string, scope: 'cluster' | 'ticked') => ({
      onRequest: officer,
      schema: {
        tags: ['officer'],
        summary,
        ...(scope === 'cluster'
          ? { params: ClusterId, body: Type.Object(actionFields[action], { additionalProperties: false }) }
          : { body: Type.Object({ references: Type.Array(ReportReference, { minItems: 1, maxItems: 200 }), ...actionFields[action] }, { additionalProperties: false }) }),
        response: { 200: BulkAnswer, ...errorResponses },
      },
    });
    type Refer = { target: { kind: 'unit' | 'partner'; name: string }; reason: string };
    type Close = { outcome: (typeof OUTCOMES)[number]; reason: string };
    const clusterOf = (request: { params: unknown }): number => Number((request.params as { id: string }).id);

    app.post('/clusters/:id/triage', bulk('triage', 'Triage every new report of a cluster', 'cluster'), async (request) => deps.triage.triageCluster(actorOf(request), clusterOf(request)));
    app.post('/clusters/:id/refer', bulk('refer', 'Refer every open report of a cluster', 'cluster'), async (request) => {
      const body = request.body as Refer;
      return deps.triage.referCluster(actorOf(request), clusterOf(request), body.target, body.reason);
    });
    app.post('/clusters/:id/close', bulk('close', 'Close every open report of a cluster', 'cluster'), async (request) => {
      const body = request.body as Close;
      return deps.triage.closeCluster(actorOf(request), clusterOf(request), body.outcome, body.reason);
    });
    app.post('/reports/bulk/triage', bulk('triage', 'Triage the given new reports', 'ticked'), async (request) => deps.triage.triageMany(actorOf(request), (request.body as { references: string[] }).references));
    app.post('/reports/bulk/refer', bulk('refer', 'Refer the given open reports', 'ticked'), async (request) => {
      const body = request.body as Refer & { references: string[] };
      return deps.triage.referMany(actorOf(request), body.references, body.target, body.reason);
    });
    app.post('/reports/bulk/close', bulk('close', 'Close the given open reports', 'ticked'), async (request) => {
      const body = request.body as Close & { references: string[] };
      return deps.triage.closeMany(actorOf(request), body.references, body.outcome, body.reason);
    });

    app.post(
      '/indicators/correlation',
      {
        onRequest: officer,
        schema: {
          tags: ['officer'],
          summary: 'Mark a value "do not correlate" (its cluster splits) or lift the mark (the reports sharing it merge)',
          body: Type.Object({ value: Type.String({ minLength: 1, maxLength: 4096 }), kind: Type.Optional(Kind), correlate: Type.Boolean(), reason: Why }, { additionalProperties: false }),
          response: { 200: Type.Object({ key: Type.String(), state: Type.String() }), ...errorResponses },
        },
      },
      async (request) => {
        const { value, kind, correlate, reason } = request.body;
        return deps.clusters.setCorrelation(actorOf(request), { value, kind }, correlate, reason);
      },
    );

    app.get(
      '/stats',
      {
        onRequest: analyst,
        schema: {
          tags: ['officer'],
          summary: 'Reports per day by type, losses, checks per day, top clusters and their growth, suggestion accuracy',
          querystring: Type.Object({ days: Type.Optional(Type.String({ pattern: '^([1-9]|[1-9][0-9]|[1-2][0-9][0-9]|3[0-5][0-9]|36[0-5])$' })) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              days: Type.Integer(),
              reportsPerDay: Type.Array(Type.Object({ day: Type.String(), scamType: Type.String(), reports: Type.Integer() })),
              lossesPerDay: Type.Array(Type.Object({ day: Type.String(), currency: Type.String(), amount: Type.String() })),
              checksPerDay: Type.Array(Type.Object({ day: Type.String(), checks: Type.Integer() })),
              topClusters: Type.Array(Type.Object({ id: Type.Integer(), reportCount: Type.Integer(), lastWeek: Type.Integer(), weekBefore: Type.Integer() })),
              suggestions: Type.Object({ labelled: Type.Integer(), agreeing: Type.Integer(), accuracy: Nullable(Type.Number()), agreeingWhenLabelled: Type.Integer() }),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => hubStats(deps.db, Number(request.query.days ?? 30), new Date()),
    );
  };
}
