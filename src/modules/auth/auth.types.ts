/** Roles, least to most powerful: analysts read, officers act, admins also manage users and the audit log. */
export const ROLES = ['analyst', 'officer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: number;
  username: string;
  role: Role;
}

/** Where a sign-in or an account change came from: written to the audit log (never a password or a token). */
export interface ClientContext {
  address: string;
  userAgent?: string;
}

/** A session as its owner sees it in the list: the token itself is never shown again. */
export interface SessionInfo {
  id: number;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  /** The session the request listing them came with. */
  current: boolean;
}

/** Whether `user` has `needed` or a more powerful role. */
export function hasRole(user: User, needed: Role): boolean {
  return ROLES.indexOf(user.role) >= ROLES.indexOf(needed);
}
