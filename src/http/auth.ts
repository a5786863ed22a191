import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { AppError } from '../errors.js';
import type { AuthService, Role, User } from '../modules/auth/auth.service.js';
import { PrincipalResolver, ROLE_SCOPES, type Principal, type Scope, type UserPrincipal } from './principal.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, once an auth hook has resolved it (null on public routes). */
    principal: Principal | null;
    /** The signed-in user (the principal as AuthService names users); kept for routes that pass a User on. */
    user: User | null;
  }
}

/** What an auth hook asks for; the route contract reads it to document `security`, 401 and 403. */
export interface Guard {
  /** Console users sign in; partners call with an organisation's API key. */
  caller: 'user' | 'partner';
  scopes: readonly string[];
  /** Set by requireRole: the FORBIDDEN message names the role rather than the scopes. */
  role?: Role;
}

const GUARD = Symbol('scamgraph.guard');
type GuardHook = onRequestHookHandler & { [GUARD]: Guard };

/** Marks an onRequest hook as a route's guard, for the route contract to document. */
export function asGuard(hook: onRequestHookHandler, wanted: Guard): onRequestHookHandler {
  return Object.assign(hook, { [GUARD]: Object.freeze({ ...wanted, scopes: Object.freeze([...wanted.scopes]) }) }) as GuardHook;
}

/** One resolver (and so one cache) per AuthService: every route of an app shares its answers. */
const resolvers = new WeakMap<AuthService, PrincipalResolver>();
function resolverOf(auth: AuthService): PrincipalResolver {
  let resolver = resolvers.get(auth);
  if (resolver === undefined) resolvers.set(auth, (resolver = new PrincipalResolver(auth)));
  return resolver;
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/;

/**
 * The caller of this request, resolved at most once per request (a second guard on the route reuses it)
 * and through the resolver's short cache across requests.
 */
export async function principalOf(auth: AuthService, request: FastifyRequest): Promise<UserPrincipal | null> {
  if (request.principal?.kind === 'user') return request.principal;
  const match = BEARER.exec(request.headers.authorization ?? '');
  const principal = match === null ? null : await resolverOf(auth).resolve(match[1] as string);
  request.principal = principal;
  request.user = principal === null ? null : { id: principal.id, username: principal.name, role: principal.role };
  return principal;
}

function guard(auth: AuthService, wanted: { scopes: readonly Scope[]; role?: Role }, refusal: string): onRequestHookHandler {
  const hook = async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const principal = await principalOf(auth, request);
    if (principal === null) throw new AppError('UNAUTHENTICATED', 'Sign in first: send Authorization: Bearer <token> from POST /api/v1/auth/login.');
    if (!wanted.scopes.every((scope) => principal.scopes.includes(scope))) throw new AppError('FORBIDDEN', refusal);
  };
  return asGuard(hook, { caller: 'user', ...wanted });
}

/** An onRequest hook (before the body is even parsed) that admits only a caller holding `scope`. */
export function requireScope(auth: AuthService, scope: Scope): onRequestHookHandler {
  return guard(auth, { scopes: [scope] }, `This needs the ${scope} permission.`);
}

/**
 * An onRequest hook that admits only a user with at least `role`: a caller holding every scope of that role.
 * Kept as a thin wrapper over scopes for routes written in terms of roles.
 */
export function requireRole(auth: AuthService, role: Role): onRequestHookHandler {
  return guard(auth, { scopes: ROLE_SCOPES[role], role }, `This needs the ${role} role or higher.`);
}

/** The guard among a route's onRequest hooks, if any. */
export function guardOf(hooks: unknown): Guard | undefined {
  const list = Array.isArray(hooks) ? hooks : [hooks];
  return list.find((hook): hook is GuardHook => typeof hook === 'function' && GUARD in hook)?.[GUARD];
}

/** The actor named in the audit log. */
export function actorOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal == null) return 'anonymous';
  return principal.kind === 'user' ? `user:${principal.name}` : `partner:${principal.identity.organisation.name}`;
}
