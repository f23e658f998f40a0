import type { DataSource } from 'typeorm';
import { type AppliedMigration, readHistory } from './migration-history';
import { migrationName } from './migration-sources';

/** Applied and pending migrations of a database. */
export interface MigrationStatus {
  /** In the order they were applied. */
  applied: AppliedMigration[];
  /** Migrations of the folder not applied yet, oldest first. */
  pending: { name: string; timestamp: number }[];
}

/** Reads the status without changing anything (no table is created). */
export async function readMigrationStatus(dataSource: DataSource): Promise<MigrationStatus> {
  const applied = await readHistory(dataSource);
  const done = new Set(applied.map((migration) => migration.name));
  const pending = dataSource.migrations
    .map((migration) => migrationName(migration))
    .filter((name) => !done.has(name))
    .map((name) => ({ name, timestamp: Number(name.slice(-13)) }))
    .sort((a, b) => a.timestamp - b.timestamp);
  return { applied, pending };
}

/** The status as `[X] <id> <name>` and `[ ] <name>` lines, like `migration:show`. */
export function formatMigrationStatus(status: MigrationStatus): string[] {
  return [
    ...status.applied.map((migration) => `[X] ${migration.id} ${migration.name}`),
    ...status.pending.map((migration) => `[ ] ${migration.name}`),
    `${status.applied.length} applied, ${status.pending.length} pending`,
  ];
}
