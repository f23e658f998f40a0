import type { QueryRunner } from 'typeorm';

/**
 * The rows one step of a seed inserted: the table (`schema.table`) and the primary keys (`id`,
 * uuid) of the rows it actually inserted, not those that were there already.
 */
export interface InsertedRows {
  table: string;
  ids: string[];
}

/**
 * A data change (reference or demo data), applied and reverted like a migration but recorded in
 * `public.seed_history` with the keys of the rows it inserted, so that `down` deletes exactly
 * those rows and never one a user added or changed to the same values.
 *
 * A seed class lives in `migrations/seeds/<unix ms>-<PascalName>.ts`, is named
 * `<PascalName><unix ms>`, and runs in a transaction of its own.
 */
export abstract class Seed {
  /** Demo data for local development: applied only by `seed:run --demo`, never by default. */
  readonly demo: boolean = false;

  /**
   * Inserts the seed's rows with `INSERT ... ON CONFLICT DO NOTHING RETURNING id` (see
   * {@link insertReturningIds}), so that a row already there is left as it is.
   *
   * @returns the rows inserted, step by step in the order of insertion; `down` deletes them in
   *   the reverse order, so a step may refer to the rows of an earlier one.
   */
  abstract up(queryRunner: QueryRunner): Promise<InsertedRows[]>;

  /**
   * Deletes the rows that `up` inserted, last step first. Override it only for a seed that does
   * more than insert rows.
   *
   * @param inserted what `up` returned, as recorded in `public.seed_history`.
   * @throws QueryFailedError when a row is still referenced by one the seed did not insert (an
   *   `ON DELETE RESTRICT` foreign key): the transaction is rolled back whole.
   */
  async down(queryRunner: QueryRunner, inserted: InsertedRows[]): Promise<void> {
    for (const { table, ids } of [...inserted].reverse()) {
      if (ids.length === 0) continue;
      await queryRunner.query(`DELETE FROM ${quoteTable(table)} WHERE id = ANY($1::uuid[])`, [ids]);
    }
  }
}

/**
 * Runs an `INSERT ... ON CONFLICT DO NOTHING RETURNING id` statement and gives the ids that
 * PostgreSQL actually inserted (a row skipped on conflict returns nothing).
 *
 * @param table `schema.table`, as `down` will delete from it.
 * @param sql the statement; it must end with `RETURNING id`.
 */
export async function insertReturningIds(
  queryRunner: QueryRunner,
  table: string,
  sql: string,
  parameters: unknown[],
): Promise<InsertedRows> {
  const rows = (await queryRunner.query(sql, parameters)) as { id: string }[];
  return { table, ids: rows.map((row) => row.id) };
}

/** `master.locations` -> `"master"."locations"`; refuses anything but two lower-case names. */
function quoteTable(table: string): string {
  if (!/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(table)) {
    throw new Error(`Seed history names an unexpected table: ${table}`);
  }
  return table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');
}
