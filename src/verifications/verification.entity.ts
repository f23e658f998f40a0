import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/**
 * A short-lived secret that proves control of something (an email link, a reset token). Table
 * `auth.verifications`, with Better Auth's core `verification` fields
 * (better-auth.com/docs/concepts/database#verification), looked up by `identifier`.
 */
@Entity({ schema: 'auth', name: 'verifications' })
export class Verification {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index()
  @Column({ type: 'text' })
  identifier!: string;

  @Column({ type: 'text' })
  value!: string;

  @Column({ type: 'timestamptz' })
  expiresAt!: Date;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
