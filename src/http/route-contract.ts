import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import Type from 'typebox';
import { AppError, ERROR_CATALOG } from '../errors.js';
import { guardOf, type Guard } from './auth.js';
import { ErrorBody } from './schemas.js';

/** The codes a status may carry, from the catalog, for a response's description. */
function codesOf(status: number): string {
  return Object.entries(ERROR_CATALOG)
    .filter(([, entry]) => entry.status === status)
    .map(([code]) => code)
    .join(', ');
}

/** An error answer of one status, described by the codes it may carry. */
export function refusal(status: number, description = `Refused: ${codesOf(status)} (docs/errors.md).`) {
  return Type.Object(ErrorBody.properties, { description });
}

/** The error answers of the given statuses, for a route's `response` (404, 409: what only some routes answer). */
export function refusals(...statuses: number[]): Record<number, ReturnType<typeof refusal>> {
  return Object.fromEntries(statuses.map((status) => [status, refusal(status)]));
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Refuses any query parameter on a route that declares none (Fastify would ignore them). */
async function noQueryParameters(request: FastifyRequest): Promise<void> {
  const names = Object.keys(request.query as object);
  if (names.length > 0) throw new AppError('VALIDATION_FAILED', `${names[0]} is not a query parameter of this route (it takes none).`);
}

function describeGuard(guard: Guard): string {
  if (guard.caller === 'partner') return guard.scopes.length === 0 ? 'Needs a partner API key (any scope).' : `Needs a partner API key with the scope ${guard.scopes.join(', ')}.`;
  const who = guard.role === undefined ? '' : ` (the ${guard.role} role or higher)`;
  return `Needs a bearer token with ${guard.scopes.join(', ')}${who}.`;
}

/**
 * What every /api/v1 route's document says follows from what the route does, so that no route can forget it:
 * a route behind a guard declares bearer `security` (with the scopes it needs) and answers 401 and 403; every
 * route answers 400 (a query parameter it does not take, at least) and 500; a route that reads a body
 * answers 413 and 415; a rate-limited one 429. A route declares only what is its own (404, 409).
 */
export function applyRouteContract(route: RouteOptions): void {
  if (!route.url.startsWith('/api/v1')) return;
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const schema = { ...route.schema } as NonNullable<RouteOptions['schema']> & { security?: unknown; description?: string };
  const response: Record<string, unknown> = { ...(schema.response as Record<string, unknown> | undefined) };
  const add = (status: number, description?: string): void => {
    if (response[status] === undefined) response[status] = refusal(status, description);
  };

  if (schema.querystring === undefined) {
    const hooks = route.preValidation === undefined ? [] : Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation];
    if (!hooks.includes(noQueryParameters)) route.preValidation = [...hooks, noQueryParameters];
  }
  add(400);
  if (methods.some((m) => WITH_BODY.has(m))) {
    add(413, 'Refused: BODY_TOO_LARGE (the body is over 1 MiB).');
    add(415, 'Refused: UNSUPPORTED_MEDIA_TYPE (a body must be application/json).');
  }
  if ((route.config as { rateLimit?: unknown } | undefined)?.rateLimit !== undefined) add(429, 'Refused: RATE_LIMITED (too many requests from this client; retry after the time given).');
  const guard = guardOf(route.onRequest);
  if (guard !== undefined) {
    // Bearer scopes are "role names" in OpenAPI 3.1's terms: listed, not exchanged in-band.
    schema.security = [{ [guard.caller === 'partner' ? 'partnerKey' : 'bearer']: [...guard.scopes] }];
    schema.description = schema.description === undefined ? describeGuard(guard) : `${schema.description}\n\n${describeGuard(guard)}`;
    if (guard.caller === 'partner') {
      add(401, 'Refused: UNAUTHENTICATED (no key, or an unknown, expired or revoked one; the message says which).');
      add(429, 'Refused: RATE_LIMITED (the organisation’s requests per minute on this node) or QUOTA_EXCEEDED (its calls for the UTC day); Retry-After says when.');
    } else add(401, 'Refused: UNAUTHENTICATED (no valid bearer token: sign in with POST /api/v1/auth/login).');
    add(403, `Refused: FORBIDDEN (${describeGuard(guard)})`);
  }
  add(500, 'INTERNAL: an unexpected failure; the answer carries a requestId.');
  route.schema = { ...schema, response };
}

/** Applies the route contract to every route registered on `app` from now on. */
export function registerRouteContract(app: FastifyInstance): void {
  app.addHook('onRoute', applyRouteContract);
}
