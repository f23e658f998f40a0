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

export function encodeItemCursor(cursor: ItemCursor): string {
  return Buffer.from(`${cursor.createdAt}|${cursor.id}`).toString('base64url');
}

/** @returns the cursor, or undefined when `value` is not one this API produced. */
export function decodeItemCursor(value: string): ItemCursor | undefined {
  const match = CURSOR.exec(Buffer.from(value, 'base64url').toString('utf8'));
  return match ? { createdAt: match[1]!, id: match[2]! } : undefined;
}
