import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './processes';

/** One migration of a fixture folder: SQL statements for `up` and `down`. */
export interface FixtureMigration {
  /** PascalCase name; the class is `<name><timestamp>`, the file `<timestamp>-<name>.ts`. */
  name: string;
  timestamp: number;
  up: string[];
  down: string[];
  /** `false` for a migration that must run outside a transaction (CREATE INDEX CONCURRENTLY). */
  transaction?: false;
  /** Lines put above the class, such as `// squawk-ignore-file ban-drop-column: <reason>`. */
  comments?: string[];
}

/**
 * Writes migrations into a fresh temporary folder, as `migration:create` would name them, and
 * returns the folder. They import nothing, so they load from any folder.
 */
export function writeMigrations(migrations: FixtureMigration[]): string {
  const dir = tempDir('nest-auth-db-migrations-');
  for (const migration of migrations) {
    const body = (statements: string[]) =>
      statements.map((sql) => `    await queryRunner.query(${JSON.stringify(sql)});`).join('\n');
    const className = `${migration.name}${migration.timestamp}`;
    const source = [
      ...(migration.comments ?? []),
      `export class ${className} {`,
      `  name = '${className}';`,
      ...(migration.transaction === false ? ['  transaction = false;'] : []),
      `  async up(queryRunner) {\n${body(migration.up)}\n  }`,
      `  async down(queryRunner) {\n${body(migration.down)}\n  }`,
      `}`,
      '',
    ].join('\n');
    writeFileSync(join(dir, `${migration.timestamp}-${migration.name}.ts`), source);
  }
  return dir;
}

/** A migration that creates the table `table (id int)` and drops it in `down`. */
export function createTableMigration(name: string, timestamp: number, table: string) {
  return {
    name,
    timestamp,
    up: [`CREATE TABLE ${table} (id int)`],
    down: [`DROP TABLE ${table}`],
  } satisfies FixtureMigration;
}
