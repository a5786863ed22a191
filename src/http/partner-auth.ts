import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { LRUCache } from 'lru-cache';
import { AppError } from '../errors.js';
import type { PartnerMeter } from '../modules/partners/partner-meter.js';
import type { KeyRefusal, PartnerIdentity, PartnerScope } from '../modules/partners/partner.types.js';
import type { PartnersService } from '../modules/partners/partners.service.js';
import { asGuard } from './auth.js';
import { PRINCIPAL_CACHE_MS } from './principal.js';

const BEARER = /^Bearer (\S{1,200})$/;
const BASIC = /^Basic ([A-Za-z0-9+/]{1,400}={0,2})$/;

/**
 * The key a request carries: `Authorization: Bearer KEY`, or, where HTTP Basic is taken (TAXII clients must
 * speak it, TAXII 2.1 §8.5.1), `Basic base64(NAME:KEY)`: the key is the password, the user name is free.
 */
function presentedKey(authorization: string | undefined, basic: boolean, inQuery: unknown): string | null {
  if (typeof inQuery === 'string' && inQuery.length > 0 && inQuery.length <= 200) return inQuery;
  const bearer = BEARER.exec(authorization ?? '');
  if (bearer !== null) return bearer[1] as string;
  const pair = basic ? BASIC.exec(authorization ?? '') : null;
  if (pair === null) return null;
  const decoded = Buffer.from(pair[1] as string, 'base64').toString('utf8');
  const password = decoded.slice(decoded.indexOf(':') + 1);
  return decoded.includes(':') && password !== '' && password.length <= 200 ? password : null;
}

const REFUSALS: Record<KeyRefusal, string> = {
  unknown: 'This API key is not known: send Authorization: Bearer sgp_… with a key made by scamgraph partner add or partner key create.',
  expired: 'This API key has expired: ask for a new one (partner key create), or use the key that replaced it.',
  revoked: 'This API key was revoked.',
  disabled: 'The organisation of this API key is disabled.',
};

/**
 * Turns a partner key into its identity, believing an answer for at most PRINCIPAL_CACHE_MS: a revoked or
 * expired key is refused by every node within that second, and a payee check costs no key query.
 */
export class PartnerKeyResolver {
  private readonly answers = new LRUCache<string, Promise<PartnerIdentity | KeyRefusal>>({ max: 10_000, ttl: PRINCIPAL_CACHE_MS, ttlResolution: 0 });

  constructor(private readonly partners: Pick<PartnersService, 'authenticate'> & Partial<Pick<PartnersService, 'onKeysChanged'>>) {
    partners.onKeysChanged?.(() => this.clear());
  }

  resolve(token: string): Promise<PartnerIdentity | KeyRefusal> {
    const cached = this.answers.get(token);
    if (cached !== undefined) return cached;
    const answer = this.partners.authenticate(token);
    this.answers.set(token, answer);
    answer.catch(() => this.answers.delete(token));
    return answer;
  }

  /** Forgets every answer (a key revoked through this process is refused here at once). */
  clear(): void {
    this.answers.clear();
  }
}

export interface PartnerGate {
  resolver: PartnerKeyResolver;
  meter: PartnerMeter;
}

/**
 * An onRequest hook that admits a partner key holding `scope` (any live key when null), within its
 * organisation's limits, and counts the call for the organisation's usage (never what it asked).
 */
export function requirePartnerScope(gate: PartnerGate, scope: PartnerScope | null, options: { basic?: boolean; /** A query parameter that may carry the key (Safe Browsing clients send `?key=`). */ queryKey?: string } = {}): onRequestHookHandler {
  const hook = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const inQuery = options.queryKey === undefined ? undefined : (request.query as Record<string, unknown> | undefined)?.[options.queryKey];
    const key = presentedKey(request.headers.authorization, options.basic === true, inQuery);
    if (key === null) {
      const ways = ['Authorization: Bearer sgp_…', ...(options.basic === true ? ['HTTP Basic with the key as the password'] : []), ...(options.queryKey === undefined ? [] : [`?${options.queryKey}=sgp_…`])];
      throw new AppError('UNAUTHENTICATED', `Send a partner API key: ${ways.join(', or ')}.`);
    }
    const identity = await gate.resolver.resolve(key);
    if (typeof identity === 'string') throw new AppError('UNAUTHENTICATED', REFUSALS[identity]);
    request.principal = { kind: 'partner', identity };
    if (scope !== null && !identity.scopes.includes(scope)) throw new AppError('FORBIDDEN', `This key lacks the ${scope} scope (it has ${identity.scopes.join(', ')}).`);
    const admission = gate.meter.admit(identity, `${request.method} ${request.routeOptions.url ?? ''}`);
    if (!admission.admitted) {
      void reply.header('retry-after', String(admission.retryAfterSeconds));
      throw new AppError(admission.code, admission.code === 'RATE_LIMITED'
        ? `${identity.organisation.name} made more than ${identity.organisation.requestsPerMinute} requests this minute on this node; retry in ${admission.retryAfterSeconds} s.`
        : `${identity.organisation.name} used its ${identity.organisation.dailyQuota} calls for today (UTC); retry in ${admission.retryAfterSeconds} s.`);
    }
  };
  return asGuard(hook, { caller: 'partner', scopes: scope === null ? [] : [scope] });
}

/** The calling partner's identity on a route behind requirePartnerScope. */
export function partnerOf(request: FastifyRequest): PartnerIdentity {
  const principal = request.principal;
  if (principal?.kind !== 'partner') throw new Error('partnerOf() on a route without requirePartnerScope');
  return principal.identity;
}
