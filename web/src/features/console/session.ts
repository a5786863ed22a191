import { ApiError, call } from '../../api';

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
  const body = await call<{ token: string; user: { username: string; role: string } }>('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ username, password }) });
  const session = { token: body.token, username: body.user.username, role: body.user.role };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

/** A console API call with the session's token; a 401 ends the session. */
export async function officer<T>(path: string, body?: object): Promise<T> {
  const authorization = `Bearer ${currentSession()?.token ?? ''}`;
  try {
    return await call<T>(`/api/v1/officer${path}`, { method: body === undefined ? 'GET' : 'POST', extraHeaders: { authorization }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) endSession();
    throw error;
  }
}
