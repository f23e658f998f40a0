import { isUUID } from 'class-validator';

/**
 * Keyset pagination cursor of the item listing: the `created_at` of the last item, to the
 * microsecond (JavaScript dates stop at the millisecond, which would skip or repeat items), and
 * its id, encoded as base64url so that clients treat it as opaque.
 */
export interface ItemCursor {
  /** UTC timestamp as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
  createdAt: string;
  id: string;
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([0-9a-f-]{36})$/;

/** @returns the opaque `nextCursor` string (base64url) for the item `cursor` describes. */
export function encodeItemCursor(cursor: ItemCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`).toString('base64url');
}

/**
 * @returns the cursor, or undefined when `value` is not one this API produced: the text does not
 *   match, the instant does not exist (`2026-02-30`, or the year 0000, which JavaScript accepts
 *   and PostgreSQL refuses), or the id is not a UUID.
 */
export function decodeItemCursor(value: string): ItemCursor | undefined {
  const match = CURSOR.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) return undefined;
  const [, createdAt, id] = match as unknown as [string, string, string];
  // Date.parse rolls 02-30 over to 03-02; comparing the date back refuses it.
  const parsed = new Date(createdAt.replace(/\d{3}Z$/, 'Z'));
  if (
    Number.isNaN(parsed.getTime()) ||
    parsed.getUTCFullYear() < 1 ||
    !createdAt.startsWith(parsed.toISOString().slice(0, 23))
  ) {
    return undefined;
  }
  return isUUID(id) ? { createdAt, id } : undefined;
}
