import { ItemCategoryId, ItemTitle } from './item-fields';
import { ItemOptionalFieldsDto } from './item-optional-fields.dto';

/** Body of `POST /users/:userId/items`: `title` and `categoryId` are required. */
export class CreateItemDto extends ItemOptionalFieldsDto {
  @ItemTitle()
  title!: string;

  @ItemCategoryId()
  categoryId!: string;
}
