import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { hasRole, type AuthService, type Role, type User } from '../modules/auth/auth.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    user: User | null;
  }
}

/** An onRequest hook (before the body is even parsed) that admits only a bearer token of a user with at least `role`. */
export function requireRole(auth: AuthService, role: Role) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const header = request.headers.authorization;
    const match = header === undefined ? null : /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header);
    const user = match === null ? null : await auth.authenticate(match[1] as string);
    if (user === null) throw new AppError('UNAUTHENTICATED', 'Sign in first: send Authorization: Bearer <token> from POST /api/v1/auth/login.');
    if (!hasRole(user, role)) throw new AppError('FORBIDDEN', `This needs the ${role} role or higher.`);
    request.user = user;
  };
}

/** The actor named in the audit log. */
export function actorOf(request: FastifyRequest): string {
  return request.user === null ? 'anonymous' : `user:${request.user.username}`;
}
