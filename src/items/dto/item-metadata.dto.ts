import { ArrayMaxSize, IsArray, IsOptional, IsString, Length, ValidateBy } from 'class-validator';
import type { ItemMetadata } from '../item-metadata';

/** An object whose values are all strings of at most 500 characters, with at most 50 keys. */
function IsStringRecord() {
  return ValidateBy({
    name: 'isStringRecord',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.keys(value).length <= 50 &&
        Object.values(value).every((entry) => typeof entry === 'string' && entry.length <= 500),
      defaultMessage: () =>
        '$property must be an object of at most 50 string values of at most 500 characters',
    },
  });
}

/** `metadata` of an item: see {@link ItemMetadata}. */
export class ItemMetadataDto implements ItemMetadata {
  // The decorator nearest the property is checked first: the type, then the contents.
  @IsOptional()
  @Length(1, 50, { each: true })
  @IsString({ each: true })
  @ArrayMaxSize(20)
  @IsArray()
  tags?: string[];

  @IsOptional()
  @IsStringRecord()
  attributes?: Record<string, string>;
}
