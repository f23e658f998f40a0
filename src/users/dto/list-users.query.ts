import { Type } from 'class-transformer';
import { IsInt, IsOptional, Min } from 'class-validator';
import { PageLimit } from '../../http/page-limit.decorator';
import { UserEmail } from './user-fields';

/** Query of `GET /users`: `email` finds one user; otherwise a page, newest first. */
export class ListUsersQuery {
  @UserEmail({ optional: true })
  email?: string;

  @PageLimit()
  limit = 20;

  @IsOptional()
  @Min(0)
  @IsInt()
  @Type(() => Number)
  offset = 0;
}
