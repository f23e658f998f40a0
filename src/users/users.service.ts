import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { isConstraintViolation, PG_UNIQUE_VIOLATION } from '../database/postgres-errors';
import type { ListUsersQuery } from './dto/list-users.query';
import type { UpdateUserDto } from './dto/update-user.dto';
import type { User } from './user.entity';
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
   * Changes the given fields. A new email is no longer verified.
   *
   * @throws NotFoundException (404) for an unknown id; ConflictException (409) for an email
   *   taken in any case (the unique index `users_email_lower_key`).
   */
  async update(id: string, input: UpdateUserDto): Promise<User> {
    const user = await this.findById(id);
    if (input.email !== undefined && input.email !== user.email) user.emailVerified = false;
    return this.saveUnique(this.users.merge(user, input));
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

  private async saveUnique(user: User): Promise<User> {
    try {
      return await this.users.save(user);
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
