import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AuthService } from '../../modules/auth/auth.service.js';
import { PLACEHOLDER_LEGEND, type CampaignService } from '../../modules/messages/campaigns.service.js';
import { actorOf, requireScope } from '../auth.js';
import { requirePartnerScope, type PartnerGate } from '../partner-auth.js';
import { refusals } from '../route-contract.js';
import { ClusterId, Count, Why } from './officer.schemas.js';

const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

const CampaignSummary = Type.Object({
  id: Type.Integer({ description: 'The id of the campaign’s first message.' }),
  template: Type.String({ description: 'The first message with its values masked (⟨link⟩, ⟨phone⟩, ⟨n⟩ …) and folded.' }),
  messages: Type.Integer(),
  forwards: Type.Integer({ description: 'People who forwarded one of its messages (each counts once per message).' }),
  senders: Type.Integer(),
  firstSeen: Type.String(),
  lastSeen: Type.String(),
  score: Type.Number({ description: 'The classifier’s mean score of its messages.' }),
  sharedAt: Type.Union([Type.String(), Type.Null()], { description: 'When its template was shared with telcos to block (null: not shared).' }),
});

const presentSummary = (c: { id: number; template: string; messages: number; forwards: number; senders: number; firstSeen: Date; lastSeen: Date; score: number; sharedAt: Date | null }) => ({
  ...c,
  firstSeen: c.firstSeen.toISOString(),
  lastSeen: c.lastSeen.toISOString(),
  sharedAt: iso(c.sharedAt),
});

/** Campaigns for officers (cases:read; sharing needs cases:act), and the shared templates for telcos (feeds:read). */
export function campaignRoutes(auth: AuthService, campaigns: CampaignService): FastifyPluginAsyncTypebox {
  const read = requireScope(auth, 'cases:read');
  const act = requireScope(auth, 'cases:act');
  return async (app) => {
    app.get(
      '/campaigns',
      {
        onRequest: read,
        schema: {
          tags: ['officer'],
          summary: 'Campaigns: forwarded messages of one template, the most recently active first',
          querystring: Type.Object({ minForwards: Type.Optional(Count(1_000_000)), limit: Type.Optional(Count(100)), offset: Type.Optional(Count(1_000_000)) }, { additionalProperties: false }),
          response: { 200: Type.Object({ campaigns: Type.Array(CampaignSummary) }) },
        },
      },
      async (request) => {
        const q = request.query;
        const list = await campaigns.list({ minForwards: Math.max(1, Number(q.minForwards ?? 2)), limit: Math.min(100, Number(q.limit ?? 50)) || 50, offset: Number(q.offset ?? 0) });
        return { campaigns: list.map(presentSummary) };
      },
    );

    app.get(
      '/campaigns/:id',
      {
        onRequest: read,
        schema: {
          tags: ['officer'],
          summary: 'A campaign: its messages, senders and links, and its forwards per hour over its last 72 hours',
          params: ClusterId,
          response: {
            200: Type.Object({
              ...CampaignSummary.properties,
              texts: Type.Array(Type.Object({ id: Type.Integer(), text: Type.String(), subject: Type.Union([Type.String(), Type.Null()]), channel: Type.String(), forwards: Type.Integer(), label: Type.String(), score: Type.Number(), lastSeen: Type.String() })),
              senderList: Type.Array(Type.Object({ sender: Type.String(), forwards: Type.Integer() })),
              links: Type.Array(Type.Object({ canonical: Type.String(), forwards: Type.Integer() })),
              perHour: Type.Array(Type.Object({ hour: Type.String({ description: 'YYYY-MM-DDTHH, UTC' }), forwards: Type.Integer() })),
            }),
            ...refusals(404),
          },
        },
      },
      async (request) => {
        const c = await campaigns.show(Number(request.params.id));
        return {
          ...presentSummary(c),
          texts: c.texts.map((m) => ({ ...m, lastSeen: m.lastSeen.toISOString() })),
          senderList: c.senderList,
          links: c.links,
          perHour: c.perHour,
        };
      },
    );

    for (const [action, summary] of [
      ['share', 'Share the campaign’s template with telcos to block (feeds:read, GET /api/v1/partner/feeds/sms-templates)'],
      ['withdraw', 'Withdraw a shared template'],
    ] as const) {
      app.post(
        `/campaigns/:id/${action}`,
        {
          onRequest: act,
          schema: {
            tags: ['officer'],
            summary,
            params: ClusterId,
            body: Type.Object({ reason: Why }, { additionalProperties: false }),
            response: { 200: Type.Object({ changed: Type.Boolean({ description: 'false: it was so already (nothing written).' }) }), ...refusals(404) },
          },
        },
        async (request) => {
          const id = Number(request.params.id);
          const actor = actorOf(request);
          if (action === 'share') return { changed: (await campaigns.share(actor, id, request.body.reason)).shared };
          return { changed: (await campaigns.withdraw(actor, id, request.body.reason)).withdrawn };
        },
      );
    }
  };
}

/** The SMS templates officers shared, for telcos' SMS gateways (feeds:read). */
export function smsTemplateFeedRoutes(gate: PartnerGate, campaigns: CampaignService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/partner/feeds/sms-templates',
      {
        onRequest: requirePartnerScope(gate, 'feeds:read'),
        schema: {
          tags: ['partner'],
          summary: 'SMS templates to block: campaigns officers shared, as masked templates; since=CURSOR gives what changed after a cursor',
          description:
            'Each template is a scam message with its values masked and folded (lower case, punctuation and emoji dropped). A gateway folds a message the same way and blocks on a match, any value standing where a placeholder is. ' +
            'From since=0: the templates in force. With a cursor: shares and withdrawals after it, in order; keep `cursor` for the next call.',
          querystring: Type.Object({ since: Type.Optional(Count(1_000_000_000_000)) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              cursor: Type.Integer(),
              placeholders: Type.Record(Type.String(), Type.String()),
              templates: Type.Array(Type.Object({ campaignId: Type.Integer(), template: Type.String(), sharedAt: Type.String(), withdrawn: Type.Boolean() })),
            }),
            ...refusals(401, 403),
          },
        },
      },
      async (request) => {
        const since = Number(request.query.since ?? 0);
        const rows = await campaigns.sharedTemplates(since);
        return {
          cursor: rows.reduce((max, r) => Math.max(max, r.seq), since),
          placeholders: PLACEHOLDER_LEGEND,
          templates: rows.map((r) => ({ campaignId: r.campaignId, template: r.template, sharedAt: r.sharedAt.toISOString(), withdrawn: r.withdrawnAt !== null })),
        };
      },
    );
  };
}
