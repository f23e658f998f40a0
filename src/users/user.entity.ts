import { Check, Column, Entity, Index, OneToMany, type Relation } from 'typeorm';
import { TimestampedEntity } from '../database/timestamped.entity';
import type { Session } from '../sessions/session.entity';

/**
 * A person who can sign in: table `auth.users`.
 *
 * The columns are Better Auth's core `user` fields (id, email, emailVerified, name, image,
 * createdAt, updatedAt; better-auth.com/docs/concepts/database#user), so Better Auth can use
 * this table through its `modelName`/`fields` mapping without any change, plus the two fields of
 * its phone-number plugin (`phoneNumber`, `phoneNumberVerified`), so that plugin can be switched
 * on without a migration, and the four of its admin plugin (`role`, `banned`, `banReason`,
 * `banExpires`; better-auth.com/docs/plugins/admin#schema), which is on.
 *
 * Emails are unique regardless of case through the expression index `users_email_lower_key` on
 * `lower(email)` (made by the migrations: TypeORM cannot describe an expression index, so it is
 * told not to touch it). Any writer may store any case; this project and Better Auth store the
 * lower-cased form.
 */
@Entity({ schema: 'auth', name: 'users' })
@Index('users_email_lower_key', { synchronize: false })
@Check('users_phone_number_check', `phone_number ~ '^\\+[1-9][0-9]{1,14}$'`)
export class User extends TimestampedEntity {
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'boolean', default: false })
  emailVerified!: boolean;

  /** Required by Better Auth, which warns about a nullable column. */
  @Column({ type: 'text' })
  name!: string;

  /** URL of the user's picture. */
  @Column({ type: 'text', nullable: true })
  image!: string | null;

  /** A confirmed phone number in E.164 form (`+33612345678`), or null; one user per number. */
  @Column({ type: 'text', nullable: true, unique: true })
  phoneNumber!: string | null;

  /** Whether `phoneNumber` was confirmed with a code sent to it. */
  @Column({ type: 'boolean', default: false })
  phoneNumberVerified!: boolean;

  /**
   * Better Auth's admin plugin roles, comma-separated (`user`, `admin`); `admin` may call
   * `/api/auth/admin/*` and the routes marked `@Roles('admin')`. Never null: Better Auth writes a
   * role on every create and `set-role` takes only strings.
   */
  @Column({ type: 'text', default: 'user' })
  role!: string;

  /** Banned users cannot sign in, and their sessions are refused, until `banExpires` if set. */
  @Column({ type: 'boolean', default: false })
  banned!: boolean;

  /**
   * Why the user was banned. Not loaded unless asked for (`select: false`), so no response of
   * this API shows it; admins read it through Better Auth's `/api/auth/admin/list-users`.
   */
  @Column({ type: 'text', nullable: true, select: false })
  banReason?: string | null;

  /** The ban ends at this instant (UTC); null with `banned` is a ban without end. */
  @Column({ type: 'timestamptz', nullable: true })
  banExpires!: Date | null;

  @OneToMany('Session', (session: Session) => session.user)
  sessions?: Relation<Session[]>;
}
