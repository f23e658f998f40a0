import { existsSync, readFileSync } from 'node:fs';
import type { Queryable } from './migration-history';
import { migrationSources } from './migration-sources';
import { runMigrationStep, walkMigrations } from './migration-steps';

/** The rules of the destructive-change lint, by name (the name an acknowledgement gives). */
export const LINT_RULES = {
  'drop-table': 'drops a table that existed before the migration',
  'drop-column': 'drops a column of a table that existed before the migration',
  'narrow-type': 'changes the type of an existing column to one that may not hold every value',
  'set-not-null': 'sets NOT NULL on an existing column that has no default',
  'drop-constraint': 'drops a constraint of a table that existed before the migration',
  'rename-constraint': 'renames a constraint of a table that existed before the migration',
  'index-without-concurrently':
    'builds an index without CONCURRENTLY on a table that existed before the migration',
} as const;

/** A rule's name, such as `drop-column`. */
export type LintRule = keyof typeof LINT_RULES;

/** One thing the lint flagged in a migration's `up`. */
export interface LintFinding {
  migration: string;
  rule: LintRule;
  /** What was found, e.g. `drops column auth.users.name`. */
  message: string;
  /** The reason of the migration's `// db-lint-accept <rule>: <reason>` comment, when it has one. */
  acceptedBecause?: string;
}

/** Columns of the existing tables: `schema.table.column` -> type and whether it has a default. */
type Columns = Map<string, { type: string; hasDefault: boolean }>;

/**
 * Reads the SQL each migration's `up` sends and flags destructive changes. Each `up` runs once,
 * on a scratch database (thrown away afterwards) where every migration before it is applied, so a
 * finding knows which tables and columns existed before the migration. Only `up` is
 * linted: `down` undoes `up` and drops what it made by design.
 *
 * A migration acknowledges the findings of one rule with a comment in its file,
 * `// db-lint-accept <rule>: <reason>`; they are then reported as accepted.
 *
 * @param serverUrl a database on the server where the scratch database is made (CREATEDB needed).
 * @param migrationsDir the folder of the migrations to lint.
 * @returns every finding, accepted ones included, in the order of the migrations.
 */
export async function lintMigrations(
  serverUrl: string,
  migrationsDir: string,
): Promise<LintFinding[]> {
  const sources = migrationSources(migrationsDir);
  const findings: LintFinding[] = [];
  await walkMigrations(serverUrl, migrationsDir, async ({ name, migration, dataSource }) => {
    const columns = await readColumns(dataSource);
    const sent = await runMigrationStep(dataSource, migration, 'up');
    const source = sources.get(name);
    const accepted = acceptances(source && existsSync(source) ? readFileSync(source, 'utf8') : '');
    for (const { rule, message } of lintStatements(sent, columns)) {
      findings.push({ migration: name, rule, message, acceptedBecause: accepted.get(rule) });
    }
  });
  return findings;
}

/** `// db-lint-accept <rule>: <reason>` comments of a migration's source: rule -> reason. */
export function acceptances(source: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of source.matchAll(/\/\/\s*db-lint-accept\s+([a-z-]+)\s*:\s*(\S.*?)\s*$/gm)) {
    found.set(match[1]!, match[2]!);
  }
  return found;
}

/**
 * Flags the destructive statements among `statements`, given the columns that existed before them.
 *
 * @param statements SQL as sent to PostgreSQL; one text may hold several statements.
 * @param existing columns of the tables that existed before the migration (see {@link readColumns}).
 */
export function lintStatements(
  statements: string[],
  existing: Columns,
): { rule: LintRule; message: string }[] {
  const findings: { rule: LintRule; message: string }[] = [];
  const flag = (rule: LintRule, message: string) => findings.push({ rule, message });
  const tables = new Set([...existing.keys()].map((column) => column.replace(/\.[^.]+$/, '')));
  const defaulted = new Set<string>();
  for (const statement of statements.flatMap(splitStatements)) {
    let match: RegExpMatchArray | null;
    if ((match = statement.match(new RegExp(`^DROP TABLE (?:IF EXISTS )?(.+)$`, 'i')))) {
      for (const table of splitTopLevel(match[1]!.replace(/\s+(CASCADE|RESTRICT)$/i, ''))) {
        const name = qualified(table);
        if (tables.has(name)) flag('drop-table', `drops table ${name}`);
      }
    } else if (
      (match = statement.match(
        new RegExp(`^CREATE (?:UNIQUE )?INDEX (?!CONCURRENTLY)(.*?) ON (?:ONLY )?(${QNAME})`, 'i'),
      ))
    ) {
      const name = qualified(match[2]!);
      if (tables.has(name)) {
        flag(
          'index-without-concurrently',
          `builds index ${match[1]!.trim() || '(unnamed)'} on ${name} without CONCURRENTLY`,
        );
      }
    } else if (
      (match = statement.match(
        new RegExp(`^ALTER TABLE (?:IF EXISTS )?(?:ONLY )?(${QNAME}) (.+)$`, 'i'),
      ))
    ) {
      const table = qualified(match[1]!);
      if (!tables.has(table)) continue;
      for (const action of splitTopLevel(match[2]!)) {
        lintAlterAction(table, action, existing, defaulted, flag);
      }
    }
  }
  return findings;
}

const IDENT = `(?:"(?:[^"]|"")+"|[A-Za-z_][\\w$]*)`;
const QNAME = `${IDENT}(?:\\s*\\.\\s*${IDENT})?`;

function lintAlterAction(
  table: string,
  action: string,
  existing: Columns,
  defaulted: Set<string>,
  flag: (rule: LintRule, message: string) => void,
): void {
  let match: RegExpMatchArray | null;
  if ((match = action.match(new RegExp(`^DROP CONSTRAINT (?:IF EXISTS )?(${IDENT})`, 'i')))) {
    flag('drop-constraint', `drops constraint ${unquote(match[1]!)} of ${table}`);
  } else if (
    (match = action.match(new RegExp(`^RENAME CONSTRAINT (${IDENT}) TO (${IDENT})`, 'i')))
  ) {
    flag(
      'rename-constraint',
      `renames constraint ${unquote(match[1]!)} of ${table} to ${unquote(match[2]!)}`,
    );
  } else if (
    (match = action.match(new RegExp(`^DROP (?:COLUMN )?(?:IF EXISTS )?(${IDENT})`, 'i')))
  ) {
    flag('drop-column', `drops column ${table}.${unquote(match[1]!)}`);
  } else if ((match = action.match(new RegExp(`^ALTER (?:COLUMN )?(${IDENT}) (.+)$`, 'i')))) {
    const column = `${table}.${unquote(match[1]!)}`;
    const change = match[2]!;
    const before = existing.get(column);
    if (/^SET DEFAULT /i.test(change)) defaulted.add(column);
    if (!before) return;
    const type = change.match(/^(?:SET DATA )?TYPE (.+?)(?: USING .*| COLLATE .*)?$/i);
    if (type && !widens(before.type, type[1]!)) {
      flag(
        'narrow-type',
        `changes the type of ${column} from ${before.type} to ${type[1]!.trim()}`,
      );
    }
    if (/^SET NOT NULL$/i.test(change) && !before.hasDefault && !defaulted.has(column)) {
      flag('set-not-null', `sets NOT NULL on ${column}, which has no default`);
    }
  }
}

/** Columns of every table of the user schemas: `schema.table.column` -> type, has a default. */
export async function readColumns(db: Queryable): Promise<Columns> {
  const rows = (await db.query(
    `SELECT format('%s.%s.%s', n.nspname, c.relname, a.attname) AS column,
            format_type(a.atttypid, a.atttypmod) AS type, a.atthasdef AS "hasDefault"
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
        AND n.nspname <> 'information_schema' AND n.nspname !~ '^pg_'`,
  )) as { column: string; type: string; hasDefault: boolean }[];
  return new Map(rows.map((row) => [row.column, { type: row.type, hasDefault: row.hasDefault }]));
}

const TYPE_ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  int2: 'smallint',
  int8: 'bigint',
  varchar: 'character varying',
  char: 'character',
  bool: 'boolean',
  timestamptz: 'timestamp with time zone',
  float8: 'double precision',
  float4: 'real',
  decimal: 'numeric',
};
const INTEGER_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };

/**
 * Whether changing a column from `from` (as format_type gives it) to `to` (as written) keeps every
 * value: the same type, a longer (or unlimited) varchar, text from a character type, a wider
 * integer, or a numeric of more digits. Anything else counts as narrowing.
 */
export function widens(from: string, to: string): boolean {
  const [fromBase, fromSize] = parseType(from);
  const [toBase, toSize] = parseType(to);
  if (fromBase === toBase) {
    if (toSize === undefined) return true;
    return fromSize !== undefined && toSize.every((size, index) => size >= (fromSize[index] ?? 0));
  }
  if (toBase === 'text') return ['character varying', 'character'].includes(fromBase);
  const fromRank = INTEGER_RANK[fromBase];
  const toRank = INTEGER_RANK[toBase];
  if (fromRank && toRank) return toRank >= fromRank;
  return toBase === 'numeric' && toSize === undefined && fromRank !== undefined;
}

function parseType(type: string): [string, number[] | undefined] {
  const match = type
    .trim()
    .toLowerCase()
    .replaceAll('"', '')
    .match(/^(.*?)\s*(?:\(([\d\s,]+)\))?$/);
  const base = match?.[1] ?? type;
  const sizes = match?.[2]?.split(',').map((size) => Number(size.trim()));
  return [TYPE_ALIASES[base] ?? base, sizes];
}

/**
 * Splits SQL into statements, each on one line with single spaces, once comments, string
 * literals and dollar-quoted bodies are blanked (they never hold a statement the lint looks for).
 */
export function splitStatements(sql: string): string[] {
  const blanked = sql
    .replace(/\$(\w*)\$[\s\S]*?\$\1\$/g, "''")
    .replace(/'(?:[^']|'')*'/g, "''")
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ');
  return blanked
    .split(';')
    .map((statement) => statement.replace(/\s+/g, ' ').trim())
    .filter((statement) => statement !== '');
}

/** Splits on the commas that are outside parentheses and double quotes. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    if (!quoted && char === '(') depth++;
    if (!quoted && char === ')') depth--;
    if (!quoted && depth === 0 && char === ',') {
      parts.push(current.trim());
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current.trim());
  return parts.filter((part) => part !== '');
}

/** `"auth"."users"` -> `auth.users`; an unqualified name is in `public`. */
function qualified(name: string): string {
  const parts = name.match(new RegExp(IDENT, 'g'))?.map(unquote) ?? [name];
  return parts.length === 1 ? `public.${parts[0]}` : parts.join('.');
}

function unquote(identifier: string): string {
  return identifier.startsWith('"')
    ? identifier.slice(1, -1).replaceAll('""', '"')
    : identifier.toLowerCase();
}
