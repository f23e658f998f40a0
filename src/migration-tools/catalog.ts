import type { Queryable } from './migration-history';

/**
 * What PostgreSQL's catalog holds for a set of schemas, one line per object in a stable order, for
 * exact comparison (two snapshots are equal when the schema is the same).
 */
export interface Catalog {
  schemas: string[];
  /** Tables, views and sequences: `schema.name kind`. */
  tables: string[];
  /** `schema.table.column type null|not null default=...`. */
  columns: string[];
  constraints: string[];
  indexes: string[];
  /** `schema.type = label, label, ...`. */
  enums: string[];
  /** `schema.name(argument types)`. */
  functions: string[];
  triggers: string[];
}

/** Every schema but PostgreSQL's own (pg_catalog, pg_toast, information_schema, temporary ones). */
const USER_SCHEMAS = `SELECT nspname FROM pg_namespace
  WHERE nspname <> 'information_schema' AND nspname !~ '^pg_'`;

/**
 * Reads the schemas, tables, columns (type, nullability, default), constraints, indexes, enums,
 * functions (with their argument types) and triggers of `schemas` from `information_schema` and
 * `pg_catalog`. PostgreSQL 18 lists NOT NULL as constraints too; they are left out so that 15 and
 * 18 compare alike (the columns say it).
 *
 * @param db a DataSource or QueryRunner on the database to read.
 * @param schemas the schemas to read; every user schema when omitted.
 */
export async function readCatalog(db: Queryable, schemas?: string[]): Promise<Catalog> {
  const names =
    schemas ??
    ((await db.query(`${USER_SCHEMAS} ORDER BY 1`)) as { nspname: string }[]).map(
      (row) => row.nspname,
    );
  const rows = async (sql: string) =>
    ((await db.query(sql, [names])) as { line: string }[]).map((row) => row.line);
  return {
    schemas: await rows(
      `SELECT nspname AS line FROM pg_namespace WHERE nspname = ANY($1) ORDER BY 1`,
    ),
    tables: await rows(
      `SELECT format('%s.%s %s', n.nspname, c.relname,
              CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table'
                WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'S' THEN 'sequence'
                ELSE 'foreign table' END) AS line
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') ORDER BY 1`,
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
    enums: await rows(
      `SELECT format('%s.%s = %s', n.nspname, t.typname,
              string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)) AS line
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
         JOIN pg_enum e ON e.enumtypid = t.oid
        WHERE n.nspname = ANY($1) GROUP BY n.nspname, t.typname ORDER BY 1`,
    ),
    functions: await rows(
      `SELECT format('%s.%s(%s)', n.nspname, p.proname,
              pg_get_function_identity_arguments(p.oid)) AS line
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
