import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { UuidParam } from '../http/param-format.pipe';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQuery } from './dto/list-users.query';
import { UpdateUserDto } from './dto/update-user.dto';
import type { User } from './user.entity';
import { UsersService } from './users.service';

/** `/users`: the user resource. A user holds no secret, so the entity is the response. */
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** `POST /users`: 201 and the user; 400 naming a bad field; 409 when the email is taken. */
  @Post()
  create(@Body() input: CreateUserDto): Promise<User> {
    return this.users.create(input);
  }

  /** `GET /users?email=` (zero or one user) or `?limit=&offset=` (a page, newest first). */
  @Get()
  list(@Query() query: ListUsersQuery): Promise<User[]> {
    return this.users.list(query);
  }

  /** `GET /users/:id`: the user; 404 when unknown, 400 for a malformed id. */
  @Get(':id')
  findOne(@Param('id', UuidParam) id: string): Promise<User> {
    return this.users.findById(id);
  }

  /** `PATCH /users/:id`: changes the given fields; 404 when unknown; 409 for a taken email. */
  @Patch(':id')
  update(@Param('id', UuidParam) id: string, @Body() input: UpdateUserDto): Promise<User> {
    return this.users.update(id, input);
  }

  /** `DELETE /users/:id`: 204; PostgreSQL deletes the user's sessions, items... (cascade). */
  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', UuidParam) id: string): Promise<void> {
    return this.users.remove(id);
  }
}
