import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { type Queryable, readHistory } from './migration-history';

/** Table of the checksums of applied migrations, in schema `public` beside the history. */
export const CHECKSUMS_TABLE = 'migration_checksums';

/** Thrown when applied migrations were changed or removed; one line per migration. */
export class MigrationChecksumError extends Error {
  override readonly name = 'MigrationChecksumError';
}

/** What a comparison of the applied migrations with their files found. */
export interface ChecksumReport {
  /** One line per applied migration whose file changed or is gone, naming it. */
  problems: string[];
  /** Applied migrations that had no checksum yet (applied before checksums existed): now recorded. */
  recorded: string[];
  /** Changed migrations whose new checksum was recorded because the caller accepted changes. */
  accepted: string[];
}

/**
 * SHA-256 (hex) of a migration's source text with CRLF turned into LF, so that a checkout with
 * Windows line endings gives the same checksum.
 */
export function checksumOf(path: string): string {
  const text = readFileSync(path, 'utf8').replaceAll('\r\n', '\n');
  return createHash('sha256').update(text).digest('hex');
}

/** Creates the checksums table when it is missing. Call it under the migration lock. */
export async function ensureChecksumsTable(db: Queryable): Promise<void> {
  await db.query(
    `CREATE TABLE IF NOT EXISTS public.${CHECKSUMS_TABLE} (
       name varchar PRIMARY KEY,
       checksum char(64) NOT NULL,
       applied_at timestamptz NOT NULL DEFAULT now())`,
  );
}

/** Records (or replaces) the checksum of one migration; run it in the migration's transaction. */
export async function recordChecksum(db: Queryable, name: string, checksum: string) {
  await db.query(
    `INSERT INTO public.${CHECKSUMS_TABLE} (name, checksum) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()`,
    [name, checksum],
  );
}

/** Forgets the checksum of a reverted migration; run it in the revert's transaction. */
export async function deleteChecksum(db: Queryable, name: string): Promise<void> {
  await db.query(`DELETE FROM public.${CHECKSUMS_TABLE} WHERE name = $1`, [name]);
}

/**
 * Compares every applied migration with its source file. A migration without a recorded checksum
 * (applied before checksums existed) gets the checksum of its file now. Call it under the
 * migration lock, after {@link ensureChecksumsTable}.
 *
 * @param sources migration name -> path of its `.ts` source (see `migrationSources`).
 * @param accept true to record the current checksum of a changed migration instead of reporting
 *   it (a deliberate repair); a missing file is reported either way.
 */
export async function verifyChecksums(
  db: Queryable,
  sources: Map<string, string>,
  accept: boolean,
): Promise<ChecksumReport> {
  const report: ChecksumReport = { problems: [], recorded: [], accepted: [] };
  const rows = (await db.query(`SELECT name, checksum FROM public.${CHECKSUMS_TABLE}`)) as {
    name: string;
    checksum: string;
  }[];
  const recorded = new Map(rows.map((row) => [row.name, row.checksum]));
  for (const { name } of await readHistory(db)) {
    const path = sources.get(name);
    if (!path || !existsSync(path)) {
      report.problems.push(
        `Applied migration ${name} has no file${path ? ` (${path} is missing)` : ''}`,
      );
      continue;
    }
    const actual = checksumOf(path);
    const expected = recorded.get(name);
    if (expected === actual) continue;
    if (expected === undefined) {
      report.recorded.push(name);
    } else if (accept) {
      report.accepted.push(name);
    } else {
      report.problems.push(
        `Applied migration ${name} was changed after it was applied (${path}: checksum ${actual.slice(0, 12)}, recorded ${expected.slice(0, 12)})`,
      );
      continue;
    }
    await recordChecksum(db, name, actual);
  }
  return report;
}
