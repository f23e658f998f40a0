import type { ItemStatus } from '../item-status';
import { ItemDescription, ItemLocationId, ItemMetadataField, ItemStatusField } from './item-fields';
import type { ItemMetadataDto } from './item-metadata.dto';

/** The item fields that are optional both when creating and when updating an item. */
export abstract class ItemOptionalFieldsDto {
  /** Null clears it. */
  @ItemDescription()
  description?: string | null;

  /** Null clears it. */
  @ItemLocationId()
  locationId?: string | null;

  /** Default `draft` on creation. */
  @ItemStatusField()
  status?: ItemStatus;

  /** Replaces the whole object on update. */
  @ItemMetadataField()
  metadata?: ItemMetadataDto;
}
