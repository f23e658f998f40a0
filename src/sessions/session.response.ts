import type { User } from '../users/user.entity';
import type { Session } from './session.entity';

/** A session as the API shows it: never the token. */
export interface SessionResponse {
  id: string;
  userId: string;
  expiresAt: Date;
  ipAddress: string | null;
  userAgent: string | null;
  createdAt: Date;
  updatedAt: Date;
  user?: User;
}

/** Drops the token (and anything else not listed) from a session. */
export function toSessionResponse(session: Session): SessionResponse {
  const { id, userId, expiresAt, ipAddress, userAgent, createdAt, updatedAt, user } = session;
  return { id, userId, expiresAt, ipAddress, userAgent, createdAt, updatedAt, user };
}
