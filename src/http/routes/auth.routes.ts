import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { AuthService } from '../../modules/auth/auth.service.js';
import { requireRole } from '../auth.js';
import { perMinute } from '../rate-limit.js';
import { errorResponses } from '../schemas.js';

/** Officers sign in for a bearer session token (rate-limited against password guessing). */
export function authRoutes(auth: AuthService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/auth/login',
      {
        config: perMinute(20),
        schema: {
          tags: ['auth'],
          summary: 'Sign in; returns a bearer token',
          body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ token: Type.String(), expiresAt: Type.String(), user: Type.Object({ username: Type.String(), role: Type.String() }) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const session = await auth.login(request.body.username, request.body.password);
        return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: { username: session.user.username, role: session.user.role } };
      },
    );

    app.post(
      '/auth/logout',
      { onRequest: requireRole(auth, 'analyst'), schema: { tags: ['auth'], summary: 'End this session', response: { 204: Type.Null(), ...errorResponses } } },
      async (request, reply) => {
        await auth.logout((request.headers.authorization as string).slice('Bearer '.length));
        return reply.status(204).send(null);
      },
    );
  };
}
