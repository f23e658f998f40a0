import type { QueryConfig } from 'pg';
import { HOT_PATH_TYPES } from '../database/timestamptz-parser';
import { Item } from './item.entity';
import type { ItemMetadata } from './item-metadata';
import type { ItemStatus } from './item-status';

/*
 * The item list runs on every page a client fetches, so, like the session lookup, it bypasses
 * TypeORM's query building and result mapping: building the SQL and mapping 21 rows to entities
 * took about 0.16 ms of each list request in a CPU profile (docs/PERFORMANCE.md), and TypeORM
 * sends an unnamed statement that PostgreSQL plans on every call. These are two named prepared
 * statements, one for a first page and one for a page after a cursor: the cursor must stay a
 * bound of the index scan on `items_user_id_created_at_id_idx`, which a single statement with an
 * optional cursor (`$n IS NULL OR ...`) would lose in PostgreSQL's generic plan. The other filters
 * are optional parameters, tested on the rows the index scan returns.
 */

/** The columns of a page's rows, and each row's `created_at` to the microsecond for the cursor. */
const COLUMNS = `id, user_id, category_id, location_id, title, description, status, metadata,
       deleted_at, created_at, updated_at,
       to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_created_at`;

/**
 * A user's items, newest first (`created_at`, then `id`). `$1` user id, `$2` whether soft-deleted
 * items are included, `$3` a status or null, `$4` a category id or null, `$5` the row limit.
 */
export const ITEM_FIRST_PAGE_SQL = `SELECT ${COLUMNS}
  FROM app.items
 WHERE user_id = $1
   AND ($2::boolean OR deleted_at IS NULL)
   AND ($3::app.item_status IS NULL OR status = $3::app.item_status)
   AND ($4::uuid IS NULL OR category_id = $4::uuid)
 ORDER BY created_at DESC, id DESC
 LIMIT $5`;

/** {@link ITEM_FIRST_PAGE_SQL} after the item `($6 created_at, $7 id)`, exclusive. */
export const ITEM_NEXT_PAGE_SQL = `SELECT ${COLUMNS}
  FROM app.items
 WHERE user_id = $1
   AND (created_at, id) < ($6::timestamptz, $7::uuid)
   AND ($2::boolean OR deleted_at IS NULL)
   AND ($3::app.item_status IS NULL OR status = $3::app.item_status)
   AND ($4::uuid IS NULL OR category_id = $4::uuid)
 ORDER BY created_at DESC, id DESC
 LIMIT $5`;

/** Names of the two prepared statements on each connection. */
export const ITEM_PAGE_STATEMENTS = { first: 'app_item_first_page', next: 'app_item_next_page' };

/** One row of a page, as `pg` parses it (timestamptz as Date, jsonb as an object). */
export interface ItemPageRow {
  id: string;
  user_id: string;
  category_id: string;
  location_id: string | null;
  title: string;
  description: string | null;
  status: ItemStatus;
  metadata: ItemMetadata;
  deleted_at: Date | null;
  created_at: Date;
  updated_at: Date;
  /** `created_at` in UTC as `YYYY-MM-DDTHH:MM:SS.ffffffZ`, the cursor's form. */
  cursor_created_at: string;
}

/** Filters and position of a page; `limit` is the number of rows asked of the database. */
export interface ItemPageParameters {
  userId: string;
  limit: number;
  status?: ItemStatus;
  categoryId?: string;
  includeDeleted?: boolean;
  after?: { createdAt: string; id: string };
}

/**
 * The query config for `pg`'s `query`.
 *
 * @param named true: a named prepared statement ({@link ITEM_PAGE_STATEMENTS}); false: unnamed,
 *   parsed and planned on each call (`DATABASE_PREPARED_STATEMENTS=false`, for PgBouncer before
 *   1.21 in transaction pooling mode). Either way timestamps are parsed with `HOT_PATH_TYPES`.
 */
export function itemPageQuery(page: ItemPageParameters, named: boolean): QueryConfig {
  const values: unknown[] = [
    page.userId,
    page.includeDeleted === true,
    page.status ?? null,
    page.categoryId ?? null,
    page.limit,
  ];
  if (page.after) values.push(page.after.createdAt, page.after.id);
  const text = page.after ? ITEM_NEXT_PAGE_SQL : ITEM_FIRST_PAGE_SQL;
  if (!named) return { text, values, types: HOT_PATH_TYPES };
  return {
    name: page.after ? ITEM_PAGE_STATEMENTS.next : ITEM_PAGE_STATEMENTS.first,
    text,
    values,
    types: HOT_PATH_TYPES,
  };
}

/** The {@link Item} entity a page row describes (relations not loaded). */
export function toItemEntity(row: ItemPageRow): Item {
  const item = new Item();
  item.id = row.id;
  item.userId = row.user_id;
  item.categoryId = row.category_id;
  item.locationId = row.location_id;
  item.title = row.title;
  item.description = row.description;
  item.status = row.status;
  item.metadata = row.metadata;
  item.deletedAt = row.deleted_at;
  item.createdAt = row.created_at;
  item.updatedAt = row.updated_at;
  return item;
}
