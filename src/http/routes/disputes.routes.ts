import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AppError } from '../../errors.js';
import type { AuthService } from '../../modules/auth/auth.service.js';
import type { DisputeService } from '../../modules/disputes/disputes.service.js';
import { CLAIMANT_ROLES, DISPUTE_DECISIONS, DISPUTE_REQUESTS, DISPUTE_STATUSES } from '../../modules/disputes/disputes.types.js';
import { actorOf, requireScope } from '../auth.js';
import { DisputeDetailSchema, DisputeSummarySchema, presentDisputeDetail, presentDisputeSummary } from '../presenters/disputes.presenter.js';
import { perMinute } from '../rate-limit.js';
import { refusals } from '../route-contract.js';
import { Kind, Label, Nullable } from '../schemas.js';
import { Patterned } from '../validation-messages.js';
import { Count, Why } from './officer.schemas.js';

/**
 * At most this many disputes a minute from one address, whatever the report limit: a dispute is written by
 * hand, rarely, and each one costs an officer's time. 0 (tests, the report limit off) leaves it unlimited.
 */
export const DISPUTES_PER_MINUTE = 3;

// Loose on purpose: any reference of this shape is looked up, so a report's SG- reference is simply not found.
const DisputeReference = Type.Object({ reference: Patterned('^[A-Z]{2}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$', 'a dispute reference such as DP-7K2M-Q9XD-4HPA') });
const EvidenceLink = Patterned('^https?://\\S{1,500}$', 'an http:// or https:// link of up to 500 characters, with no spaces');
const Month = Patterned('^20[0-9]{2}-(0[1-9]|1[0-2])$', 'a month such as 2025-05');

/** A dispute or verification request from the public. */
export const DisputeBody = Type.Object(
  {
    request: Type.Enum(DISPUTE_REQUESTS, { description: '`dispute`: the value is yours and wrongly flagged; `verify`: a business asks to be protected.' }),
    value: Type.String({ minLength: 1, maxLength: 2048, description: 'The number, link, account or sender ID, as the check page shows it.' }),
    kind: Type.Optional(Kind),
    role: Type.Enum(CLAIMANT_ROLES, { description: 'The value’s owner, or someone acting for the owner.' }),
    organisation: Type.Optional(Type.String({ maxLength: 200, description: 'The business you speak for; needed to be verified.' })),
    explanation: Type.String({ minLength: 1, maxLength: 5000, description: 'Why it is yours and not a scam.' }),
    evidence: Type.Optional(Type.String({ maxLength: 5000, description: 'What shows it (a business registration number, a bill); no files.' })),
    links: Type.Optional(Type.Array(EvidenceLink, { maxItems: 5, description: 'Up to 5 links to public evidence.' })),
    contact: Type.Object(
      {
        name: Type.String({ minLength: 1, maxLength: 200 }),
        email: Type.Optional(Type.String({ maxLength: 320 })),
        phone: Type.Optional(Type.String({ maxLength: 40 })),
      },
      { additionalProperties: false, description: 'Where the answer goes (an e-mail address or phone number at least). Stored encrypted; officers read it only with a stated, audited reason.' },
    ),
  },
  { additionalProperties: false },
);

const DisputeStatusSchema = Type.Object({
  reference: Type.String(),
  request: Type.Enum(DISPUTE_REQUESTS),
  kind: Kind,
  canonical: Type.String(),
  status: Type.Enum(DISPUTE_STATUSES),
  statusText: Label,
  reason: Nullable(Type.String({ description: 'The officer’s reason, once decided.' })),
  receivedAt: Type.String(),
  decidedAt: Nullable(Type.String()),
});

/** Public: make a dispute (rate-limited per address, capped per value) and read its outcome with the private token. */
export function disputeRoutes(disputes: DisputeService, reportRateLimit: number): FastifyPluginAsyncTypebox {
  const limit = Math.min(reportRateLimit, DISPUTES_PER_MINUTE);
  return async (app) => {
    app.post(
      '/disputes',
      {
        config: perMinute(limit),
        schema: {
          tags: ['public'],
          summary: 'Dispute a flagged value, or ask for a business’s value to be verified',
          description: 'The answer holds only the dispute itself: nothing about who reported the value, or how many.',
          body: DisputeBody,
          response: {
            201: Type.Object({
              reference: Type.String(),
              statusToken: Type.String({ description: 'Private: with the reference it opens the status page. Shown once.' }),
              statusUrl: Type.String({ description: 'The private status page (/dispute/REFERENCE#TOKEN): the token is in the fragment, which browsers never send.' }),
              request: Type.Enum(DISPUTE_REQUESTS),
              kind: Kind,
              canonical: Type.String(),
              status: Type.Literal('open'),
            }),
            ...refusals(409, 429),
          },
        },
      },
      async (request, reply) => {
        const submitted = await disputes.submit(request.body);
        return reply.status(201).send({ ...submitted, statusUrl: `/dispute/${submitted.reference}#${submitted.statusToken}` });
      },
    );

    app.get(
      '/disputes/status/:reference',
      {
        config: perMinute(limit > 0 ? 30 : 0),
        schema: {
          tags: ['public'],
          summary: "A dispute's outcome, for the person who made it (token in x-status-token)",
          params: DisputeReference,
          headers: Type.Object({ 'x-status-token': Type.Optional(Type.String({ maxLength: 100 })) }),
          response: { 200: DisputeStatusSchema, ...refusals(404) },
        },
      },
      async (request) => {
        const token = request.headers['x-status-token'];
        if (token === undefined) throw new AppError('NOT_FOUND', 'No dispute with this reference and status token.');
        return disputes.status(request.params.reference, token);
      },
    );
  };
}

/** The console's dispute queue: analysts read, officers decide (audited, with a reason) and reveal contacts. */
export function disputeOfficerRoutes(auth: AuthService, disputes: DisputeService): FastifyPluginAsyncTypebox {
  const read = requireScope(auth, 'cases:read');
  const act = requireScope(auth, 'cases:act');
  const reveal = requireScope(auth, 'contacts:reveal');
  return async (app) => {
    app.get(
      '/disputes',
      {
        onRequest: read,
        schema: {
          tags: ['officer'],
          summary: 'Disputes and verification requests: open first (longest waiting first), then decided ones',
          querystring: Type.Object(
            { status: Type.Optional(Type.Enum(['open', 'decided', 'all'])), limit: Type.Optional(Count(100)), offset: Type.Optional(Count(1_000_000)) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ disputes: Type.Array(DisputeSummarySchema), total: Type.Integer() }) },
        },
      },
      async (request) => {
        const q = request.query;
        const page = await disputes.queue(q.status ?? 'all', Math.min(100, Number(q.limit ?? 50)) || 50, Number(q.offset ?? 0));
        return { disputes: page.disputes.map(presentDisputeSummary), total: page.total };
      },
    );

    app.get(
      '/disputes/counts',
      {
        onRequest: read,
        schema: {
          tags: ['officer'],
          summary: 'Disputes received per month (UTC), by request, kind and status: what the transparency report counts',
          querystring: Type.Object({ since: Type.Optional(Month) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              counts: Type.Array(Type.Object({ month: Type.String(), request: Type.Enum(DISPUTE_REQUESTS), kind: Kind, status: Type.Enum(DISPUTE_STATUSES), count: Type.Integer() })),
            }),
          },
        },
      },
      async (request) => ({ counts: await disputes.counts(request.query.since === undefined ? undefined : new Date(`${request.query.since}-01T00:00:00Z`)) }),
    );

    app.get(
      '/disputes/:reference',
      {
        onRequest: read,
        schema: { tags: ['officer'], summary: 'A dispute (without its contact); audited', params: DisputeReference, response: { 200: DisputeDetailSchema, ...refusals(404) } },
      },
      async (request) => presentDisputeDetail(await disputes.detail(actorOf(request), request.params.reference)),
    );

    app.post(
      '/disputes/:reference/contact',
      {
        onRequest: reveal,
        schema: {
          tags: ['officer'],
          summary: "Reveal the disputer's name and contact, stating why; audited",
          params: DisputeReference,
          body: Type.Object({ reason: Why }, { additionalProperties: false }),
          response: {
            200: Type.Object({ contact: Type.Object({ name: Type.String(), email: Type.Optional(Type.String()), phone: Type.Optional(Type.String()) }) }),
            ...refusals(404),
          },
        },
      },
      async (request) => ({ contact: await disputes.readContact(actorOf(request), request.params.reference, request.body.reason) }),
    );

    app.post(
      '/disputes/:reference/decide',
      {
        onRequest: act,
        schema: {
          tags: ['officer'],
          summary: 'Decide a dispute: uphold or clear it (the verdict follows), verify or reject a verification request; audited',
          description: 'The reason is shown to the person who asked, on their status page: say why, and never who reported the value.',
          params: DisputeReference,
          body: Type.Object(
            {
              decision: Type.Enum(DISPUTE_DECISIONS),
              reason: Why,
              name: Type.Optional(Type.String({ minLength: 2, maxLength: 200, description: 'For verify: the name to protect it under (the organisation given, by default).' })),
            },
            { additionalProperties: false },
          ),
          response: { 200: DisputeDetailSchema, ...refusals(404, 409) },
        },
      },
      async (request) => presentDisputeDetail(await disputes.decide(actorOf(request), request.params.reference, request.body.decision, request.body.reason, request.body.name)),
    );
  };
}
