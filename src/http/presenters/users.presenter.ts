import Type from 'typebox';
import type { Role } from '../../modules/auth/auth.service.js';
import { Nullable } from '../schemas.js';

/** Console users as admins see them: never a password hash or a session token. */

export const UserRowSchema = Type.Object({ username: Type.String(), role: Type.String(), createdAt: Type.String(), disabledAt: Nullable(Type.String()), activeSessions: Type.Integer() });

export function presentUser(u: { username: string; role: Role; createdAt: Date; disabledAt: Date | null; activeSessions: number }) {
  return { username: u.username, role: u.role, createdAt: u.createdAt.toISOString(), disabledAt: u.disabledAt?.toISOString() ?? null, activeSessions: u.activeSessions };
}
