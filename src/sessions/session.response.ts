import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UserResponse } from '../users/user.response';
import type { Session } from './session.entity';

/**
 * A session as the API shows it: never the token. `impersonatedBy` is the id of the admin who
 * opened it as its user (Better Auth's `impersonate-user`), null for the user's own session.
 */
export class SessionResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  impersonatedBy!: string | null;

  @ApiProperty()
  expiresAt!: Date;

  @ApiProperty({ type: String, nullable: true })
  ipAddress!: string | null;

  @ApiProperty({ type: String, nullable: true })
  userAgent!: string | null;

  @ApiProperty()
  createdAt!: Date;

  @ApiProperty()
  updatedAt!: Date;

  @ApiPropertyOptional({ type: () => UserResponse })
  user?: UserResponse;
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
