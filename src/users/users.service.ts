import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Not } from 'typeorm';
import { isConstraintViolation, PG_UNIQUE_VIOLATION } from '../database/postgres-errors';
import { Session } from '../sessions/session.entity';
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
   * Changes the given fields in one conditional UPDATE that locks the row (see
   * `UsersRepository.updateProfile`): a PATCH racing the user's deletion lands before it or
   * answers 404, and never brings the user back. A new email is no longer verified, and every
   * other session of the user is revoked in the same transaction: whoever controlled the account
   * under the old address is signed out.
   *
   * @param currentSessionId the caller's session, which stays.
   * @throws NotFoundException (404) for an unknown id; ConflictException (409) for an email
   *   taken in any case (the unique index `users_email_lower_key`).
   */
  update(id: string, input: UpdateUserDto, currentSessionId: string): Promise<User> {
    return this.users.manager.transaction(async (manager) => {
      const updated = await this.conflictOnTakenEmail(() =>
        this.users.updateProfile(id, input, manager),
      );
      if (!updated) throw new NotFoundException(`User ${id} not found`);
      if (updated.emailChanged) {
        await manager.delete(Session, { userId: id, id: Not(currentSessionId) });
      }
      return updated.user;
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

  private async conflictOnTakenEmail<T>(write: () => Promise<T>): Promise<T> {
    try {
      return await write();
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
