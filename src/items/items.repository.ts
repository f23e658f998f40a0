import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, Repository } from 'typeorm';
import { returningColumns } from '../database/returning-columns';
import { ReplicaReads } from '../database/replica-reads';
import { Item } from './item.entity';
import type { ItemStatus } from './item-status';
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

/** The fields of an item that its owner may change (`PATCH`). */
export type ItemChanges = Partial<
  Pick<Item, 'title' | 'description' | 'categoryId' | 'locationId' | 'status' | 'metadata'>
>;

/**
 * The repository of {@link Item}. Every change to an existing item is one conditional statement
 * (`UPDATE ... WHERE id AND user_id [AND deleted_at IS NULL] RETURNING`): never a read followed
 * by `save()`, which writes back a row that was soft-deleted in between (clearing `deleted_at`).
 */
@Injectable()
export class ItemsRepository extends Repository<Item> {
  /**
   * The lag-tolerant reads, served by a replica when `DATABASE_REPLICA_URLS` names one; every
   * other query, reads of one item and every write included, goes to the primary (docs/SCALING.md).
   */
  private readonly replica = ReplicaReads.of(this.manager.dataSource);
  constructor(dataSource: DataSource) {
    super(Item, dataSource.createEntityManager());
  }

  /**
   * A page of a user's items, newest first (created_at, then id), by keyset: the index
   * `items_user_id_created_at_id_idx` serves it in one query, however deep the page.
   */
  findPage(query: ItemPageQuery): Promise<ItemPage> {
    return this.replica.read((manager) => this.readPage(manager, query));
  }

  private async readPage(manager: EntityManager, query: ItemPageQuery): Promise<ItemPage> {
    const builder = manager
      .createQueryBuilder(Item, 'item')
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

  /**
   * Applies `changes` to the user's item if it is live, in one conditional UPDATE: an item
   * soft-deleted concurrently is left alone, and the caller learns it (null).
   *
   * @returns the item as changed, or null when the user has no live item with this id.
   * @throws QueryFailedError (foreign keys `items_category_id_fkey`, `items_location_id_fkey`)
   *   for an unknown category or location.
   */
  async updateLive(userId: string, itemId: string, changes: ItemChanges): Promise<Item | null> {
    const set = Object.fromEntries(
      Object.entries(changes).filter(([, value]) => value !== undefined),
    ) as ItemChanges;
    const result = await this.createQueryBuilder()
      .update(Item)
      .set(set)
      .where({ id: itemId, userId, deletedAt: IsNull() })
      .returning(returningColumns(this.metadata))
      .execute();
    const [row] = result.raw as Item[];
    return row ? this.create(row) : null;
  }

  /**
   * Clears `deleted_at` of the user's item, in one statement; a live item is returned unchanged
   * (its `updated_at` too).
   *
   * @returns the item, live, or null when the user has no item with this id.
   */
  async restoreOwned(userId: string, itemId: string): Promise<Item | null> {
    const columns = returningColumns(this.metadata);
    // Both branches read the statement's snapshot: a restored row appears once, from `restored`.
    const rows = await this.query<Item[]>(
      `WITH restored AS (
         UPDATE app.items SET deleted_at = NULL
          WHERE id = $1 AND user_id = $2 AND deleted_at IS NOT NULL
          RETURNING *)
       SELECT ${columns} FROM restored
       UNION ALL
       SELECT ${columns} FROM app.items WHERE id = $1 AND user_id = $2 AND deleted_at IS NULL`,
      [itemId, userId],
    );
    return rows[0] ? this.create(rows[0]) : null;
  }
}
