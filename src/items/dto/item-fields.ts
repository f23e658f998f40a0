import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsEnum,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { NotBlank, SafeText } from '../../http/text.decorators';
import { ItemStatus } from '../item-status';
import { ItemMetadataDto } from './item-metadata.dto';

// The validation rules of each item field, shared by the create and update bodies. applyDecorators
// registers them in order, and with stopAtFirstError the first failure is the one reported, so
// the type check comes first. `optional` fields may be absent but never null (NOT NULL columns).
// Each also describes the field to the OpenAPI spec, with the same limits.

const TITLE_MAX_LENGTH = 200;
const DESCRIPTION_MAX_LENGTH = 5000;

const absentOr = (optional: boolean) =>
  optional ? [ValidateIf((_object, value) => value !== undefined)] : [];

/**
 * `title`: not blank (white space and zero-width characters only), at most 200 characters;
 * `optional` allows it to be absent (never null).
 */
export const ItemTitle = (optional = false) =>
  applyDecorators(
    ...absentOr(optional),
    IsString(),
    SafeText(),
    NotBlank(),
    MaxLength(TITLE_MAX_LENGTH),
    ApiProperty({
      required: !optional,
      minLength: 1,
      maxLength: TITLE_MAX_LENGTH,
      description: 'Not blank (white space and zero-width characters only)',
      example: 'Road bike',
    }),
  );

/** Nullable: null clears it. */
export const ItemDescription = () =>
  applyDecorators(
    IsOptional(),
    IsString(),
    SafeText(),
    MaxLength(DESCRIPTION_MAX_LENGTH),
    ApiProperty({
      required: false,
      type: String,
      nullable: true,
      maxLength: DESCRIPTION_MAX_LENGTH,
      description: 'null clears it',
    }),
  );

/** `categoryId`: a UUID; `optional` allows it to be absent (not null: an item has a category). */
export const ItemCategoryId = (optional = false) =>
  applyDecorators(
    ...absentOr(optional),
    IsUUID(undefined, { message: 'categoryId must be a UUID' }),
    ApiProperty({ required: !optional, format: 'uuid' }),
  );

/** Nullable: null clears it. */
export const ItemLocationId = () =>
  applyDecorators(
    IsOptional(),
    IsUUID(undefined, { message: 'locationId must be a UUID' }),
    ApiProperty({
      required: false,
      type: String,
      nullable: true,
      format: 'uuid',
      description: 'null clears it',
    }),
  );

/** `status`: one of the `app.item_status` values; may be absent, not null. */
export const ItemStatusField = () =>
  applyDecorators(
    ValidateIf((_object, value) => value !== undefined),
    IsEnum(ItemStatus, { message: 'status must be one of draft, published, archived' }),
    ApiProperty({ required: false, enum: ItemStatus, enumName: 'ItemStatus' }),
  );

/** `metadata`: an object validated as {@link ItemMetadataDto}; may be absent, not null. */
export const ItemMetadataField = () =>
  applyDecorators(
    ValidateIf((_object, value) => value !== undefined),
    IsObject({ message: 'metadata must be an object' }),
    ValidateNested(),
    Type(() => ItemMetadataDto),
    ApiProperty({ required: false, type: () => ItemMetadataDto }),
  );
