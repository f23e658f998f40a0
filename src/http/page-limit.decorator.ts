import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Largest page a list endpoint returns. */
export const MAX_PAGE_LIMIT = 100;

/** The page size of a list endpoint when `limit` is absent. */
export const DEFAULT_PAGE_LIMIT = 20;

/**
 * The query string value as a number when it is plain decimal digits, with an optional minus
 * (`20`, `-1`, for the range check to name), else unchanged, so that the integer check refuses
 * it: `Number()` alone would read `1e2` as 100, `0x10` as 16 and ` 5` as 5.
 */
export const DecimalDigits = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?[0-9]+$/.test(value) ? Number(value) : value,
  );

/**
 * Validates the `limit` query parameter of a list endpoint: an optional integer from 1 to
 * {@link MAX_PAGE_LIMIT}, written in plain decimal digits ({@link DecimalDigits}); a wrong value
 * is a 400 naming `limit`. Give the property {@link DEFAULT_PAGE_LIMIT} as its initial value, the
 * default that the OpenAPI spec shows.
 */
export function PageLimit(): PropertyDecorator {
  // applyDecorators applies in list order, the reverse of stacked decorators: the type check
  // comes first so that `limit=many` is reported as not an integer.
  return applyDecorators(
    DecimalDigits(),
    IsInt(),
    Min(1),
    Max(MAX_PAGE_LIMIT),
    IsOptional(),
    ApiPropertyOptional({
      type: 'integer',
      minimum: 1,
      maximum: MAX_PAGE_LIMIT,
      default: DEFAULT_PAGE_LIMIT,
    }),
  );
}
