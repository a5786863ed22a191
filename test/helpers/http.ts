import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ERROR_CATALOG, type ErrorCode } from '../../src/errors.js';
import type { Scamgraph } from '../../src/main.js';

/** The password of every user the HTTP suites create (long enough for AuthService). */
export const PASSWORD = 'a-long-password-123';

let addresses = 0;
/**
 * A client address no earlier request of this process used, in a network block (/24) of its own. Rate
 * limits count per address (login: 20 a minute), and independent reporters are told apart by their network
 * block (docs/poisoning.md), so each independent caller gets its own.
 */
export function freshAddress(): string {
  addresses += 1;
  return `10.${(addresses >> 8) & 255}.${addresses & 255}.${1 + (addresses >> 16)}`;
}

export const bearer = (token: string): { authorization: string } => ({ authorization: `Bearer ${token}` });

/** Signs in through POST /api/v1/auth/login (from a fresh address) and returns the bearer token. */
export async function login(app: FastifyInstance, username: string, password = PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: freshAddress(), payload: { username, password } });
  assert.equal(res.statusCode, 200, `login ${username}: ${res.body}`);
  return (res.json() as { token: string }).token;
}

/**
 * The routes under `prefix` as `METHOD /path`, read from app.printRoutes() (a tree: each level indents by
 * four characters and continues its parent's path). HEAD, which Fastify adds to every GET, is left out.
 */
export function registeredRoutes(app: FastifyInstance, prefix = '/api/v1/'): string[] {
  const parents: string[] = [];
  const routes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:│ {3}| {4})*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (match === null) continue;
    const depth = (match[1] as string).length / 4;
    const path = (depth === 0 ? '' : (parents[depth - 1] as string)) + (match[2] as string);
    parents[depth] = path;
    for (const method of (match[3] ?? '').split(', ')) {
      if (method !== '' && method !== 'HEAD' && path.startsWith(prefix)) routes.push(`${method} ${path}`);
    }
  }
  return [...new Set(routes)].sort();
}

/**
 * Why a response is not a proper refusal, or null when it is: a 4xx (never 5xx) whose JSON body is exactly
 * `{"error": {"code", "message"}}` (and a `reason` where the code has one), with a code of the catalog whose status is the response's, and one of
 * `codes` when given.
 */
export function refusalProblem(res: LightMyRequestResponse, codes: readonly ErrorCode[] = []): string | null {
  const got = `got ${res.statusCode} ${res.body.slice(0, 160)}`;
  if (res.statusCode < 400 || res.statusCode > 499) return got;
  let body: unknown;
  try {
    body = res.json();
  } catch {
    return `${got} (not JSON)`;
  }
  const error = (body as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
  if (body === null || typeof body !== 'object' || Object.keys(body).join() !== 'error' || typeof error !== 'object' || error === null) return `${got} (not {error})`;
  // An indicator error also says which rule the value broke (`reason`, e.g. TOO_SHORT), a refused registry file
  // lists its bad rows (`rows`); nothing else may be there.
  const keys = Object.keys(error).sort().join();
  const rowsOk = keys === 'code,message,rows' && error.code === 'INVALID_SENDER_REGISTRY' && Array.isArray(error.rows);
  if (keys !== 'code,message' && !rowsOk && !(keys === 'code,message,reason' && typeof error.reason === 'string')) return `${got} (error keys are not code, message[, reason | rows])`;
  if (typeof error.message !== 'string' || error.message === '') return `${got} (no message)`;
  const code = error.code as string;
  if (!Object.hasOwn(ERROR_CATALOG, code)) return `${got} (code not in ERROR_CATALOG)`;
  if (ERROR_CATALOG[code as ErrorCode].status !== res.statusCode) return `${got} (the catalog gives ${code} status ${ERROR_CATALOG[code as ErrorCode].status})`;
  if (codes.length > 0 && !codes.includes(code as ErrorCode)) return `${got} (expected ${codes.join(' or ')})`;
  return null;
}

/** Asserts a refusal with exactly this code (its status follows from the catalog). */
export function assertRefused(res: LightMyRequestResponse, code: ErrorCode): void {
  const problem = refusalProblem(res, [code]);
  assert.equal(problem, null, problem ?? '');
}

/** Every table a report, a decision, a protection, an audited read or a hub action writes to. */
export const WRITTEN_TABLES = [
  'reports',
  'report_indicators',
  'report_evidence',
  'evidence_reporters',
  'reporter_contacts',
  'evidence',
  'evidence_changes',
  'audit_log',
  'audit_subject_keys',
  'decisions',
  'protected_entities',
  'report_clusters',
  'clusters',
  'correlation_keys',
  'correlation_exclusions',
  'report_notes',
  'referrals',
  'type_labels',
  'organisations',
  'partner_keys',
  'shared_accounts',
  'payee_outcomes',
  'telco_outcomes',
  'webhook_subscriptions',
  'webhook_deliveries',
  'messages',
  'message_forwards',
  'campaign_shares',
  'sms_sender_registry',
  'disputes',
] as const;

/** Row counts of WRITTEN_TABLES, to show that a refused request wrote nothing. */
export async function countRows(sg: Pick<Scamgraph, 'db'>): Promise<Record<(typeof WRITTEN_TABLES)[number], number>> {
  const counts = {} as Record<(typeof WRITTEN_TABLES)[number], number>;
  for (const table of WRITTEN_TABLES) {
    const row = await sg.db.selectFrom(table).select(sg.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
    counts[table] = Number(row.n);
  }
  return counts;
}
