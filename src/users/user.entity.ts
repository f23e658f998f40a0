import { Check, Column, Entity, OneToMany, type Relation } from 'typeorm';
import { TimestampedEntity } from '../database/timestamped.entity';
import type { Session } from '../sessions/session.entity';

/**
 * A person who can sign in: table `auth.users`.
 *
 * The columns are Better Auth's core `user` fields (id, email, emailVerified, name, image,
 * createdAt, updatedAt; better-auth.com/docs/concepts/database#user), so Better Auth can use
 * this table through its `modelName`/`fields` mapping without any change.
 */
@Entity({ schema: 'auth', name: 'users' })
@Check('users_email_check', `email = lower(btrim(email))`)
export class User extends TimestampedEntity {
  /** Trimmed and lower-cased (the check constraint refuses anything else), so unique regardless of case. */
  @Column({ type: 'text', unique: true })
  email!: string;

  @Column({ type: 'boolean', default: false })
  emailVerified!: boolean;

  /** Required by Better Auth, which warns about a nullable column. */
  @Column({ type: 'text' })
  name!: string;

  /** URL of the user's picture. */
  @Column({ type: 'text', nullable: true })
  image!: string | null;

  @OneToMany('Session', (session: Session) => session.user)
  sessions?: Relation<Session[]>;
}
