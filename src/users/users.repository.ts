import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import type { Role } from '../auth/roles';
import { returningColumns } from '../database/returning-columns';
import { ReplicaReads } from '../database/replica-reads';
import { normalizeEmail } from './email';
import { User } from './user.entity';

/** The fields of a user that the user may change (`PATCH /users/:id`); `email` normalised. */
export type UserChanges = Partial<Pick<User, 'email' | 'name' | 'image'>>;

/**
 * The repository of {@link User}: TypeORM's `Repository<User>` plus the named queries of this
 * project. Inject it in any service or controller of a module that imports `UsersModule`.
 */
@Injectable()
export class UsersRepository extends Repository<User> {
  /**
   * The lag-tolerant reads, served by a replica when `DATABASE_REPLICA_URLS` names one; every
   * other query, the lookups by email and every write included, goes to the primary (docs/SCALING.md).
   */
  private readonly replica = ReplicaReads.of(this.manager.dataSource);
  constructor(dataSource: DataSource) {
    super(User, dataSource.createEntityManager());
  }

  /**
   * Finds a user by email, in any case and with surrounding spaces, through the unique index on
   * `lower(email)`; null when none.
   */
  findOneByEmail(email: string): Promise<User | null> {
    return this.createQueryBuilder('user')
      .where('lower(user.email) = :email', { email: normalizeEmail(email) })
      .getOne();
  }

  /**
   * Sets the role of the user with this email (in any case, with surrounding spaces), in one
   * conditional UPDATE through the unique index on `lower(email)`. The user's sessions stay: the
   * guard and Better Auth read the role on every request, so it counts at once.
   *
   * @returns the user's id, or null when no user has this email.
   */
  async setRoleByEmail(email: string, role: Role): Promise<string | null> {
    // TypeORM answers an UPDATE with [rows, row count].
    const [rows] = await this.manager.query<[{ id: string }[], number]>(
      `UPDATE auth.users SET role = $2 WHERE lower(email) = $1 RETURNING id`,
      [normalizeEmail(email), role],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * A page of users, newest first.
   *
   * @param limit at most this many (1 to 100).
   * @param offset how many to skip.
   */
  findPage(limit: number, offset: number): Promise<User[]> {
    return this.replica.read((manager) =>
      manager.find(User, { order: { createdAt: 'DESC', id: 'DESC' }, take: limit, skip: offset }),
    );
  }

  /**
   * Applies `changes` to the user, in one statement that locks the row first (`FOR UPDATE` in a
   * CTE) so that it knows the email it replaces: a new email (compared with the stored one) is
   * no longer verified. A user deleted concurrently is left alone, never inserted again.
   *
   * @param manager the transaction's manager, when the caller has more to do in it.
   * @returns the user as changed and whether its email changed, or null for an unknown id.
   * @throws QueryFailedError (unique `users_email_lower_key`) for an email taken in any case.
   */
  async updateProfile(
    id: string,
    changes: UserChanges,
    manager: EntityManager = this.manager,
  ): Promise<{ user: User; emailChanged: boolean } | null> {
    const assignments = ['updated_at = now()'];
    const parameters: unknown[] = [id];
    for (const field of ['email', 'name', 'image'] as const) {
      if (changes[field] === undefined) continue;
      parameters.push(changes[field]);
      assignments.push(`${field} = $${parameters.length}`);
      // The right-hand side of SET reads the row as it was: the old email.
      if (field === 'email') {
        assignments.push(`email_verified = u.email_verified AND u.email = $${parameters.length}`);
      }
    }
    const [rows] = await manager.query<[(User & { emailChanged: boolean })[], number]>(
      `WITH old AS (SELECT email FROM auth.users WHERE id = $1 FOR UPDATE)
       UPDATE auth.users AS u SET ${assignments.join(', ')}
         FROM old WHERE u.id = $1
       RETURNING ${returningColumns(this.metadata, 'u')}, u.email <> old.email AS "emailChanged"`,
      parameters,
    );
    const [row] = rows;
    if (!row) return null;
    const { emailChanged, ...user } = row;
    return { user: this.create(user), emailChanged };
  }
}
