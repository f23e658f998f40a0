import { Column, Entity, Index, JoinColumn, ManyToOne, type Relation, Unique } from 'typeorm';
import { TimestampedEntity } from '../database/timestamped.entity';
import type { User } from '../users/user.entity';

/**
 * A way a user signs in: a password (`provider_id = 'credential'`) or an OAuth provider. Table
 * `auth.accounts`, with Better Auth's core `account` fields
 * (better-auth.com/docs/concepts/database#account); one account per provider and provider-side id.
 */
@Entity({ schema: 'auth', name: 'accounts' })
@Unique(['providerId', 'accountId'])
export class Account extends TimestampedEntity {
  @Index()
  @Column({ type: 'uuid' })
  userId!: string;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  user?: Relation<User>;

  /** The user's id at the provider (for `credential`, the user's own id). */
  @Column({ type: 'text' })
  accountId!: string;

  /** `credential`, `google`, `github`, ... */
  @Column({ type: 'text' })
  providerId!: string;

  @Column({ type: 'text', nullable: true })
  accessToken!: string | null;

  @Column({ type: 'text', nullable: true })
  refreshToken!: string | null;

  @Column({ type: 'text', nullable: true })
  idToken!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  accessTokenExpiresAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  refreshTokenExpiresAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  scope!: string | null;

  /** Password hash (Better Auth: scrypt) for `credential` accounts; never the password. */
  @Column({ type: 'text', nullable: true })
  password!: string | null;
}
