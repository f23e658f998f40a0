import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { MigrationInterface } from 'typeorm';
import { MIGRATIONS_EXTENSION } from '../database/data-source-options';

type MigrationClass = new () => MigrationInterface;

/** The name TypeORM gives a migration: its `name` property, else its class name. */
export function migrationName(migration: MigrationInterface): string {
  return migration.name ?? migration.constructor.name;
}

/**
 * The source file of every migration class in `dir`, by migration name (the class's `name`
 * property, else its class name, as TypeORM names it). Once built, `dir` holds the compiled `.js`
 * files and, copied by the build, their `.ts` sources: the `.ts` file is the source either way, so
 * a checksum is the same from `migrations/` and from `dist/migrations/`.
 *
 * @param dir the folder of the migrations (`MIGRATIONS_DIR` or a test's fixture folder).
 * @returns name -> absolute path of the `.ts` source (missing once built without its sources).
 */
export function migrationSources(dir: string): Map<string, string> {
  const sources = new Map<string, string>();
  const files = existsSync(dir)
    ? readdirSync(dir).filter(
        (file) => file.endsWith(MIGRATIONS_EXTENSION) && !file.endsWith('.d.ts'),
      )
    : [];
  for (const file of files) {
    const loaded = join(dir, file);
    const source = join(dir, `${basename(file, MIGRATIONS_EXTENSION)}.ts`);
    // TypeORM requires the same files to load the migrations; the module cache makes this free.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(loaded) as Record<string, unknown>;
    for (const value of Object.values(exported)) {
      if (!isMigrationClass(value)) continue;
      sources.set(migrationName(new value()), source);
    }
  }
  return sources;
}

function isMigrationClass(value: unknown): value is MigrationClass {
  if (typeof value !== 'function') return false;
  const prototype = (value as { prototype?: Partial<MigrationInterface> }).prototype;
  return typeof prototype?.up === 'function' && typeof prototype.down === 'function';
}
