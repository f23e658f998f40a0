import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DecimalDigits, DEFAULT_PAGE_LIMIT, PageLimit } from '../../http/page-limit.decorator';
import { UserEmail } from './user-fields';

/** Query of `GET /users`: `email` finds one user; otherwise a page, newest first. */
export class ListUsersQuery {
  @UserEmail({ optional: true })
  email?: string;

  @PageLimit()
  limit = DEFAULT_PAGE_LIMIT;

  /** At most 1000000: deeper pages are slow (PostgreSQL reads and drops every skipped row). */
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 1_000_000, default: 0 })
  @IsOptional()
  @Max(1_000_000)
  @Min(0)
  @IsInt()
  @DecimalDigits()
  offset = 0;
}
