import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AuthService } from '../../modules/auth/auth.service.js';
import { ORGANISATION_TYPES, PARTNER_DEFAULTS, PARTNER_SCOPES } from '../../modules/partners/partner.types.js';
import type { PartnersService } from '../../modules/partners/partners.service.js';
import type { PayeeOutcomes } from '../../modules/partners/payee-outcomes.js';
import type { TelcoOutcomes } from '../../modules/partners/telco-outcomes.js';
import { actorOf, requireScope } from '../auth.js';
import { IssuedKeySchema, OrganisationListingSchema, OrganisationSchema, PartnerKeySchema, UsageRowSchema, presentIssuedKey, presentKey, presentListing, presentOrganisation } from '../presenters/partners.presenter.js';
import { refusals } from '../route-contract.js';
import { Count, Why } from './officer.schemas.js';

const Scopes = Type.Array(Type.Enum(PARTNER_SCOPES), { minItems: 1, maxItems: PARTNER_SCOPES.length, uniqueItems: true });
const ExpiresDays = Type.Integer({ minimum: 1, maximum: PARTNER_DEFAULTS.maxKeyDays, description: `Days until the key expires (default ${PARTNER_DEFAULTS.keyDays}).` });
const OrganisationId = Type.Object({ id: Count(999_999_999_999) });

/** The administrators' side of partners: organisations, their keys and their usage; every change audited with a reason. */
export function partnerAdminRoutes(auth: AuthService, partners: PartnersService, outcomes: PayeeOutcomes, telcoOutcomes: TelcoOutcomes): FastifyPluginAsyncTypebox {
  const manager = requireScope(auth, 'partners:manage');
  return async (app) => {
    app.get(
      '/payee-outcomes',
      {
        onRequest: requireScope(auth, 'cases:read'),
        schema: {
          tags: ['officer'],
          summary: 'What banks reported after payee checks: outcomes per day, amounts kept from scammers, and values they called false alarms',
          querystring: Type.Object({ days: Type.Optional(Count(366)) }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              days: Type.Integer(),
              outcomesPerDay: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), outcome: Type.String(), count: Type.Integer() })),
              kept: Type.Array(Type.Object({ currency: Type.String(), amount: Type.String(), payments: Type.Integer() })),
              falseAlarms: Type.Array(Type.Object({ kind: Type.String(), value: Type.String(), banks: Type.Integer(), reports: Type.Integer(), last: Type.String({ format: 'date-time' }) })),
            }),
          },
        },
      },
      async (request) => outcomes.summary(Math.min(366, Math.max(1, Number(request.query.days ?? 30)))),
    );

    app.get(
      '/telco-outcomes',
      {
        onRequest: requireScope(auth, 'cases:read'),
        schema: {
          tags: ['officer'],
          summary: 'What telcos and platforms reported doing about values, per day: numbers suspended, senders and links blocked, takedowns',
          querystring: Type.Object({ days: Type.Optional(Count(366)) }, { additionalProperties: false }),
          response: { 200: Type.Object({ days: Type.Integer(), outcomesPerDay: Type.Array(Type.Object({ day: Type.String({ format: 'date' }), outcome: Type.String(), count: Type.Integer() })) }) },
        },
      },
      async (request) => telcoOutcomes.summary(Math.min(366, Math.max(1, Number(request.query.days ?? 30)))),
    );

    app.get(
      '/partners',
      { onRequest: manager, schema: { tags: ['officer'], summary: 'Partner organisations and their keys (never the keys themselves)', response: { 200: Type.Object({ organisations: Type.Array(OrganisationListingSchema) }) } } },
      async () => ({ organisations: (await partners.list()).map(presentListing) }),
    );

    app.post(
      '/partners',
      {
        onRequest: manager,
        schema: {
          tags: ['officer'],
          summary: 'Add a partner organisation and its first key (the key is in this answer only); audited',
          body: Type.Object(
            {
              name: Type.String({ minLength: 2, maxLength: 80 }),
              type: Type.Enum(ORGANISATION_TYPES),
              scopes: Scopes,
              expiresDays: Type.Optional(ExpiresDays),
              requestsPerMinute: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
              dailyQuota: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_000_000_000 })),
              reason: Why,
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ organisation: OrganisationSchema, key: IssuedKeySchema }), ...refusals(409) },
        },
      },
      async (request) => {
        const { reason, ...organisation } = request.body;
        const added = await partners.addOrganisation(actorOf(request), organisation, reason);
        return { organisation: presentOrganisation(added.organisation), key: presentIssuedKey(added.key) };
      },
    );

    app.post(
      '/partners/:id/keys',
      {
        onRequest: manager,
        schema: {
          tags: ['officer'],
          summary: 'Make a key for an organisation, or rotate one: the key it replaces keeps working for the overlap; audited',
          params: OrganisationId,
          body: Type.Object(
            {
              scopes: Scopes,
              expiresDays: Type.Optional(ExpiresDays),
              replaces: Type.Optional(Type.Integer({ minimum: 1, description: 'The id of the key this one rotates.' })),
              overlapHours: Type.Optional(Type.Integer({ minimum: 0, maximum: PARTNER_DEFAULTS.maxOverlapHours, description: `How long the replaced key keeps working (default ${PARTNER_DEFAULTS.overlapHours}).` })),
              reason: Why,
            },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ key: IssuedKeySchema, replaced: Type.Union([PartnerKeySchema, Type.Null()]) }), ...refusals(404, 409) },
        },
      },
      async (request) => {
        const { scopes, expiresDays, replaces, overlapHours, reason } = request.body;
        const made = await partners.createKey(actorOf(request), Number(request.params.id), { scopes, expiresDays }, reason, replaces === undefined ? undefined : { replaces, overlapHours });
        return { key: presentIssuedKey(made.key), replaced: made.replaced === null ? null : presentKey(made.replaced) };
      },
    );

    app.post(
      '/partners/:id/keys/:keyId/revoke',
      {
        onRequest: manager,
        schema: {
          tags: ['officer'],
          summary: 'Revoke a key: refused on every node within a second; audited',
          params: Type.Object({ id: Count(999_999_999_999), keyId: Count(999_999_999_999) }),
          body: Type.Object({ reason: Why }, { additionalProperties: false }),
          response: { 200: Type.Object({ key: PartnerKeySchema }), ...refusals(404, 409) },
        },
      },
      async (request) => ({ key: presentKey(await partners.revokeKey(actorOf(request), Number(request.params.id), Number(request.params.keyId), request.body.reason)) }),
    );

    app.get(
      '/partners/:id/usage',
      {
        onRequest: manager,
        schema: {
          tags: ['officer'],
          summary: "An organisation's calls per UTC day and route (counts only, never what was checked)",
          params: OrganisationId,
          querystring: Type.Object({ days: Type.Optional(Count(366)) }, { additionalProperties: false }),
          response: { 200: Type.Object({ usage: Type.Array(UsageRowSchema) }), ...refusals(404) },
        },
      },
      async (request) => {
        const organisation = await partners.organisation({ id: Number(request.params.id) });
        const days = Math.min(366, Math.max(1, Number(request.query.days ?? 30)));
        return { usage: await partners.usage(organisation.id, days) };
      },
    );
  };
}
