import { Client } from 'pg';
import { runPendingMigrations } from './migrator';
import { createScratchDatabase } from './scratch-database';

/** The schemas of `docs/schema.sql`: the data, then the migration bookkeeping in `public`. */
export const SNAPSHOT_SCHEMAS = ['auth', 'master', 'app', 'public'];

/** The schemas drawn in the diagram of `docs/SCHEMA.md`: the data, not the bookkeeping. */
export const DIAGRAM_SCHEMAS = ['auth', 'master', 'app'];

/** Thrown when the schema holds what the snapshot cannot render, rather than leaving it out. */
export class UnsupportedSchemaObjectError extends Error {
  override readonly name = 'UnsupportedSchemaObjectError';
}

/** A column as the snapshot renders it. */
export interface SnapshotColumn {
  name: string;
  /** `format_type`: `timestamp with time zone`, `app.item_status`, `character(64)`. */
  type: string;
  notNull: boolean;
  /** The DDL after the type: `DEFAULT ...`, `GENERATED ...`, `COLLATE ...` (may be empty). */
  extra: string;
}

/** A constraint: `kind` is pg_constraint.contype (`p`, `u`, `c`, `f`, `x`). */
export interface SnapshotConstraint {
  name: string;
  kind: string;
  definition: string;
  /** The constrained columns, in key order. */
  columns: string[];
  /** For a foreign key: the referenced table, `schema.table`. */
  references?: string;
}

/** A table with everything that hangs on it. */
export interface SnapshotTable {
  schema: string;
  name: string;
  /** `schema.name`, each quoted where SQL needs it. */
  qualified: string;
  columns: SnapshotColumn[];
  constraints: SnapshotConstraint[];
  /** `CREATE INDEX` statements of the indexes that back no constraint. */
  indexes: string[];
  /** `CREATE TRIGGER` statements. */
  triggers: string[];
  /** Sequences owned by a column (serial): `ALTER SEQUENCE ... OWNED BY ...` statements. */
  ownedSequences: string[];
}

/** What the catalogue holds for a list of schemas, read with an empty search_path. */
export interface SchemaSnapshot {
  /** The schemas that exist, quoted where SQL needs it. */
  schemas: string[];
  /** `CREATE TYPE ... AS ENUM` statements. */
  enums: string[];
  /** `pg_get_functiondef` texts. */
  functions: string[];
  /** `CREATE SEQUENCE` statements (not those of identity columns). */
  sequences: string[];
  tables: SnapshotTable[];
}

type Rows = Record<string, unknown>[];

/**
 * Reads the schemas' objects from `pg_catalog` over a connection of its own to `url`, in one
 * read-only transaction with an empty search_path, so that every name in the generated text is
 * schema-qualified whatever the role's settings. Only catalogue functions whose output PostgreSQL
 * 15 and 18 print alike are used (NOT NULL is a column property here, not one of PostgreSQL 18's
 * `n` constraints), so both versions give the same snapshot. Owners, privileges and storage
 * settings are left out.
 *
 * @param url a PostgreSQL URL of the database to read.
 * @param schemas the schemas to read, in the order they are rendered.
 * @throws UnsupportedSchemaObjectError when a schema holds a kind of object the snapshot does not
 *   render (a view, a domain, a policy...), so that nothing is silently missing.
 */
export async function readSchemaSnapshot(
  url: string,
  schemas: string[] = SNAPSHOT_SCHEMAS,
): Promise<SchemaSnapshot> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    // SET LOCAL in one transaction: a pooler in transaction mode keeps it for every query.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET LOCAL search_path = ''`);
    const query = async (sql: string) => (await client.query(sql, [schemas])).rows as Rows;
    const unsupported = await query(UNSUPPORTED_SQL);
    if (unsupported.length > 0)
      throw new UnsupportedSchemaObjectError(
        `The schema snapshot cannot render ${unsupported.map((row) => String(row.what)).join(', ')}` +
          ': extend src/migration-tools/schema-snapshot.ts',
      );
    const present = await query(SCHEMAS_SQL);
    const lines = async (sql: string) => (await query(sql)).map((row) => String(row.line));
    const byTable = (rows: Rows) => {
      const map = new Map<string, Rows>();
      for (const row of rows) {
        const key = String(row.tbl);
        map.set(key, [...(map.get(key) ?? []), row]);
      }
      return map;
    };
    const columns = byTable(await query(COLUMNS_SQL));
    const constraints = byTable(await query(CONSTRAINTS_SQL));
    const indexes = byTable(await query(INDEXES_SQL));
    const triggers = byTable(await query(TRIGGERS_SQL));
    const owned = byTable(await query(OWNED_SEQUENCES_SQL));
    const tables = (await query(TABLES_SQL)).map((row): SnapshotTable => {
      const key = String(row.tbl);
      return {
        schema: String(row.schema),
        name: String(row.name),
        qualified: String(row.qualified),
        columns: (columns.get(key) ?? []).map((column) => ({
          name: String(column.name),
          type: String(column.type),
          notNull: column.not_null === true,
          extra: String(column.extra),
        })),
        constraints: (constraints.get(key) ?? []).map((constraint) => ({
          name: String(constraint.name),
          kind: String(constraint.kind),
          definition: String(constraint.definition),
          columns: constraint.columns as string[],
          ...(constraint.refs ? { references: constraint.refs as string } : {}),
        })),
        indexes: (indexes.get(key) ?? []).map((index) => String(index.line)),
        triggers: (triggers.get(key) ?? []).map((trigger) => String(trigger.line)),
        ownedSequences: (owned.get(key) ?? []).map((sequence) => String(sequence.line)),
      };
    });
    const order = (name: string) => schemas.indexOf(name);
    tables.sort((a, b) => order(a.schema) - order(b.schema) || compare(a.name, b.name));
    return {
      schemas: present
        .sort((a, b) => order(String(a.name)) - order(String(b.name)))
        .map((row) => String(row.quoted)),
      enums: await lines(ENUMS_SQL),
      functions: await lines(FUNCTIONS_SQL),
      sequences: await lines(SEQUENCES_SQL),
      tables,
    };
  } finally {
    await client.end();
  }
}

/** Byte order, as PostgreSQL's "C" collation sorts, whatever the locale of the machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The snapshot as SQL in the spirit of `pg_dump --schema-only`: schemas, enum types, functions,
 * sequences, then each table with its constraints, indexes and triggers, then the foreign keys, one
 * statement per paragraph. It runs on an empty database (the foreign keys come after every
 * table).
 * `public` itself is not created: every database has it.
 */
export function renderSchemaSql(snapshot: SchemaSnapshot): string {
  const statements: string[] = [
    ...snapshot.schemas.filter((name) => name !== 'public').map((name) => `CREATE SCHEMA ${name};`),
    ...snapshot.enums.map((line) => `${line};`),
    ...snapshot.functions.map((text) => `${text.trimEnd()};`),
    ...snapshot.sequences.map((line) => `${line};`),
  ];
  for (const table of snapshot.tables) {
    const body = [
      ...table.columns.map((column) =>
        ['   ', column.name, column.type, column.extra, column.notNull ? 'NOT NULL' : '']
          .filter(Boolean)
          .join(' '),
      ),
      ...table.constraints
        .filter((constraint) => constraint.kind !== 'f')
        .map((constraint) => `    CONSTRAINT ${constraint.name} ${constraint.definition}`),
    ];
    statements.push(`CREATE TABLE ${table.qualified} (\n${body.join(',\n')}\n);`);
    statements.push(...table.ownedSequences.map((line) => `${line};`));
    statements.push(...table.indexes.map((line) => `${line};`));
    statements.push(...table.triggers.map((line) => `${line};`));
  }
  for (const table of snapshot.tables)
    for (const constraint of table.constraints.filter((c) => c.kind === 'f'))
      statements.push(
        `ALTER TABLE ONLY ${table.qualified}\n` +
          `    ADD CONSTRAINT ${constraint.name} ${constraint.definition};`,
      );
  return `${statements.join('\n\n')}\n`;
}

const SHORT_TYPES: Record<string, string> = {
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz',
  'time without time zone': 'time',
  'character varying': 'varchar',
  character: 'char',
};

/** A type as a Mermaid attribute type: one word, without the schema. */
function mermaidType(type: string): string {
  const [base = type, size = ''] = type.split(/(?=\()/);
  const short = SHORT_TYPES[base] ?? base.replace(/^[a-z_]+\./, '');
  return `${short}${size}`.replace(/[^A-Za-z0-9_()[\]]/g, '_');
}

/**
 * The snapshot as a Mermaid `erDiagram` (the lines inside the code fence). Entities are named
 * `<schema>_<table>`; each column shows its type, its keys (PK, FK, UK for a one-column unique
 * constraint) and, quoted, `nullable` and a foreign key's ON DELETE action. A foreign key draws a
 * line from the referenced table labelled with the referencing column: `|o` when the column is
 * nullable, `o|` on the many side when it is unique.
 */
export function renderErDiagram(snapshot: SchemaSnapshot): string {
  const entity = (qualified: string) => qualified.replace('.', '_');
  const lines = ['erDiagram'];
  for (const table of snapshot.tables)
    for (const key of table.constraints.filter((c) => c.kind === 'f' && c.references)) {
      const nullable = key.columns.some(
        (name) => !table.columns.find((column) => column.name === name)?.notNull,
      );
      const unique = table.constraints.some(
        (c) => (c.kind === 'u' || c.kind === 'p') && c.columns.join() === key.columns.join(),
      );
      lines.push(
        `    ${entity(key.references!)} ${nullable ? '|o' : '||'}--${unique ? 'o|' : 'o{'} ` +
          `${entity(`${table.schema}.${table.name}`)} : "${key.columns.join(', ')}"`,
      );
    }
  for (const table of snapshot.tables) {
    lines.push(`    ${entity(`${table.schema}.${table.name}`)} {`);
    for (const column of table.columns) {
      const on = (kind: string) =>
        table.constraints.filter(
          (c) =>
            c.kind === kind &&
            c.columns.includes(column.name) &&
            (kind !== 'u' || c.columns.length === 1),
        );
      const keys = [
        on('p').length > 0 ? 'PK' : '',
        on('f').length > 0 ? 'FK' : '',
        on('u').length > 0 ? 'UK' : '',
      ].filter(Boolean);
      const notes = [
        column.notNull ? '' : 'nullable',
        ...on('f').map(
          (c) => /ON DELETE ([A-Z ]+?)(?: DEFERRABLE|$)/.exec(c.definition)?.[0] ?? '',
        ),
      ].filter(Boolean);
      lines.push(
        `        ${mermaidType(column.type)} ${column.name}` +
          (keys.length > 0 ? ` ${keys.join(', ')}` : '') +
          (notes.length > 0 ? ` "${notes.join(', ')}"` : ''),
      );
    }
    lines.push('    }');
  }
  return `${lines.join('\n')}\n`;
}

/** The lines that open and close the generated diagram in `docs/SCHEMA.md`. */
export const DIAGRAM_START = '<!-- The diagram below is written by npm run db:schema. -->';
export const DIAGRAM_END = '<!-- The diagram above is written by npm run db:schema. -->';

/**
 * `markdown` with the Mermaid block between {@link DIAGRAM_START} and {@link DIAGRAM_END} replaced
 * by `diagram`.
 *
 * @throws Error when either marker is missing.
 */
export function replaceDiagram(markdown: string, diagram: string): string {
  const start = markdown.indexOf(DIAGRAM_START);
  const end = markdown.indexOf(DIAGRAM_END);
  if (start < 0 || end < start)
    throw new Error(`The diagram markers are missing: "${DIAGRAM_START}" ... "${DIAGRAM_END}"`);
  return (
    markdown.slice(0, start + DIAGRAM_START.length) +
    `\n\n\`\`\`mermaid\n${diagram}\`\`\`\n\n` +
    markdown.slice(end)
  );
}

/** The first lines of `docs/schema.sql`. */
export const SCHEMA_SQL_HEADER = `-- The schema that the migrations in migrations/ build on an empty database, read from
-- PostgreSQL's catalogue by \`npm run db:schema\` (src/bin/write-schema.ts), which rewrites this
-- file. Do not edit it: change a migration, then run the command. Tests fail while it is stale.
-- Owners, privileges and storage settings are left out.

`;

const NAMESPACE = `n.nspname = ANY($1)`;

/** One row per object of a kind that the renderers below do not know, with its name. */
const UNSUPPORTED_SQL = `
  SELECT format('%s %I.%I', CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view'
           WHEN 'p' THEN 'partitioned table' WHEN 'f' THEN 'foreign table' WHEN 'c' THEN 'type'
           ELSE 'relation' END, n.nspname, c.relname) AS what
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE ${NAMESPACE} AND c.relkind NOT IN ('r', 'S', 'i', 't')
  UNION ALL
  SELECT format('type %I.%I', n.nspname, t.typname)
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE ${NAMESPACE} AND t.typtype NOT IN ('e', 'c', 'b')
  UNION ALL
  SELECT format('row security on %I.%I', n.nspname, c.relname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE ${NAMESPACE}
     AND (c.relrowsecurity OR EXISTS (SELECT FROM pg_policy p WHERE p.polrelid = c.oid))
  UNION ALL
  SELECT format('comment on %I.%I', n.nspname, c.relname)
    FROM pg_description d JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE ${NAMESPACE}
  UNION ALL
  SELECT format('inheritance of %s', i.inhrelid::regclass)
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE ${NAMESPACE}
  ORDER BY 1`;

const SCHEMAS_SQL = `SELECT nspname AS name, quote_ident(nspname) AS quoted
  FROM pg_namespace n WHERE ${NAMESPACE}`;

const ENUMS_SQL = `
  SELECT format('CREATE TYPE %s AS ENUM (%s)', t.oid::regtype,
           string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)) AS line
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    JOIN pg_enum e ON e.enumtypid = t.oid
   WHERE ${NAMESPACE} GROUP BY t.oid, n.nspname, t.typname
   ORDER BY array_position($1, n.nspname::text), t.typname COLLATE "C"`;

const FUNCTIONS_SQL = `
  SELECT pg_get_functiondef(p.oid) AS line
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE ${NAMESPACE} AND p.prokind IN ('f', 'p')
   ORDER BY array_position($1, n.nspname::text), p.proname COLLATE "C",
            pg_get_function_identity_arguments(p.oid) COLLATE "C"`;

/** Sequences but those of identity columns, which the column's GENERATED clause stands for. */
const SEQUENCES_SQL = `
  SELECT format('CREATE SEQUENCE %I.%I AS %s START WITH %s INCREMENT BY %s MINVALUE %s '
                 || 'MAXVALUE %s CACHE %s%s',
           n.nspname, c.relname, format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement,
           s.seqmin, s.seqmax, s.seqcache, CASE WHEN s.seqcycle THEN ' CYCLE' ELSE '' END) AS line
    FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE ${NAMESPACE} AND NOT EXISTS (
           SELECT FROM pg_depend d
            WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i')
   ORDER BY array_position($1, n.nspname::text), c.relname COLLATE "C"`;

const TABLES_SQL = `
  SELECT c.oid::text AS tbl, n.nspname AS schema, c.relname AS name,
         format('%I.%I', n.nspname, c.relname) AS qualified
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE ${NAMESPACE} AND c.relkind = 'r'`;

/** The columns in their physical order, the order a CREATE TABLE of them would give. */
const COLUMNS_SQL = `
  SELECT a.attrelid::text AS tbl, quote_ident(a.attname) AS name,
         format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
         concat_ws(' ',
           CASE WHEN a.attcollation <> t.typcollation
             THEN format('COLLATE %s', (SELECT format('%I.%I', cn.nspname, co.collname)
                   FROM pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace
                  WHERE co.oid = a.attcollation)) END,
           CASE WHEN a.attgenerated = 's'
             THEN format('GENERATED ALWAYS AS (%s) STORED', pg_get_expr(d.adbin, d.adrelid))
             WHEN d.adbin IS NOT NULL
             THEN format('DEFAULT %s', pg_get_expr(d.adbin, d.adrelid)) END,
           CASE a.attidentity WHEN 'a' THEN 'GENERATED ALWAYS AS IDENTITY'
             WHEN 'd' THEN 'GENERATED BY DEFAULT AS IDENTITY' END) AS extra
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE ${NAMESPACE} AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
   ORDER BY a.attrelid, a.attnum`;

/**
 * Primary keys, unique, exclusion and check constraints, then foreign keys, each kind by name.
 * PostgreSQL 18's NOT NULL constraints (contype 'n') are left out: the columns say NOT NULL, as
 * PostgreSQL 15 has it.
 */
const CONSTRAINTS_SQL = `
  SELECT co.conrelid::text AS tbl, quote_ident(co.conname) AS name, co.contype AS kind,
         pg_get_constraintdef(co.oid) AS definition,
         ARRAY(SELECT quote_ident(a.attname) FROM unnest(co.conkey) WITH ORDINALITY k(attnum, i)
                 JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum
                ORDER BY k.i) AS columns,
         CASE WHEN co.contype = 'f' THEN (SELECT format('%s.%s', fn.nspname, fc.relname)
                FROM pg_class fc JOIN pg_namespace fn ON fn.oid = fc.relnamespace
               WHERE fc.oid = co.confrelid) END AS refs
    FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE ${NAMESPACE} AND co.contype IN ('p', 'u', 'x', 'c', 'f')
   ORDER BY co.conrelid, array_position(ARRAY['p', 'u', 'x', 'c', 'f'], co.contype::text),
            co.conname COLLATE "C"`;

/** Indexes that back no constraint (a constraint's index is the constraint's own line). */
const INDEXES_SQL = `
  SELECT i.indrelid::text AS tbl, pg_get_indexdef(i.indexrelid) AS line
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_class ic ON ic.oid = i.indexrelid
   WHERE ${NAMESPACE} AND c.relkind = 'r'
     AND NOT EXISTS (SELECT FROM pg_constraint co WHERE co.conindid = i.indexrelid
                        AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x'))
   ORDER BY i.indrelid, ic.relname COLLATE "C"`;

const TRIGGERS_SQL = `
  SELECT t.tgrelid::text AS tbl, pg_get_triggerdef(t.oid) AS line
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE ${NAMESPACE} AND NOT t.tgisinternal
   ORDER BY t.tgrelid, t.tgname COLLATE "C"`;

/** A serial column's sequence, tied to the column (deleted with it). */
const OWNED_SEQUENCES_SQL = `
  SELECT d.refobjid::text AS tbl,
         format('ALTER SEQUENCE %s OWNED BY %s.%I', d.objid::regclass, d.refobjid::regclass,
                a.attname) AS line
    FROM pg_depend d JOIN pg_class s ON s.oid = d.objid AND s.relkind = 'S'
    JOIN pg_namespace n ON n.oid = s.relnamespace
    JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
   WHERE ${NAMESPACE} AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
     AND d.deptype = 'a'
   ORDER BY d.refobjid, s.relname COLLATE "C"`;

/** A generated file: its path under the docs folder and the text it must hold. */
export interface GeneratedDoc {
  name: string;
  content: string;
}

/**
 * The generated docs for `snapshot`: `schema.sql` in full, and `SCHEMA.md` as `schemaMd` with its
 * diagram replaced.
 *
 * @throws Error when `schemaMd` lacks the diagram markers.
 */
export function generatedDocs(snapshot: SchemaSnapshot, schemaMd: string): GeneratedDoc[] {
  const diagram = renderErDiagram({
    ...snapshot,
    tables: snapshot.tables.filter((table) => DIAGRAM_SCHEMAS.includes(table.schema)),
  });
  return [
    { name: 'schema.sql', content: SCHEMA_SQL_HEADER + renderSchemaSql(snapshot) },
    { name: 'SCHEMA.md', content: replaceDiagram(schemaMd, diagram) },
  ];
}

/**
 * Applies every migration to a scratch database on the server of `serverUrl` and reads its
 * snapshot; the scratch database is dropped afterwards, whatever happens.
 *
 * @param serverUrl a database on the server; its user needs the CREATEDB privilege.
 * @throws what migrating or reading throws.
 */
export async function snapshotOfMigrations(serverUrl: string): Promise<SchemaSnapshot> {
  const scratch = await createScratchDatabase(serverUrl, 'schema');
  try {
    await runPendingMigrations(scratch.url);
    return await readSchemaSnapshot(scratch.url);
  } finally {
    await scratch.drop();
  }
}
