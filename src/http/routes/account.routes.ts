import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { MIN_PASSWORD, type AuthService } from '../../modules/auth/auth.service.js';
import { requireRole, requireScope } from '../auth.js';
import { perMinute } from '../rate-limit.js';
import { refusals } from '../route-contract.js';
import { Username, Why } from './officer.schemas.js';
import { Nullable } from '../schemas.js';
import { Patterned } from '../validation-messages.js';
import { clientOf, tokenOf, withRetryAfter } from './auth.routes.js';

const When = Type.String();
const Session = Type.Object({
  id: Type.Integer(),
  createdAt: When,
  lastUsedAt: When,
  expiresAt: When,
  userAgent: Nullable(Type.String()),
  current: Type.Boolean({ description: 'The session this request came with' }),
});
const SessionId = Patterned('^[1-9][0-9]{0,14}$', 'a session number: a whole number from 1, of up to 15 digits');
const NewPassword = Type.String({ minLength: MIN_PASSWORD, maxLength: 1024 });

/**
 * Every signed-in user's own account: their password and their sessions. And an administrator's reset of
 * another user's password (beside the other user changes). Registered under /api/v1/officer.
 */
export function accountRoutes(auth: AuthService): FastifyPluginAsyncTypebox {
  const signedIn = requireRole(auth, 'analyst');
  const userManager = requireScope(auth, 'users:manage');
  return async (app) => {

    app.get(
      '/account/sessions',
      { onRequest: signedIn, schema: { tags: ['officer'], summary: 'Your live sessions, this one marked', response: { 200: Type.Object({ sessions: Type.Array(Session) }) } } },
      async (request) => ({
        sessions: (await auth.sessions(request.user!, tokenOf(request))).map((s) => ({
          ...s,
          createdAt: s.createdAt.toISOString(),
          lastUsedAt: s.lastUsedAt.toISOString(),
          expiresAt: s.expiresAt.toISOString(),
        })),
      }),
    );

    app.post(
      '/account/sessions/:id/revoke',
      {
        onRequest: signedIn,
        schema: { tags: ['officer'], summary: 'End one of your sessions (this one too); audited', params: Type.Object({ id: SessionId }), response: { 204: Type.Null(), ...refusals(404) } },
      },
      async (request, reply) => {
        await auth.revokeSession(request.user!, Number(request.params.id));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/account/password',
      {
        // Guesses of the current password also count towards the account's sign-in backoff.
        config: perMinute(20),
        onRequest: signedIn,
        schema: {
          tags: ['officer'],
          summary: 'Change your password, giving the current one; your other sessions end; audited',
          body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: NewPassword }, { additionalProperties: false }),
          response: { 200: Type.Object({ endedSessions: Type.Integer() }) },
        },
      },
      async (request, reply) => withRetryAfter(reply, () => auth.changePassword(request.user!, tokenOf(request), request.body.currentPassword, request.body.newPassword, clientOf(request))),
    );

    app.post(
      '/users/:username/password-reset',
      {
        onRequest: userManager,
        schema: {
          tags: ['officer'],
          summary: "Reset a user's password to a one-time password (shown once; they choose a new one at sign-in); their sessions end; audited",
          params: Type.Object({ username: Username }),
          body: Type.Object({ reason: Why }, { additionalProperties: false }),
          response: { 200: Type.Object({ username: Type.String(), password: Type.String({ description: 'The one-time password, never shown again' }), endedSessions: Type.Integer() }), ...refusals(404, 409) },
        },
      },
      // Every API answer is sent with cache-control: no-store (security-headers.ts): no cache keeps the password.
      async (request) => auth.resetPassword(request.user!, request.params.username, request.body.reason),
    );
  };
}
