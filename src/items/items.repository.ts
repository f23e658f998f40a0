import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, Repository } from 'typeorm';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/environment';
import { queryThrough } from '../database/postgres-pool';
import { returningColumns } from '../database/returning-columns';
import { ReplicaReads } from '../database/replica-reads';
import { Item } from './item.entity';
import type { ItemStatus } from './item-status';
import { type ItemPageRow, itemPageQuery, toItemEntity } from './item-page.query';
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
  /** Whether the page query is a named prepared statement (`DATABASE_PREPARED_STATEMENTS`). */
  private readonly namedStatements: boolean;

  constructor(dataSource: DataSource, @Inject(APP_CONFIG) config: AppConfig) {
    super(Item, dataSource.createEntityManager());
    this.namedStatements = config.DATABASE_PREPARED_STATEMENTS;
  }

  /**
   * A page of a user's items, newest first (created_at, then id), by keyset: the index
   * `items_user_id_created_at_id_idx` serves it in one query, however deep the page (a prepared
   * statement of `item-page.query.ts`, mapped by hand).
   */
  findPage(query: ItemPageQuery): Promise<ItemPage> {
    return this.replica.read((manager) => this.readPage(manager, query));
  }

  private async readPage(manager: EntityManager, query: ItemPageQuery): Promise<ItemPage> {
    const rows = await queryThrough<ItemPageRow>(
      manager,
      itemPageQuery({ ...query, limit: query.limit + 1 }, this.namedStatements),
    );
    const found = rows.slice(0, query.limit);
    const last = found.at(-1);
    return {
      items: found.map(toItemEntity),
      nextCursor:
        rows.length > query.limit && last
          ? encodeItemCursor({ createdAt: last.cursor_created_at, id: last.id })
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
