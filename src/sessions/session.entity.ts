import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../database/timestamped.entity';
import type { User } from '../users/user.entity';

/**
 * A signed-in session of a user: table `auth.sessions`.
 *
 * The columns are Better Auth's core `session` fields (id, userId, token, expiresAt, ipAddress,
 * userAgent, createdAt, updatedAt; better-auth.com/docs/concepts/database#session). Deleting the
 * user deletes its sessions (`ON DELETE CASCADE`); `user_id` is indexed so that the cascade and
 * "all sessions of a user" do not scan the table.
 *
 * `impersonatedBy` is the admin plugin's field: the admin who opened this session as its user
 * (`POST /api/auth/admin/impersonate-user`), null for the user's own sessions. Deleting that admin
 * deletes the sessions they opened (`ON DELETE CASCADE`): kept with a null they would pass for the
 * user's own.
 */
@Entity({ schema: 'auth', name: 'sessions' })
export class Session extends TimestampedEntity {
  @Index()
  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', (user: User) => user.sessions, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  user?: Relation<User>;

  /**
   * The SHA-256 of the bearer token, 64 lower-case hex digits (`hashSessionToken`), never the
   * token itself (32 letters and digits from a CSPRNG that only the client keeps). Better Auth
   * writes and looks it up through `hashedSessionTokens` (`src/auth`), the guard through
   * `SessionsRepository.findValidByToken`, both hashing the token presented.
   */
  @Column({ type: 'text', unique: true })
  token!: string;

  /**
   * The session is invalid from this instant on (UTC). Indexed for the expired-session clean-up,
   * which takes the oldest expired rows in batches.
   */
  @Index()
  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'text', nullable: true })
  ipAddress!: string | null;

  @Column({ type: 'text', nullable: true })
  userAgent!: string | null;

  @Index()
  @Column({ type: 'uuid', nullable: true })
  impersonatedBy!: string | null;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'impersonated_by' })
  impersonator?: Relation<User> | null;
}
