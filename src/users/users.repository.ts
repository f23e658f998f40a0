import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import type { Role } from '../auth/roles';
import { normalizeEmail } from './email';
import { User } from './user.entity';

/**
 * The repository of {@link User}: TypeORM's `Repository<User>` plus the named queries of this
 * project. Inject it in any service or controller of a module that imports `UsersModule`.
 */
@Injectable()
export class UsersRepository extends Repository<User> {
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
    return this.find({ order: { createdAt: 'DESC', id: 'DESC' }, take: limit, skip: offset });
  }
}
