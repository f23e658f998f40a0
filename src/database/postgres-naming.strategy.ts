import type { Table } from 'typeorm';
import { SnakeNamingStrategy } from 'typeorm-naming-strategies';

/**
 * snake_case tables and columns (from `typeorm-naming-strategies`), plus constraint and index
 * names in the style PostgreSQL gives its own (`<table>_<columns>_<suffix>`, see "CREATE TABLE"
 * in the PostgreSQL docs): `users_pkey`, `users_email_key`, `sessions_user_id_fkey`,
 * `sessions_user_id_idx`. TypeORM's default names are hashes such as `PK_a3ff...`.
 *
 * Column names arrive here as database names, in declaration order. Check constraints have no
 * columns to derive a name from, so every `@Check` names itself (`users_email_check`).
 */
export class PostgresNamingStrategy extends SnakeNamingStrategy {
  override primaryKeyName(tableOrName: Table | string): string {
    return `${this.bareTableName(tableOrName)}_pkey`;
  }

  override uniqueConstraintName(tableOrName: Table | string, columnNames: string[]): string {
    return this.constraintName(tableOrName, columnNames, 'key');
  }

  override relationConstraintName(tableOrName: Table | string, columnNames: string[]): string {
    return this.constraintName(tableOrName, columnNames, 'key');
  }

  override foreignKeyName(tableOrName: Table | string, columnNames: string[]): string {
    return this.constraintName(tableOrName, columnNames, 'fkey');
  }

  override indexName(tableOrName: Table | string, columnNames: string[]): string {
    return this.constraintName(tableOrName, columnNames, 'idx');
  }

  override checkConstraintName(tableOrName: Table | string, expression: string): string {
    throw new Error(
      `Give the check constraint on ${this.bareTableName(tableOrName)} a name: @Check('<table>_<column>_check', '${expression}')`,
    );
  }

  private constraintName(tableOrName: Table | string, columnNames: string[], suffix: string) {
    return [this.bareTableName(tableOrName), ...columnNames, suffix].join('_');
  }

  /** `auth.users` and `users` both give `users`: PostgreSQL scopes constraint names per schema. */
  private bareTableName(tableOrName: Table | string): string {
    const name = this.getTableName(tableOrName);
    return name.slice(name.lastIndexOf('.') + 1);
  }
}
