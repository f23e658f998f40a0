import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { RouteSchema } from '@nestjs/platform-fastify';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import { UuidParam } from '../http/param-format.pipe';
import { ITEM_PAGE_RESPONSE, okResponse } from '../http/response-schemas';
import { ApiError } from '../openapi/api-error.decorator';
import { CreateItemDto } from './dto/create-item.dto';
import { ListItemsQuery } from './dto/list-items.query';
import { UpdateItemDto } from './dto/update-item.dto';
import { ItemPageResponse, ItemResponse } from './item.response';
import { ItemsService } from './items.service';
import { OwnUserId } from '../sessions/own-user-id.decorator';

const NO_SUCH_ITEM = "Not the caller's id, or the user has no such item";

/** `/users/:userId/items`: the items a user owns; only that user reaches them (else 404). */
@Controller('users/:userId/items')
export class ItemsController {
  constructor(private readonly items: ItemsService) {}

  /** `POST /users/:userId/items`: 201 and the item (a draft by default); 404 for no such user. */
  @Post()
  @ApiCreatedResponse({ type: ItemResponse })
  @ApiError(404, "Not the caller's id")
  @ApiError(409, 'The category or the location does not exist')
  create(@OwnUserId('userId') userId: string, @Body() input: CreateItemDto): Promise<ItemResponse> {
    return this.items.create(userId, input);
  }

  /**
   * Newest first; `nextCursor` fetches the next page; soft-deleted items only on request. Written
   * by a serializer compiled from its schema: its answers (20 items a page) are the largest.
   */
  @Get()
  @ApiOkResponse({ type: ItemPageResponse })
  @RouteSchema(okResponse(ITEM_PAGE_RESPONSE))
  @ApiError(404, "Not the caller's id")
  list(
    @OwnUserId('userId') userId: string,
    @Query() query: ListItemsQuery,
  ): Promise<ItemPageResponse> {
    return this.items.list(userId, query);
  }

  /** The user's item, soft-deleted or not; 404 when the user has no such item. */
  @Get(':itemId')
  @ApiParam({ name: 'itemId', type: String, format: 'uuid' })
  @ApiOkResponse({ type: ItemResponse })
  @ApiError(404, NO_SUCH_ITEM)
  findOne(
    @OwnUserId('userId') userId: string,
    @Param('itemId', UuidParam) itemId: string,
  ): Promise<ItemResponse> {
    return this.items.findOne(userId, itemId);
  }

  /** Changes the given fields; `metadata` replaces the whole object; 404 as for GET. */
  @Patch(':itemId')
  @ApiParam({ name: 'itemId', type: String, format: 'uuid' })
  @ApiOkResponse({ type: ItemResponse })
  @ApiError(404, NO_SUCH_ITEM)
  @ApiError(409, 'The category or the location does not exist')
  update(
    @OwnUserId('userId') userId: string,
    @Param('itemId', UuidParam) itemId: string,
    @Body() input: UpdateItemDto,
  ): Promise<ItemResponse> {
    return this.items.update(userId, itemId, input);
  }

  /** Soft delete: the item is hidden, and can be restored. */
  @Delete(':itemId')
  @HttpCode(204)
  @ApiParam({ name: 'itemId', type: String, format: 'uuid' })
  @ApiNoContentResponse({ description: 'The item is hidden; it can be restored' })
  @ApiError(404, NO_SUCH_ITEM)
  remove(
    @OwnUserId('userId') userId: string,
    @Param('itemId', UuidParam) itemId: string,
  ): Promise<void> {
    return this.items.softDelete(userId, itemId);
  }

  /** Undoes a soft delete: 200 and the item; 404 as for GET. */
  @Post(':itemId/restore')
  @HttpCode(200)
  @ApiParam({ name: 'itemId', type: String, format: 'uuid' })
  @ApiOkResponse({ type: ItemResponse })
  @ApiError(404, NO_SUCH_ITEM)
  restore(
    @OwnUserId('userId') userId: string,
    @Param('itemId', UuidParam) itemId: string,
  ): Promise<ItemResponse> {
    return this.items.restore(userId, itemId);
  }
}
