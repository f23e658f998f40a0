import { Transform } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { NotBlank, SafeText } from '../../http/text.decorators';
import { IsEmail, IsOptional, IsString, IsUrl, MaxLength, ValidateIf } from 'class-validator';
import { normalizeEmail } from '../email';

// The validation rules of each user field, shared by the create and update bodies.
// applyDecorators registers them in order and class-validator checks them in that order;
// stopAtFirstError keeps the first failure only, so the type check comes first. Each also
// describes the field to the OpenAPI spec, with the same limits.

const EMAIL_MAX_LENGTH = 254;
const NAME_MAX_LENGTH = 200;
const IMAGE_MAX_LENGTH = 2048;

/** Required unless `optional`; even then never null (the column is NOT NULL). Trimmed, lower-cased. */
export function UserEmail(options: { optional?: boolean } = {}) {
  return applyDecorators(
    ...(options.optional ? [ValidateIf((_object, value) => value !== undefined)] : []),
    SafeText(),
    IsEmail({}, { message: 'email must be an email address' }),
    MaxLength(EMAIL_MAX_LENGTH),
    ApiProperty({
      required: !options.optional,
      format: 'email',
      maxLength: EMAIL_MAX_LENGTH,
      example: 'ada@example.com',
    }),
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
    MaxLength(NAME_MAX_LENGTH),
    ApiProperty({
      required: !options.optional,
      minLength: 1,
      maxLength: NAME_MAX_LENGTH,
      description: 'Not blank (white space and zero-width characters only)',
      example: 'Ada Lovelace',
    }),
  );
}

/** Optional URL of the user's picture; null removes it. */
export function UserImage() {
  return applyDecorators(
    IsOptional(),
    SafeText(),
    IsUrl({ require_tld: false }, { message: 'image must be a URL' }),
    MaxLength(IMAGE_MAX_LENGTH),
    ApiProperty({
      required: false,
      type: String,
      nullable: true,
      format: 'uri',
      maxLength: IMAGE_MAX_LENGTH,
      description: 'null removes the image',
    }),
  );
}
