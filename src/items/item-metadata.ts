/** The shape of `app.items.metadata` (jsonb): free labels and string attributes. */
export interface ItemMetadata {
  tags?: string[];
  attributes?: Record<string, string>;
}
