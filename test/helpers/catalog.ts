import type { DataSource } from 'typeorm';

/** What PostgreSQL's catalog holds for a set of schemas, in a stable order, for exact comparison. */
export interface Catalog {
  schemas: string[];
  columns: string[];
  constraints: string[];
  indexes: string[];
  functions: string[];
  triggers: string[];
}

/**
 * Reads the schemas, columns (type, nullability, default), constraints, indexes, functions and
 * triggers of `schemas` from `information_schema` and `pg_catalog`. PostgreSQL 18 lists NOT NULL
 * as constraints too; they are left out so that 15 and 18 compare alike (the columns say it).
 */
export async function readCatalog(dataSource: DataSource, schemas: string[]): Promise<Catalog> {
  const rows = async (sql: string) =>
    (await dataSource.query<{ line: string }[]>(sql, [schemas])).map((row) => row.line);
  return {
    schemas: await rows(
      `SELECT nspname AS line FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1`,
    ),
    columns: await rows(
      `SELECT format('%s.%s.%s %s %s default=%s', table_schema, table_name, column_name,
              data_type, CASE is_nullable WHEN 'YES' THEN 'null' ELSE 'not null' END,
              coalesce(column_default, '-')) AS line
         FROM information_schema.columns WHERE table_schema = ANY($1) ORDER BY 1`,
    ),
    constraints: await rows(
      `SELECT format('%s.%s %s', n.nspname, c.conname, pg_get_constraintdef(c.oid)) AS line
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
        WHERE n.nspname = ANY($1) AND c.contype <> 'n' ORDER BY 1`,
    ),
    indexes: await rows(
      `SELECT format('%s.%s', schemaname, indexdef) AS line FROM pg_indexes
        WHERE schemaname = ANY($1) ORDER BY 1`,
    ),
    functions: await rows(
      `SELECT format('%s.%s', n.nspname, p.proname) AS line
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = ANY($1) ORDER BY 1`,
    ),
    triggers: await rows(
      `SELECT format('%s.%s', n.nspname, pg_get_triggerdef(t.oid)) AS line
         FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND NOT t.tgisinternal ORDER BY 1`,
    ),
  };
}
