import { Transform } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { NotBlank, SafeText } from '../../http/text.decorators';
import { IsEmail, IsOptional, IsString, IsUrl, MaxLength, ValidateIf } from 'class-validator';
import { normalizeEmail } from '../email';

// The validation rules of each user field, shared by the create and update bodies.
// applyDecorators registers them in order and class-validator checks them in that order;
// stopAtFirstError keeps the first failure only, so the type check comes first.

/** Required unless `optional`; even then never null (the column is NOT NULL). Trimmed, lower-cased. */
export function UserEmail(options: { optional?: boolean } = {}) {
  return applyDecorators(
    ...(options.optional ? [ValidateIf((_object, value) => value !== undefined)] : []),
    SafeText(),
    IsEmail({}, { message: 'email must be an email address' }),
    MaxLength(254),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? normalizeEmail(value) : value,
    ),
  );
}

/**
 * Required unless `optional`; even then never null (Better Auth declares it required); not blank
 * (white space and zero-width characters only).
 */
export function UserName(options: { optional?: boolean } = {}) {
  return applyDecorators(
    ...(options.optional ? [ValidateIf((_object, value) => value !== undefined)] : []),
    IsString(),
    SafeText(),
    NotBlank(),
    MaxLength(200),
  );
}

/** Optional URL of the user's picture; null removes it. */
export function UserImage() {
  return applyDecorators(
    IsOptional(),
    SafeText(),
    IsUrl({ require_tld: false }, { message: 'image must be a URL' }),
    MaxLength(2048),
  );
}
