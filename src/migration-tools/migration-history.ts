import { MIGRATIONS_TABLE } from '../database/data-source-options';

/** Anything that runs SQL: a DataSource or a QueryRunner. */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** One row of `public.migration_history`. */
export interface AppliedMigration {
  id: number;
  /** The 13-digit Unix time in milliseconds that ends the migration's name. */
  timestamp: number;
  name: string;
}

/**
 * The applied migrations, in the order they were applied (by id).
 *
 * @returns an empty list when the history table does not exist yet (nothing was ever applied).
 */
export async function readHistory(db: Queryable): Promise<AppliedMigration[]> {
  const [found] = (await db.query(`SELECT to_regclass($1) IS NOT NULL AS found`, [
    `public.${MIGRATIONS_TABLE}`,
  ])) as { found: boolean }[];
  if (!found?.found) return [];
  const rows = (await db.query(
    `SELECT id, timestamp, name FROM public.${MIGRATIONS_TABLE} ORDER BY id`,
  )) as { id: number; timestamp: string; name: string }[];
  return rows.map((row) => ({ id: row.id, timestamp: Number(row.timestamp), name: row.name }));
}
