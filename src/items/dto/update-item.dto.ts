import type { ItemStatus } from '../item-metadata';
import {
  ItemCategoryId,
  ItemDescription,
  ItemLocationId,
  ItemMetadataField,
  ItemStatusField,
  ItemTitle,
} from './item-fields';
import type { ItemMetadataDto } from './item-metadata.dto';

/** Body of `PATCH /users/:userId/items/:itemId`: any field; `metadata` replaces the whole object. */
export class UpdateItemDto {
  @ItemTitle(true)
  title?: string;

  @ItemDescription()
  description?: string | null;

  @ItemCategoryId(true)
  categoryId?: string;

  @ItemLocationId()
  locationId?: string | null;

  @ItemStatusField()
  status?: ItemStatus;

  @ItemMetadataField()
  metadata?: ItemMetadataDto;
}
