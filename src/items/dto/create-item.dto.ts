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

/** Body of `POST /users/:userId/items`. */
export class CreateItemDto {
  @ItemTitle()
  title!: string;

  @ItemDescription()
  description?: string | null;

  @ItemCategoryId()
  categoryId!: string;

  @ItemLocationId()
  locationId?: string | null;

  /** Default `draft`. */
  @ItemStatusField()
  status?: ItemStatus;

  @ItemMetadataField()
  metadata?: ItemMetadataDto;
}
