import { ApiError } from '../../api';

/**
 * The officer's session: the bearer token from sign-in, kept in sessionStorage (gone when the tab closes) and
 * sent on every console request. A 401 ends it.
 */
const KEY = 'scamgraph.session';

export interface Session {
  token: string;
  username: string;
  role: string;
}

export function currentSession(): Session | null {
  const stored = sessionStorage.getItem(KEY);
  return stored === null ? null : (JSON.parse(stored) as Session);
}

export function endSession(): void {
  sessionStorage.removeItem(KEY);
}

export async function signIn(username: string, password: string): Promise<Session> {
  const response = await fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ username, password }) });
  const body = (await response.json().catch(() => null)) as { token: string; user: { username: string; role: string }; error?: { code: string; message: string } } | null;
  if (!response.ok || body === null) throw new ApiError(response.status, body?.error?.code ?? 'INTERNAL', body?.error?.message ?? response.statusText);
  const session = { token: body.token, username: body.user.username, role: body.user.role };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

/** A console API call with the session's token. */
export async function officer<T>(path: string, body?: object): Promise<T> {
  const session = currentSession();
  const response = await fetch(`/api/v1/officer${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { accept: 'application/json', authorization: `Bearer ${session?.token ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const answer = (await response.json().catch(() => null)) as (T & { error?: { code: string; message: string } }) | null;
  if (response.status === 401) endSession();
  if (!response.ok) throw new ApiError(response.status, answer?.error?.code ?? 'INTERNAL', answer?.error?.message ?? response.statusText);
  return answer as T;
}
