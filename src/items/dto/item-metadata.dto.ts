import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, Length, ValidateBy, ValidateIf } from 'class-validator';
import { isSafeText, SafeText } from '../../http/text.decorators';
import type { ItemMetadata } from '../item-metadata';

/**
 * An object whose values are all strings of at most 500 characters, with at most 50 keys; keys
 * and values free of NUL and unpaired surrogates (see `isSafeText`).
 */
function IsStringRecord() {
  return ValidateBy({
    name: 'isStringRecord',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length <= 50 &&
        Object.entries(value).every(
          ([key, entry]) =>
            typeof entry === 'string' &&
            entry.length <= 500 &&
            isSafeText(key) &&
            isSafeText(entry),
        ),
      defaultMessage: () =>
        '$property must be an object of at most 50 string values of at most 500 characters, without NUL or unpaired surrogates',
    },
  });
}

/** `metadata` of an item: see {@link ItemMetadata}. */
export class ItemMetadataDto implements ItemMetadata {
  // The decorator nearest the property is checked first: the type, then the contents. Absent is
  // fine, null is not (`tags: null` is no list of tags).
  @ApiPropertyOptional({
    type: 'array',
    items: { type: 'string', minLength: 1, maxLength: 50 },
    maxItems: 20,
    description: 'Free labels; absent is fine, null is not',
  })
  @ValidateIf((_object, value) => value !== undefined)
  @Length(1, 50, { each: true })
  @SafeText({ each: true })
  @IsString({ each: true })
  @ArrayMaxSize(20)
  @IsArray()
  tags?: string[];

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string', maxLength: 500 },
    maxProperties: 50,
    description: 'String attributes; absent is fine, null is not',
  })
  @ValidateIf((_object, value) => value !== undefined)
  @IsStringRecord()
  attributes?: Record<string, string>;
}
