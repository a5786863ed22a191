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

/** Fired on window when the session ends (signed out, or the server no longer knows the token). */
export const SESSION_ENDED = 'scamgraph:session-ended';

export function endSession(): void {
  sessionStorage.removeItem(KEY);
  window.dispatchEvent(new Event(SESSION_ENDED));
}

/** Analysts read; officers and admins act. The API refuses an analyst's action anyway: this only spares the button. */
export function canAct(): boolean {
  const role = currentSession()?.role;
  return role === 'officer' || role === 'admin';
}

/** Signs in; `newPassword` goes with a one-time password an administrator set (PASSWORD_CHANGE_REQUIRED without it). */
export async function signIn(username: string, password: string, newPassword?: string): Promise<Session> {
  const body = await call<{ token: string; user: { username: string; role: string } }>('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ username, password, ...(newPassword === undefined ? {} : { newPassword }) }) });
  const session = { token: body.token, username: body.user.username, role: body.user.role };
  sessionStorage.setItem(KEY, JSON.stringify(session));
  return session;
}

/** Signs out: the server forgets the token (best effort), then the tab does. */
export async function signOut(): Promise<void> {
  const token = currentSession()?.token;
  if (token !== undefined) await call('/api/v1/auth/logout', { method: 'POST', extraHeaders: { authorization: `Bearer ${token}` } }).catch(() => undefined);
  endSession();
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
