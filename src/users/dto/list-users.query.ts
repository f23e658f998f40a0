import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DecimalDigits, PageLimit } from '../../http/page-limit.decorator';
import { UserEmail } from './user-fields';

/** Query of `GET /users`: `email` finds one user; otherwise a page, newest first. */
export class ListUsersQuery {
  @UserEmail({ optional: true })
  email?: string;

  @PageLimit()
  limit = 20;

  /** At most 1000000: deeper pages are slow (PostgreSQL reads and drops every skipped row). */
  @IsOptional()
  @Max(1_000_000)
  @Min(0)
  @IsInt()
  @DecimalDigits()
  offset = 0;
}
