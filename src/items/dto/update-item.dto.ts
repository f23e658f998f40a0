import { ItemCategoryId, ItemTitle } from './item-fields';
import { ItemOptionalFieldsDto } from './item-optional-fields.dto';

/** Body of `PATCH /users/:userId/items/:itemId`: any field; `metadata` replaces the whole object. */
export class UpdateItemDto extends ItemOptionalFieldsDto {
  @ItemTitle(true)
  title?: string;

  @ItemCategoryId(true)
  categoryId?: string;
}
