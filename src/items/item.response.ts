import { ApiProperty } from '@nestjs/swagger';
import { TimestampedResponse } from '../http/timestamped.response';
import { ItemMetadataDto } from './dto/item-metadata.dto';
import { ItemStatus } from './item-status';

/**
 * An item as the API shows it: every column of the {@link Item} entity. Handlers declare it as
 * their return type, so the compiler checks that the entity has every field listed here; the
 * OpenAPI e2e spec checks that nothing is missing.
 */
export class ItemResponse extends TimestampedResponse {
  @ApiProperty({ format: 'uuid' })
  userId!: string;

  @ApiProperty({ format: 'uuid' })
  categoryId!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  locationId!: string | null;

  @ApiProperty({ example: 'Road bike' })
  title!: string;

  @ApiProperty({ type: String, nullable: true })
  description!: string | null;

  @ApiProperty({ enum: ItemStatus, enumName: 'ItemStatus' })
  status!: ItemStatus;

  @ApiProperty({ type: () => ItemMetadataDto })
  metadata!: ItemMetadataDto;

  /** Set when the item is soft-deleted. */
  @ApiProperty({ type: Date, nullable: true, description: 'Set while the item is soft-deleted' })
  deletedAt!: Date | null;
}

/** A page of a user's items, newest first (`ItemPage`). */
export class ItemPageResponse {
  @ApiProperty({ type: () => [ItemResponse] })
  items!: ItemResponse[];

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The `cursor` of the next page; null on the last page',
  })
  nextCursor!: string | null;
}
