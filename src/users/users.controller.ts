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

  @Post()
  create(@Body() input: CreateUserDto): Promise<User> {
    return this.users.create(input);
  }

  @Get()
  list(@Query() query: ListUsersQuery): Promise<User[]> {
    return this.users.list(query);
  }

  @Get(':id')
  findOne(@Param('id', UuidParam) id: string): Promise<User> {
    return this.users.findById(id);
  }

  @Patch(':id')
  update(@Param('id', UuidParam) id: string, @Body() input: UpdateUserDto): Promise<User> {
    return this.users.update(id, input);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Param('id', UuidParam) id: string): Promise<void> {
    return this.users.remove(id);
  }
}
