import type { EntityMetadata } from 'typeorm';

/**
 * The `RETURNING` (or select) list that gives back an entity's row under its property names:
 * `"user_id" AS "userId", ...`, every column that TypeORM selects by default (`select: false`
 * columns such as `users.ban_reason` stay out). Pass the rows to `repository.create()`.
 *
 * @param metadata the entity's metadata (`repository.metadata`).
 * @param alias a table alias to qualify the columns with, when the statement joins another one.
 */
export function returningColumns(metadata: EntityMetadata, alias?: string): string {
  const prefix = alias ? `${alias}.` : '';
  return metadata.columns
    .filter((column) => column.isSelect)
    .map((column) => `${prefix}"${column.databaseName}" AS "${column.propertyName}"`)
    .join(', ');
}
