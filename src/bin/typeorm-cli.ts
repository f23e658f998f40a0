import 'reflect-metadata';
import { extname, join } from 'node:path';
import { parseConfig } from '../config/environment';
import { failureLine, MIGRATOR_COMMANDS, runOnDatabase } from '../migration-tools/db-commands';
import { revertRefusal } from '../migration-tools/revert-guard';

/**
 * `npm run typeorm <command> [options]`. `migration:run` and `migration:revert` run through the
 * Migrator (migration lock, checksums; see src/migration-tools/migrator.ts), with TypeORM's
 * options and output lines. Every other command goes to TypeORM's own CLI, with this project's
 * DataSource (`ormconfig.ts`) added to the commands that take one: `migration:create` and the
 * other generators refuse a data source, so they get none. Like `npm run db:revert`,
 * `migration:revert` refuses to run with NODE_ENV=production unless `--force` is given.
 */
const WITHOUT_DATA_SOURCE = new Set([
  'migration:create',
  'entity:create',
  'subscriber:create',
  'init',
  'version',
]);

const [command = '', ...args] = process.argv.slice(2);
const refusal =
  command === 'migration:revert'
    ? revertRefusal(process.env.NODE_ENV, args.includes('--force'))
    : undefined;
const composed = MIGRATOR_COMMANDS[command];
if (refusal) {
  console.error(refusal);
  process.exit(1);
} else if (composed) {
  runOnDatabase(composed, args, parseConfig(process.env)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(failureLine(error));
      process.exit(1);
    },
  );
} else {
  const hasDataSource = args.some((arg) => arg === '-d' || arg.startsWith('--dataSource'));
  if (command && !WITHOUT_DATA_SOURCE.has(command) && !hasDataSource) {
    // ormconfig.ts beside src/, or dist/ormconfig.js when this file runs compiled.
    process.argv.push('-d', join(__dirname, '..', '..', `ormconfig${extname(__filename)}`));
  }
  // TypeORM's CLI is a program, not a module: its published entry point is the one way to run it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('typeorm/cli.js');
}
