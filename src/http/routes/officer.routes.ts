import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AUDIT_PROBLEMS } from '../../modules/audit/audit.types.js';
import type { AuditService } from '../../modules/audit/audit.service.js';
import type { AuthService } from '../../modules/auth/auth.service.js';
import type { ReportService } from '../../modules/reports/reports.service.js';
import { listProtected } from '../../modules/verdicts/officer.repository.js';
import type { VerdictService } from '../../modules/verdicts/verdicts.service.js';
import { ROLES } from '../../modules/auth/auth.service.js';
import { actorOf, requireRole } from '../auth.js';
import { CheckResult, Kind, Nullable, ReportReference, errorResponses } from '../schemas.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../storage/schema.js';

export interface OfficerDeps {
  auth: AuthService;
  verdicts: VerdictService;
  reports: ReportService;
  audit: AuditService;
  db: Kysely<Database>;
}

const Value = Type.String({ minLength: 1, maxLength: 4096 });
const Reason = Type.String({ minLength: 3, maxLength: 2000, description: 'Why: goes into the audit log.' });
const Scope = Type.Optional(Type.Enum(['url', 'host'], { description: 'For links: the link itself (default) or its whole site.' }));
const Entry = Type.Object({ entry: Type.String() });
const ProtectedEntity = Type.Object({
  entry: Type.String(),
  kind: Type.String(),
  canonical: Type.String(),
  name: Type.String(),
  createdBy: Type.String(),
  createdAt: Type.String(),
  compromisedAt: Nullable(Type.String()),
  compromiseReason: Nullable(Type.String()),
});
const ReportDetail = Type.Object({
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
const AuditRow = Type.Object({ seq: Type.Integer(), at: Type.String(), actor: Type.String(), action: Type.String(), subject: Type.String(), details: Type.Unknown() });
const AuditVerification = Type.Object({
  rows: Type.Integer(),
  broken: Nullable(Type.Object({ seq: Type.Integer(), problem: Type.Enum(AUDIT_PROBLEMS), detail: Type.String() })),
});
const When = Type.String();
const EntryRecord = Type.Object({
  entry: Type.String(),
  label: Type.String(),
  reportCount: Type.Integer(),
  firstSeen: Nullable(When),
  lastSeen: Nullable(When),
  feed: Nullable(Type.String()),
  decision: Nullable(Type.Object({ level: Type.String(), reason: Type.String(), by: Type.String(), at: When })),
  protection: Nullable(Type.Object({ name: Type.String(), by: Type.String(), at: When, compromisedAt: Nullable(When), compromiseReason: Nullable(Type.String()) })),
});
const IndicatorProfile = Type.Object({
  check: CheckResult,
  entries: Type.Array(EntryRecord),
  reports: Type.Array(Type.Object({ reference: Type.String(), receivedAt: When, scamType: Type.String(), status: Type.String(), cluster: Nullable(Type.Integer()) })),
  reportTotal: Type.Integer(),
  correlation: Type.Object({ key: Type.String(), cluster: Nullable(Type.Integer()), excluded: Nullable(Type.Object({ reason: Type.String(), by: Type.String(), at: When })) }),
  history: Type.Array(AuditRow),
});
const Username = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{1,62}$' });
const UserRow = Type.Object({ username: Type.String(), role: Type.String(), createdAt: When, disabledAt: Nullable(When), activeSessions: Type.Integer() });
const Contact = Type.Object({ name: Type.Optional(Type.String()), email: Type.Optional(Type.String()), phone: Type.Optional(Type.String()) });

/**
 * Officer routes, all behind a bearer token: analysts read, officers act, admins read the audit log. Every
 * action and every read of a report or a reporter's contact writes an audit row in the same transaction.
 */
export function officerRoutes(deps: OfficerDeps): FastifyPluginAsyncTypebox {
  const analyst = requireRole(deps.auth, 'analyst');
  const officer = requireRole(deps.auth, 'officer');
  const admin = requireRole(deps.auth, 'admin');
  return async (app) => {
    app.decorateRequest('user', null);

    app.get(
      '/indicators',
      {
        onRequest: analyst,
        schema: { tags: ['officer'], summary: 'The verdict on a value, as the public sees it', querystring: Type.Object({ value: Value, kind: Type.Optional(Kind) }, { additionalProperties: false }), response: { 200: CheckResult, ...errorResponses } },
      },
      async (request) => deps.verdicts.check(request.query.value, request.query.kind),
    );

    app.post(
      '/indicators/decision',
      {
        onRequest: officer,
        schema: {
          tags: ['officer'],
          summary: 'Confirm (high_risk), downgrade (suspicious) or clear an indicator',
          body: Type.Object({ value: Value, kind: Type.Optional(Kind), scope: Scope, level: Type.Enum(['high_risk', 'suspicious', 'cleared']), reason: Reason }, { additionalProperties: false }),
          response: { 200: Entry, ...errorResponses },
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
        onRequest: analyst,
        schema: {
          tags: ['officer'],
          summary: "A value's page: the public verdict, the evidence behind it, the reports naming it, its correlation and its decision history",
          querystring: Type.Object({ value: Value, kind: Type.Optional(Kind) }, { additionalProperties: false }),
          response: { 200: IndicatorProfile, ...errorResponses },
        },
      },
      async (request) => {
        const { check, profile } = await deps.verdicts.profile(request.query.value, request.query.kind);
        const at = (d: Date) => d.toISOString();
        const maybe = (d: Date | null) => d?.toISOString() ?? null;
        return {
          check,
          entries: profile.entries.map((e) => ({
            ...e,
            firstSeen: maybe(e.firstSeen),
            lastSeen: maybe(e.lastSeen),
            decision: e.decision === null ? null : { ...e.decision, at: at(e.decision.at) },
            protection: e.protection === null ? null : { ...e.protection, at: at(e.protection.at), compromisedAt: maybe(e.protection.compromisedAt) },
          })),
          reports: profile.reports.map((r) => ({ ...r, receivedAt: at(r.receivedAt) })),
          reportTotal: profile.reportTotal,
          correlation: { ...profile.correlation, excluded: profile.correlation.excluded === null ? null : { ...profile.correlation.excluded, at: at(profile.correlation.excluded.at) } },
          history: profile.history.map((h) => ({ ...h, at: at(h.at) })),
        };
      },
    );

    app.get(
      '/protected',
      { onRequest: analyst, schema: { tags: ['officer'], summary: 'Protected (verified) entities', response: { 200: Type.Object({ entities: Type.Array(ProtectedEntity) }), ...errorResponses } } },
      async () => ({
        entities: (await listProtected(deps.db)).map((p) => ({ ...p, createdAt: p.createdAt.toISOString(), compromisedAt: p.compromisedAt?.toISOString() ?? null })),
      }),
    );

    app.post(
      '/protected',
      {
        onRequest: officer,
        schema: {
          tags: ['officer'],
          summary: "Protect a legitimate entity (a bank's site, hotline or SMS sender ID)",
          body: Type.Object({ value: Value, kind: Type.Optional(Kind), name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
          response: { 200: Entry, ...errorResponses },
        },
      },
      async (request) => deps.verdicts.protect(actorOf(request), { value: request.body.value, kind: request.body.kind }, request.body.name),
    );

    app.post(
      '/protected/withdraw',
      {
        onRequest: officer,
        schema: {
          tags: ['officer'],
          summary: 'Record that a protected entity was compromised, or remove its protection',
          body: Type.Object({ value: Value, kind: Type.Optional(Kind), how: Type.Enum(['compromised', 'removed']), reason: Reason }, { additionalProperties: false }),
          response: { 200: Entry, ...errorResponses },
        },
      },
      async (request) => deps.verdicts.unprotect(actorOf(request), { value: request.body.value, kind: request.body.kind }, request.body.how, request.body.reason),
    );

    app.get(
      '/reports/:reference',
      { onRequest: analyst, schema: { tags: ['officer'], summary: 'A report (without contact details); audited', params: Type.Object({ reference: ReportReference }), response: { 200: ReportDetail, ...errorResponses } } },
      async (request) => {
        const detail = await deps.reports.detail(actorOf(request), request.params.reference);
        const { id: _id, ...shown } = detail;
        return { ...shown, receivedAt: detail.receivedAt.toISOString(), occurredAt: detail.occurredAt?.toISOString() ?? null };
      },
    );

    app.post(
      '/reports/:reference/contact',
      {
        onRequest: officer,
        schema: {
          tags: ['officer'],
          summary: "Reveal the reporter's contact details, stating why; audited",
          params: Type.Object({ reference: ReportReference }),
          body: Type.Object({ reason: Reason }, { additionalProperties: false }),
          response: { 200: Type.Object({ contact: Contact }), ...errorResponses },
        },
      },
      async (request) => ({ contact: await deps.reports.readContact(actorOf(request), request.params.reference, request.body.reason) }),
    );

    app.get(
      '/audit',
      {
        onRequest: admin,
        schema: {
          tags: ['officer'],
          summary: 'Audit log rows after a sequence number',
          querystring: Type.Object(
            { after: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })), limit: Type.Optional(Type.String({ pattern: '^([1-9][0-9]{0,2}|1000)$' })) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ rows: Type.Array(AuditRow) }), ...errorResponses },
        },
      },
      async (request) => ({ rows: await deps.audit.list(Number(request.query.after ?? 0), Number(request.query.limit ?? 100)) }),
    );

    app.get(
      '/users',
      { onRequest: admin, schema: { tags: ['officer'], summary: 'The console users, their roles and live sessions', response: { 200: Type.Object({ users: Type.Array(UserRow) }), ...errorResponses } } },
      async () => ({
        users: (await deps.auth.listUsers()).map((u) => ({ ...u, createdAt: u.createdAt.toISOString(), disabledAt: u.disabledAt?.toISOString() ?? null })),
      }),
    );

    app.post(
      '/users',
      {
        onRequest: admin,
        schema: {
          tags: ['officer'],
          summary: 'Add a console user; audited',
          body: Type.Object({ username: Username, password: Type.String({ minLength: 12, maxLength: 1024 }), role: Type.Enum(ROLES) }, { additionalProperties: false }),
          response: { 200: Type.Object({ username: Type.String(), role: Type.String() }), ...errorResponses },
        },
      },
      async (request) => {
        const user = await deps.auth.addUser(request.body.username, request.body.password, request.body.role, actorOf(request));
        return { username: user.username, role: user.role };
      },
    );

    app.post(
      '/users/:username',
      {
        onRequest: admin,
        schema: {
          tags: ['officer'],
          summary: "Change a user's role, or disable or re-enable them (their sessions end); audited",
          params: Type.Object({ username: Username }),
          body: Type.Object({ role: Type.Optional(Type.Enum(ROLES)), disabled: Type.Optional(Type.Boolean()), reason: Reason }, { additionalProperties: false, minProperties: 2 }),
          response: { 200: Type.Object({ username: Type.String(), role: Type.String(), disabled: Type.Boolean() }), ...errorResponses },
        },
      },
      async (request) => {
        const { reason, ...change } = request.body;
        return deps.auth.updateUser(request.user!, request.params.username, change, reason);
      },
    );

    app.get(
      '/audit/verify',
      { onRequest: admin, schema: { tags: ['officer'], summary: 'Verify the audit hash chain', response: { 200: AuditVerification, ...errorResponses } } },
      async () => deps.audit.verify(),
    );
  };
}
