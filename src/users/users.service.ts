import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { type EntityManager, Not } from 'typeorm';
import { isConstraintViolation, PG_UNIQUE_VIOLATION } from '../database/postgres-errors';
import { Session } from '../sessions/session.entity';
import type { ListUsersQuery } from './dto/list-users.query';
import type { UpdateUserDto } from './dto/update-user.dto';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

/** Reads, updates and deletes users, with HTTP-ready errors (sign-up creates them). */
@Injectable()
export class UsersService {
  constructor(private readonly users: UsersRepository) {}

  /** @throws NotFoundException (404) when no user has this id. */
  async findById(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw new NotFoundException(`User ${id} not found`);
    return user;
  }

  /** The user with `query.email` (zero or one), or a page of users, newest first. */
  async list(query: ListUsersQuery): Promise<User[]> {
    if (query.email !== undefined) {
      const user = await this.users.findOneByEmail(query.email);
      return user ? [user] : [];
    }
    return this.users.findPage(query.limit, query.offset);
  }

  /**
   * Changes the given fields, in one transaction with the user's row locked. A new email is no
   * longer verified, and every other session of the user is revoked, in the same transaction:
   * whoever controlled the account under the old address is signed out.
   *
   * @param currentSessionId the caller's session, which stays.
   * @throws NotFoundException (404) for an unknown id; ConflictException (409) for an email
   *   taken in any case (the unique index `users_email_lower_key`).
   */
  update(id: string, input: UpdateUserDto, currentSessionId: string): Promise<User> {
    return this.users.manager.transaction(async (manager) => {
      const user = await manager.findOne(User, {
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!user) throw new NotFoundException(`User ${id} not found`);
      const emailChanged = input.email !== undefined && input.email !== user.email;
      if (emailChanged) user.emailVerified = false;
      const saved = await this.saveUnique(this.users.merge(user, input), manager);
      if (emailChanged) await manager.delete(Session, { userId: id, id: Not(currentSessionId) });
      return saved;
    });
  }

  /**
   * Deletes the user; PostgreSQL deletes its sessions (`ON DELETE CASCADE`).
   *
   * @throws NotFoundException (404) when no user has this id.
   */
  async remove(id: string): Promise<void> {
    const result = await this.users.delete({ id });
    if (!result.affected) throw new NotFoundException(`User ${id} not found`);
  }

  private async saveUnique(user: User, manager: EntityManager): Promise<User> {
    try {
      return await manager.save(user);
    } catch (error) {
      if (isConstraintViolation(error, PG_UNIQUE_VIOLATION, 'users_email_lower_key')) {
        throw new ConflictException({
          message: 'email is already taken',
          details: [{ field: 'email', message: 'email is already taken' }],
        });
      }
      throw error;
    }
  }
}
