import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { isConstraintViolation, PG_FOREIGN_KEY_VIOLATION } from '../database/postgres-errors';
import { UsersRepository } from '../users/users.repository';
import type { CreateItemDto } from './dto/create-item.dto';
import type { ListItemsQuery } from './dto/list-items.query';
import type { UpdateItemDto } from './dto/update-item.dto';
import type { Item } from './item.entity';
import { decodeItemCursor } from './item-cursor';
import { type ItemPage, ItemsRepository } from './items.repository';

/** A user's items: create, read, list, update, soft delete and restore, with HTTP-ready errors. */
@Injectable()
export class ItemsService {
  constructor(
    private readonly items: ItemsRepository,
    private readonly users: UsersRepository,
  ) {}

  /**
   * @throws NotFoundException (404) for an unknown user; BadRequestException (400) naming
   *   `categoryId` or `locationId` when it does not exist (the foreign keys decide).
   */
  async create(userId: string, input: CreateItemDto): Promise<Item> {
    return this.mapForeignKeys(userId, () =>
      this.items.save(this.items.create({ ...input, userId })),
    );
  }

  /**
   * @param withDeleted also find a soft-deleted item.
   * @throws NotFoundException (404) when the user has no such item.
   */
  async findOne(userId: string, itemId: string, withDeleted = false): Promise<Item> {
    const item = await this.items.findOne({ where: { id: itemId, userId }, withDeleted });
    if (!item) throw new NotFoundException(`Item ${itemId} not found`);
    return item;
  }

  /**
   * A page of the user's items, newest first.
   *
   * @throws BadRequestException (400) naming `cursor` when it is not one this API produced;
   *   NotFoundException (404) for an unknown user.
   */
  async list(userId: string, query: ListItemsQuery): Promise<ItemPage> {
    const after = query.cursor === undefined ? undefined : decodeItemCursor(query.cursor);
    if (query.cursor !== undefined && !after) {
      const message = 'cursor must be the nextCursor of a previous page';
      throw new BadRequestException({ message, details: [{ field: 'cursor', message }] });
    }
    const page = await this.items.findPage({ ...query, userId, after });
    // An empty page, first or not (a cursor can be forged), is an unknown user's or a real one.
    if (page.items.length === 0 && !(await this.users.existsBy({ id: userId }))) {
      throw new NotFoundException(`User ${userId} not found`);
    }
    return page;
  }

  /**
   * Changes the given fields of a live item, in one conditional UPDATE, so that a PATCH racing
   * the soft delete either lands before it or answers 404, and never brings the item back.
   *
   * @throws NotFoundException (404) when the user has no live item with this id;
   *   BadRequestException (400) naming `categoryId` or `locationId` when it does not exist.
   */
  async update(userId: string, itemId: string, input: UpdateItemDto): Promise<Item> {
    const item = await this.mapForeignKeys(userId, () =>
      this.items.updateLive(userId, itemId, input),
    );
    if (!item) throw new NotFoundException(`Item ${itemId} not found`);
    return item;
  }

  /** Sets `deleted_at`. @throws NotFoundException (404) when there is no live item to delete. */
  async softDelete(userId: string, itemId: string): Promise<void> {
    const result = await this.items.softDelete({ id: itemId, userId });
    if (!result.affected) throw new NotFoundException(`Item ${itemId} not found`);
  }

  /** Clears `deleted_at`; restoring a live item changes nothing. @throws NotFoundException (404). */
  async restore(userId: string, itemId: string): Promise<Item> {
    const item = await this.items.restoreOwned(userId, itemId);
    if (!item) throw new NotFoundException(`Item ${itemId} not found`);
    return item;
  }

  /** Runs `write`, turning the item's foreign key violations into the HTTP errors above. */
  private async mapForeignKeys<T>(userId: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isConstraintViolation(error, PG_FOREIGN_KEY_VIOLATION, 'items_user_id_fkey')) {
        throw new NotFoundException(`User ${userId} not found`);
      }
      for (const field of ['categoryId', 'locationId'] as const) {
        const constraint =
          field === 'categoryId' ? 'items_category_id_fkey' : 'items_location_id_fkey';
        if (isConstraintViolation(error, PG_FOREIGN_KEY_VIOLATION, constraint)) {
          const message = `${field} does not exist`;
          throw new BadRequestException({ message, details: [{ field, message }] });
        }
      }
      throw error;
    }
  }
}
