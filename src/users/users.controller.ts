import { Body, Controller, Delete, Get, HttpCode, Patch, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator';
import { ApiError } from '../openapi/api-error.decorator';
import { CurrentSession, CurrentUser } from '../sessions/current-session.decorator';
import { OwnUserId } from '../sessions/own-user-id.decorator';
import type { Session } from '../sessions/session.entity';
import { ListUsersQuery } from './dto/list-users.query';
import { UpdateUserDto } from './dto/update-user.dto';
import type { User } from './user.entity';
import { UserResponse } from './user.response';
import { UsersService } from './users.service';

/**
 * `/users`: the user resource. The entity is the response: the one field not for users' eyes,
 * `banReason`, is never loaded. Users are created by sign-up (`POST /api/auth/sign-up/email`) or
 * by an admin (`POST /api/auth/admin/create-user`); a signed-in user reaches only their own
 * record by id (another id answers 404, as an unknown one does); only admins list users.
 */
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /**
   * `GET /users?email=` (zero or one user) or `?limit=&offset=` (a page, newest first). Admins
   * only: 403 for anyone else.
   */
  @Get()
  @Roles('admin')
  @ApiOkResponse({ type: [UserResponse] })
  list(@Query() query: ListUsersQuery): Promise<UserResponse[]> {
    return this.users.list(query);
  }

  /** `GET /users/me`: the caller's own user, so that a client never needs its id. */
  @Get('me')
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentUser() user: User): Promise<UserResponse> {
    return this.users.findById(user.id);
  }

  /** `GET /users/:id`: the user; 404 when unknown, 400 for a malformed id. */
  @Get(':id')
  @ApiOkResponse({ type: UserResponse })
  @ApiError(404, "Not the caller's id")
  findOne(@OwnUserId('id') id: string): Promise<UserResponse> {
    return this.users.findById(id);
  }

  /**
   * `PATCH /users/:id`: changes the given fields; 404 when unknown; 409 for a taken email. A new
   * email revokes every session of the user but the caller's.
   */
  @Patch(':id')
  @ApiOkResponse({ type: UserResponse })
  @ApiError(404, "Not the caller's id")
  @ApiError(409, 'The email is taken')
  update(
    @OwnUserId('id') id: string,
    @Body() input: UpdateUserDto,
    @CurrentSession() session: Session,
  ): Promise<UserResponse> {
    return this.users.update(id, input, session.id);
  }

  /** `DELETE /users/:id`: 204; PostgreSQL deletes the user's sessions, items... (cascade). */
  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The user is deleted, with their sessions, items...' })
  @ApiError(404, "Not the caller's id")
  remove(@OwnUserId('id') id: string): Promise<void> {
    return this.users.remove(id);
  }
}
