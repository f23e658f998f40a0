import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { UserEmail } from './user-fields';

/** Query of `GET /users`: `email` finds one user; otherwise a page, newest first. */
export class ListUsersQuery {
  @UserEmail({ optional: true })
  email?: string;

  @IsOptional()
  @Max(100)
  @Min(1)
  @IsInt()
  @Type(() => Number)
  limit = 20;

  @IsOptional()
  @Min(0)
  @IsInt()
  @Type(() => Number)
  offset = 0;
}
