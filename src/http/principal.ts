import { LRUCache } from 'lru-cache';
import type { AuthService, Role } from '../modules/auth/auth.service.js';
import type { PartnerIdentity } from '../modules/partners/partner.types.js';

/**
 * What a caller may do. Routes ask for a scope, never for a role, so that callers without a role (partner
 * API keys, next) plug in by being given scopes.
 */
export const SCOPES = ['cases:read', 'cases:act', 'contacts:reveal', 'audit:read', 'users:manage', 'partners:manage', 'registry:manage'] as const;
export type Scope = (typeof SCOPES)[number];

/** Each role's scopes: analysts read, officers also act and may reveal a reporter's contact, admins also manage users, partners and the SMS sender registry, and read the audit log. */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = Object.freeze({
  analyst: ['cases:read'],
  officer: ['cases:read', 'cases:act', 'contacts:reveal'],
  admin: ['cases:read', 'cases:act', 'contacts:reveal', 'audit:read', 'users:manage', 'partners:manage', 'registry:manage'],
});

/** A signed-in console user, as routes see the caller. */
export interface UserPrincipal {
  kind: 'user';
  id: number;
  name: string;
  role: Role;
  scopes: readonly Scope[];
}

/** A partner organisation calling with one of its API keys (src/http/partner-auth.ts). */
export interface PartnerPrincipal {
  kind: 'partner';
  identity: PartnerIdentity;
}

/** Who is calling: a console user, or a partner with an API key. */
export type Principal = UserPrincipal | PartnerPrincipal;

/**
 * How long a resolved bearer token is believed without asking the database again. Short on purpose: a
 * session ended or a user disabled anywhere stops working on every node within this time.
 */
export const PRINCIPAL_CACHE_MS = 1000;

/**
 * Turns a bearer token into a principal, remembering the answer (a principal or "no one") for at most
 * `ttlMs`: a console page fires several requests at once and each would otherwise cost a session query.
 * Concurrent lookups of one token share one query.
 */
export class PrincipalResolver {
  private readonly answers: LRUCache<string, Promise<UserPrincipal | null>>;

  constructor(
    private readonly auth: Pick<AuthService, 'authenticate'> & Partial<Pick<AuthService, 'onSessionsEnded'>>,
    ttlMs = PRINCIPAL_CACHE_MS,
  ) {
    if (!(ttlMs > 0 && ttlMs <= PRINCIPAL_CACHE_MS)) throw new RangeError(`the principal cache lasts 1..${PRINCIPAL_CACHE_MS} ms, not ${ttlMs}`);
    // Bounded, so a flood of made-up tokens costs memory once and evicts only other cached answers.
    this.answers = new LRUCache({ max: 10_000, ttl: ttlMs, ttlResolution: 0 });
    // Sessions ended through this process stop working here at once (sign-out, revoke, a disabled user).
    auth.onSessionsEnded?.(() => this.answers.clear());
  }

  /** The principal a bearer token stands for, or null when it is unknown, expired, revoked or its user disabled. */
  resolve(token: string): Promise<UserPrincipal | null> {
    const cached = this.answers.get(token);
    if (cached !== undefined) return cached;
    const answer = this.lookUp(token);
    this.answers.set(token, answer);
    // A failed lookup (the database away) is not remembered: the next request asks again.
    answer.catch(() => this.answers.delete(token));
    return answer;
  }

  private async lookUp(token: string): Promise<UserPrincipal | null> {
    const user = await this.auth.authenticate(token);
    if (user === null) return null;
    return Object.freeze({ kind: 'user', id: user.id, name: user.username, role: user.role, scopes: ROLE_SCOPES[user.role] });
  }
}
