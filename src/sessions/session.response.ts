import type { User } from '../users/user.entity';
import type { Session } from './session.entity';

/**
 * A session as the API shows it: never the token. `impersonatedBy` is the id of the admin who
 * opened it as its user (Better Auth's `impersonate-user`), null for the user's own session.
 */
export interface SessionResponse {
  id: string;
  userId: string;
  impersonatedBy: string | null;
  expiresAt: Date;
  ipAddress: string | null;
  userAgent: string | null;
  createdAt: Date;
  updatedAt: Date;
  user?: User;
}

/** Drops the token (and anything else not listed) from a session. */
export function toSessionResponse(session: Session): SessionResponse {
  const { id, userId, impersonatedBy, expiresAt, ipAddress, userAgent, createdAt, updatedAt } =
    session;
  return {
    id,
    userId,
    impersonatedBy,
    expiresAt,
    ipAddress,
    userAgent,
    createdAt,
    updatedAt,
    user: session.user,
  };
}
