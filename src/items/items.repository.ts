import { Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { Item } from './item.entity';
import type { ItemStatus } from './item-metadata';
import { encodeItemCursor, type ItemCursor } from './item-cursor';

/** Filters and position of a page of a user's items. */
export interface ItemPageQuery {
  userId: string;
  limit: number;
  status?: ItemStatus;
  categoryId?: string;
  /** Soft-deleted items are left out unless this is true. */
  includeDeleted?: boolean;
  /** Start after this item (exclusive). */
  after?: ItemCursor;
}

/** A page of items, newest first, and the cursor of the next page (null on the last one). */
export interface ItemPage {
  items: Item[];
  nextCursor: string | null;
}

/** The repository of {@link Item}. */
@Injectable()
export class ItemsRepository extends Repository<Item> {
  constructor(dataSource: DataSource) {
    super(Item, dataSource.createEntityManager());
  }

  /**
   * A page of a user's items, newest first (created_at, then id), by keyset: the index
   * `items_user_id_created_at_id_idx` serves it in one query, however deep the page.
   */
  async findPage(query: ItemPageQuery): Promise<ItemPage> {
    const builder = this.createQueryBuilder('item')
      .addSelect(
        `to_char(item.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`,
        'cursor_created_at',
      )
      .where('item.userId = :userId', { userId: query.userId })
      .orderBy('item.createdAt', 'DESC')
      .addOrderBy('item.id', 'DESC')
      .limit(query.limit + 1);
    if (query.includeDeleted) builder.withDeleted();
    if (query.status) builder.andWhere('item.status = :status', { status: query.status });
    if (query.categoryId) {
      builder.andWhere('item.categoryId = :categoryId', { categoryId: query.categoryId });
    }
    if (query.after) {
      builder.andWhere(
        '(item.created_at, item.id) < (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))',
        {
          afterAt: query.after.createdAt,
          afterId: query.after.id,
        },
      );
    }
    const { entities, raw } = await builder.getRawAndEntities<{ cursor_created_at: string }>();
    const items = entities.slice(0, query.limit);
    const last = items.at(-1);
    const hasMore = entities.length > query.limit;
    return {
      items,
      nextCursor:
        hasMore && last
          ? encodeItemCursor({ createdAt: raw[items.length - 1]!.cursor_created_at, id: last.id })
          : null,
    };
  }
}
