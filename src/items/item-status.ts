/** Publication state of an item: PostgreSQL enum `app.item_status`. */
export enum ItemStatus {
  Draft = 'draft',
  Published = 'published',
  Archived = 'archived',
}
