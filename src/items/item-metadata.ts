/** The shape of `app.items.metadata` (jsonb): free labels and string attributes. */
export interface ItemMetadata {
  tags?: string[];
  attributes?: Record<string, string>;
}

/** Publication state of an item: PostgreSQL enum `app.item_status`. */
export enum ItemStatus {
  Draft = 'draft',
  Published = 'published',
  Archived = 'archived',
}
