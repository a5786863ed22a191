import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AuthService } from '../../modules/auth/auth.service.js';
import type { ReportService } from '../../modules/reports/reports.service.js';
import type { VerdictService } from '../../modules/verdicts/verdicts.service.js';
import { actorOf, requireScope } from '../auth.js';
import { presentReportDetail, ReportDetailSchema } from '../presenters/reports.presenter.js';
import { IndicatorProfileSchema, presentProfile, presentProtected, ProtectedEntitySchema } from '../presenters/verdicts.presenter.js';
import { refusals } from '../route-contract.js';
import { CheckResult, Kind, ReportReference } from '../schemas.js';
import { Value, Why } from './officer.schemas.js';

export interface OfficerDeps {
  auth: AuthService;
  verdicts: VerdictService;
  reports: ReportService;
}

const Scope = Type.Optional(Type.Enum(['url', 'host'], { description: 'For links: the link itself (default) or its whole site.' }));
const Entry = Type.Object({ entry: Type.String() });
const Contact = Type.Object({ name: Type.Optional(Type.String()), email: Type.Optional(Type.String()), phone: Type.Optional(Type.String()) });
const Lookup = Type.Object({ value: Value, kind: Type.Optional(Kind) }, { additionalProperties: false });

/**
 * Officer routes on values and reports, all behind a bearer token: analysts read, officers decide, protect
 * and reveal a reporter's contact. Every action and every read of a report or a contact writes an audit row
 * in the same transaction.
 */
export function officerRoutes(deps: OfficerDeps): FastifyPluginAsyncTypebox {
  const read = requireScope(deps.auth, 'cases:read');
  const act = requireScope(deps.auth, 'cases:act');
  const reveal = requireScope(deps.auth, 'contacts:reveal');
  return async (app) => {
    app.get(
      '/indicators',
      { onRequest: read, schema: { tags: ['officer'], summary: 'The verdict on a value, as the public sees it', querystring: Lookup, response: { 200: CheckResult } } },
      async (request) => deps.verdicts.check(request.query.value, request.query.kind),
    );

    app.post(
      '/indicators/decision',
      {
        onRequest: act,
        schema: {
          tags: ['officer'],
          summary: 'Confirm (high_risk), downgrade (suspicious) or clear an indicator',
          body: Type.Object({ value: Value, kind: Type.Optional(Kind), scope: Scope, level: Type.Enum(['high_risk', 'suspicious', 'cleared']), reason: Why }, { additionalProperties: false }),
          response: { 200: Entry },
        },
      },
      async (request) => {
        const { value, kind, scope, level, reason } = request.body;
        return deps.verdicts.decide(actorOf(request), { value, kind, scope }, level, reason);
      },
    );

    app.get(
      '/indicators/profile',
      {
        onRequest: read,
        schema: {
          tags: ['officer'],
          summary: "A value's page: the verdict with exact counts and times, the evidence behind it, the reports naming it, its correlation and its decision history",
          querystring: Lookup,
          response: { 200: Type.Object({ check: CheckResult, ...IndicatorProfileSchema.properties }) },
        },
      },
      async (request) => {
        const { check, profile } = await deps.verdicts.profile(request.query.value, request.query.kind);
        return { check, ...presentProfile(profile) };
      },
    );

    app.get(
      '/protected',
      { onRequest: read, schema: { tags: ['officer'], summary: 'Protected (verified) entities', response: { 200: Type.Object({ entities: Type.Array(ProtectedEntitySchema) }) } } },
      async () => ({ entities: (await deps.verdicts.listProtected()).map(presentProtected) }),
    );

    app.post(
      '/protected',
      {
        onRequest: act,
        schema: {
          tags: ['officer'],
          summary: "Protect a legitimate entity (a bank's site, hotline or SMS sender ID)",
          body: Type.Object({ value: Value, kind: Type.Optional(Kind), name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
          response: { 200: Entry },
        },
      },
      async (request) => deps.verdicts.protect(actorOf(request), { value: request.body.value, kind: request.body.kind }, request.body.name),
    );

    app.post(
      '/protected/withdraw',
      {
        onRequest: act,
        schema: {
          tags: ['officer'],
          summary: 'Record that a protected entity was compromised, or remove its protection',
          body: Type.Object({ value: Value, kind: Type.Optional(Kind), how: Type.Enum(['compromised', 'removed']), reason: Why }, { additionalProperties: false }),
          response: { 200: Entry, ...refusals(404) },
        },
      },
      async (request) => deps.verdicts.unprotect(actorOf(request), { value: request.body.value, kind: request.body.kind }, request.body.how, request.body.reason),
    );

    app.get(
      '/reports/:reference',
      {
        onRequest: read,
        schema: { tags: ['officer'], summary: 'A report (without contact details); audited', params: Type.Object({ reference: ReportReference }), response: { 200: ReportDetailSchema, ...refusals(404) } },
      },
      async (request) => presentReportDetail(await deps.reports.detail(actorOf(request), request.params.reference)),
    );

    app.post(
      '/reports/:reference/contact',
      {
        onRequest: reveal,
        schema: {
          tags: ['officer'],
          summary: "Reveal the reporter's contact details, stating why; audited",
          params: Type.Object({ reference: ReportReference }),
          body: Type.Object({ reason: Why }, { additionalProperties: false }),
          response: { 200: Type.Object({ contact: Contact }), ...refusals(404) },
        },
      },
      async (request) => ({ contact: await deps.reports.readContact(actorOf(request), request.params.reference, request.body.reason) }),
    );
  };
}
