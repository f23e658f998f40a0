import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, IsUUID } from 'class-validator';
import { DEFAULT_PAGE_LIMIT, PageLimit } from '../../http/page-limit.decorator';
import { SafeText } from '../../http/text.decorators';
import { ItemStatus } from '../item-status';

/** Query of `GET /users/:userId/items`. */
export class ListItemsQuery {
  @ApiPropertyOptional({ enum: ItemStatus, enumName: 'ItemStatus' })
  @IsOptional()
  @IsEnum(ItemStatus, { message: 'status must be one of draft, published, archived' })
  status?: ItemStatus;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID(undefined, { message: 'categoryId must be a UUID' })
  categoryId?: string;

  @PageLimit()
  limit = DEFAULT_PAGE_LIMIT;

  /** `nextCursor` of the previous page. */
  @ApiPropertyOptional({ description: '`nextCursor` of the previous page' })
  @IsOptional()
  @SafeText()
  @IsString()
  cursor?: string;

  /** `true` lists soft-deleted items too. */
  @ApiPropertyOptional({ description: '`true` lists soft-deleted items too', default: false })
  @IsOptional()
  @IsBoolean({ message: 'includeDeleted must be true or false' })
  @Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  )
  includeDeleted?: boolean;
}
