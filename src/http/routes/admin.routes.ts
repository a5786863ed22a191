import { AUDIT_PROBLEMS } from '../../modules/audit/audit.types.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AuditService } from '../../modules/audit/audit.service.js';
import { ROLES, type AuthService } from '../../modules/auth/auth.service.js';
import { actorOf, requireScope } from '../auth.js';
import { presentUser, UserRowSchema } from '../presenters/users.presenter.js';
import { AuditRowSchema } from '../presenters/verdicts.presenter.js';
import { refusals } from '../route-contract.js';
import { Nullable } from '../schemas.js';
import { Patterned } from '../validation-messages.js';
import { Count, Username, Why } from './officer.schemas.js';

const AuditVerification = Type.Object({
  rows: Type.Integer(),
  broken: Nullable(Type.Object({ seq: Type.Integer(), problem: Type.Enum(AUDIT_PROBLEMS), detail: Type.String() })),
});
const AuditLimit = Patterned('^([1-9][0-9]{0,2}|1000)$', 'a whole number from 1 to 1000');

/** Administration: the audit log (read and verified) and the console's users. */
export function adminRoutes(auth: AuthService, audit: AuditService): FastifyPluginAsyncTypebox {
  const auditor = requireScope(auth, 'audit:read');
  const manager = requireScope(auth, 'users:manage');
  return async (app) => {
    app.get(
      '/audit',
      {
        onRequest: auditor,
        schema: {
          tags: ['officer'],
          summary: 'Audit log rows after a sequence number',
          querystring: Type.Object({ after: Type.Optional(Count(999_999_999_999_999)), limit: Type.Optional(AuditLimit) }, { additionalProperties: false }),
          response: { 200: Type.Object({ rows: Type.Array(AuditRowSchema) }) },
        },
      },
      async (request) => ({ rows: await audit.list(Number(request.query.after ?? 0), Number(request.query.limit ?? 100)) }),
    );

    app.get(
      '/audit/verify',
      { onRequest: auditor, schema: { tags: ['officer'], summary: 'Verify the audit hash chain', response: { 200: AuditVerification } } },
      async () => audit.verify(),
    );

    app.get(
      '/users',
      { onRequest: manager, schema: { tags: ['officer'], summary: 'The console users, their roles and live sessions', response: { 200: Type.Object({ users: Type.Array(UserRowSchema) }) } } },
      async () => ({ users: (await auth.listUsers()).map(presentUser) }),
    );

    app.post(
      '/users',
      {
        onRequest: manager,
        schema: {
          tags: ['officer'],
          summary: 'Add a console user; audited',
          body: Type.Object({ username: Username, password: Type.String({ minLength: 12, maxLength: 1024 }), role: Type.Enum(ROLES) }, { additionalProperties: false }),
          response: { 200: Type.Object({ username: Type.String(), role: Type.String() }), ...refusals(409) },
        },
      },
      async (request) => {
        const user = await auth.addUser(request.body.username, request.body.password, request.body.role, actorOf(request));
        return { username: user.username, role: user.role };
      },
    );

    app.post(
      '/users/:username',
      {
        onRequest: manager,
        schema: {
          tags: ['officer'],
          summary: "Change a user's role, or disable or re-enable them (their sessions end); audited",
          params: Type.Object({ username: Username }),
          body: Type.Object({ role: Type.Optional(Type.Enum(ROLES)), disabled: Type.Optional(Type.Boolean()), reason: Why }, { additionalProperties: false, minProperties: 2 }),
          response: { 200: Type.Object({ username: Type.String(), role: Type.String(), disabled: Type.Boolean() }), ...refusals(404, 409) },
        },
      },
      async (request) => {
        const { reason, ...change } = request.body;
        return auth.updateUser(request.user!, request.params.username, change, reason);
      },
    );
  };
}
