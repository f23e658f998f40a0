import { Column, Entity, Index } from 'typeorm';
import { TimestampedEntity } from '../database/timestamped.entity';

/**
 * A short-lived secret that proves control of something (an email link, a reset token). Table
 * `auth.verifications`, with Better Auth's core `verification` fields
 * (better-auth.com/docs/concepts/database#verification), looked up by `identifier`.
 */
@Entity({ schema: 'auth', name: 'verifications' })
export class Verification extends TimestampedEntity {
  @Index()
  @Column({ type: 'text' })
  identifier!: string;

  @Column({ type: 'text' })
  value!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;
}
