import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { MIN_PASSWORD, type AuthService } from '../../modules/auth/auth.service.js';
import type { ClientContext } from '../../modules/auth/auth.types.js';
import { LoginThrottledError } from '../../modules/auth/login-throttle.js';
import { requireRole } from '../auth.js';
import { perMinute } from '../rate-limit.js';
import { refusals } from '../route-contract.js';

/** Where a request came from, for the audit log of sign-ins and account changes. */
export function clientOf(request: FastifyRequest): ClientContext {
  const userAgent = request.headers['user-agent'];
  return { address: request.ip, ...(userAgent === undefined ? {} : { userAgent }) };
}

/** The bearer token requireRole admitted (it checked the header's shape). */
export const tokenOf = (request: FastifyRequest): string => (request.headers.authorization as string).slice('Bearer '.length);

/** Runs a password check; a throttled one answers with Retry-After beside LOGIN_THROTTLED. */
export async function withRetryAfter<T>(reply: FastifyReply, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (error instanceof LoginThrottledError) void reply.header('retry-after', String(error.retryAfterSeconds));
    throw error;
  }
}

/**
 * Officers sign in for a bearer session token. Password guessing meets two limits: 20 attempts a minute per
 * client address (the plugin), and a backoff per account name however many addresses guess (the service).
 */
export function authRoutes(auth: AuthService): FastifyPluginAsyncTypebox {
  return async (app) => {

    app.post(
      '/auth/login',
      {
        config: perMinute(20),
        schema: {
          tags: ['auth'],
          summary: 'Sign in; returns a bearer token',
          description:
            'LOGIN_THROTTLED (429, Retry-After) after repeated failures for the account name. After an administrator reset the password, the one-time password answers PASSWORD_CHANGE_REQUIRED until newPassword is sent with it.',
          body: Type.Object(
            {
              username: Type.String({ minLength: 1, maxLength: 100 }),
              password: Type.String({ minLength: 1, maxLength: 1000 }),
              newPassword: Type.Optional(Type.String({ minLength: MIN_PASSWORD, maxLength: 1024, description: 'Only after an administrator reset the password: the new one.' })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({ token: Type.String(), expiresAt: Type.String(), user: Type.Object({ username: Type.String(), role: Type.String() }) }),
            // 401 INVALID_CREDENTIALS, 403 PASSWORD_CHANGE_REQUIRED (the 429 of LOGIN_THROTTLED comes with the rate limit's).
            ...refusals(401, 403),
          },
        },
      },
      async (request, reply) => {
        const { username, password, newPassword } = request.body;
        const session = await withRetryAfter(reply, () => auth.login(username, password, clientOf(request), newPassword));
        return { token: session.token, expiresAt: session.expiresAt.toISOString(), user: { username: session.user.username, role: session.user.role } };
      },
    );

    app.post(
      '/auth/logout',
      { onRequest: requireRole(auth, 'analyst'), schema: { tags: ['auth'], summary: 'End this session', response: { 204: Type.Null() } } },
      async (request, reply) => {
        await auth.logout(request.user!, tokenOf(request));
        return reply.status(204).send(null);
      },
    );
  };
}
