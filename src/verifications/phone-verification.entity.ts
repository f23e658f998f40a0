import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../database/timestamped.entity';
import type { User } from '../users/user.entity';

/** Wrong codes accepted before a phone verification is spent. */
export const PHONE_VERIFICATION_MAX_ATTEMPTS = 5;

/**
 * A one-time code sent by SMS to prove control of a phone number: table
 * `auth.phone_verifications`. Only a hash of the code is stored. The number is in E.164 form
 * (ITU-T E.164: `+`, a country code not starting with 0, at most 15 digits), and the attempt
 * counter stays within 0 to {@link PHONE_VERIFICATION_MAX_ATTEMPTS}; check constraints enforce both.
 */
@Entity({ schema: 'auth', name: 'phone_verifications' })
@Check('phone_verifications_phone_number_check', `phone_number ~ '^\\+[1-9][0-9]{1,14}$'`)
@Check(
  'phone_verifications_attempts_check',
  `attempts BETWEEN 0 AND ${PHONE_VERIFICATION_MAX_ATTEMPTS}`,
)
export class PhoneVerification extends TimestampedEntity {
  @Index()
  @Column({ type: 'text' })
  phoneNumber!: string;

  /** The user who asked, when signed in; a sign-up by phone has none yet. */
  @Index()
  @Column({ type: 'uuid', nullable: true })
  userId!: string | null;

  @ManyToOne('User', { onDelete: 'CASCADE', nullable: true })
  @JoinColumn()
  user?: Relation<User> | null;

  /** Hash of the one-time code (never the code itself). */
  @Column({ type: 'text' })
  codeHash!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  /** Wrong codes entered so far. */
  @Column({ type: 'smallint', default: 0 })
  attempts!: number;

  @Column({ type: 'timestamptz', nullable: true })
  verifiedAt!: Date | null;
}
