import { Body, Controller, Delete, Get, HttpCode, Patch, Query } from '@nestjs/common';
import { CurrentSession } from '../sessions/current-session.decorator';
import { OwnUserId } from '../sessions/own-user-id.decorator';
import type { Session } from '../sessions/session.entity';
import { ListUsersQuery } from './dto/list-users.query';
import { UpdateUserDto } from './dto/update-user.dto';
import type { User } from './user.entity';
import { UsersService } from './users.service';

/**
 * `/users`: the user resource. A user holds no secret, so the entity is the response. Users are
 * created by sign-up (`POST /api/auth/sign-up/email`); a signed-in user reaches only their own
 * record by id (another id answers 404, as an unknown one does).
 */
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** `GET /users?email=` (zero or one user) or `?limit=&offset=` (a page, newest first). */
  @Get()
  list(@Query() query: ListUsersQuery): Promise<User[]> {
    return this.users.list(query);
  }

  /** `GET /users/:id`: the user; 404 when unknown, 400 for a malformed id. */
  @Get(':id')
  findOne(@OwnUserId('id') id: string): Promise<User> {
    return this.users.findById(id);
  }

  /**
   * `PATCH /users/:id`: changes the given fields; 404 when unknown; 409 for a taken email. A new
   * email revokes every session of the user but the caller's.
   */
  @Patch(':id')
  update(
    @OwnUserId('id') id: string,
    @Body() input: UpdateUserDto,
    @CurrentSession() session: Session,
  ): Promise<User> {
    return this.users.update(id, input, session.id);
  }

  /** `DELETE /users/:id`: 204; PostgreSQL deletes the user's sessions, items... (cascade). */
  @Delete(':id')
  @HttpCode(204)
  remove(@OwnUserId('id') id: string): Promise<void> {
    return this.users.remove(id);
  }
}
