import 'reflect-metadata';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../config/environment';
import { openPostgresTarget } from '../embedded-postgres/postgres-target';
import { generatedDocs, snapshotOfMigrations } from '../migration-tools/schema-snapshot';

const DOCS_DIR = resolve(__dirname, '..', '..', 'docs');

/**
 * `npm run db:schema`: applies every migration to a scratch database (on the server DATABASE_URL
 * names, or the embedded one) and writes what the catalogue then holds to `docs/schema.sql`, and
 * its diagram into `docs/SCHEMA.md`. With `--check` it writes nothing and exits 1 naming the files
 * that are stale. `--dir <folder>` reads and writes another folder than `docs/`.
 *
 * Exits 0 when the files are written or up to date, 1 when stale or on any error (one line).
 */
async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { check: { type: 'boolean', default: false }, dir: { type: 'string' } },
  });
  const dir = values.dir ? resolve(values.dir) : DOCS_DIR;
  const env = parseConfig(process.env);
  const server = await openPostgresTarget(env);
  let snapshot;
  try {
    snapshot = await snapshotOfMigrations(server.url);
  } finally {
    await server.stop();
  }
  const docs = generatedDocs(snapshot, readFileSync(join(dir, 'SCHEMA.md'), 'utf8'));
  const stale = docs.filter((doc) => readIfExists(join(dir, doc.name)) !== doc.content);
  if (values.check) {
    if (stale.length === 0) {
      console.log(`${docs.map((doc) => doc.name).join(' and ')} are up to date`);
      return 0;
    }
    console.error(
      `Stale: ${stale.map((doc) => doc.name).join(', ')} in ${dir}; run npm run db:schema`,
    );
    return 1;
  }
  for (const doc of stale) writeFileSync(join(dir, doc.name), doc.content);
  console.log(
    stale.length > 0 ? `Wrote ${stale.map((doc) => doc.name).join(', ')}` : 'Nothing changed',
  );
  return 0;
}

function readIfExists(path: string): string | undefined {
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exit(1);
  },
);
