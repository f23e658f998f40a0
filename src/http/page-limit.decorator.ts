import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Largest page a list endpoint returns. */
export const MAX_PAGE_LIMIT = 100;

/**
 * Validates the `limit` query parameter of a list endpoint: an optional integer from 1 to
 * {@link MAX_PAGE_LIMIT}, converted from the query string; a wrong value is a 400 naming `limit`.
 */
export function PageLimit(): PropertyDecorator {
  // applyDecorators applies in list order, the reverse of stacked decorators: the type check
  // comes first so that `limit=many` is reported as not an integer.
  return applyDecorators(
    Type(() => Number),
    IsInt(),
    Min(1),
    Max(MAX_PAGE_LIMIT),
    IsOptional(),
  );
}
