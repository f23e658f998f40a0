import { join } from 'node:path';

/**
 * `npm run typeorm <command> [options]`: the TypeORM CLI with this project's DataSource
 * (`ormconfig.ts`) added to the commands that take one. `migration:create` and the other
 * generators refuse a data source, so they get none. Like `npm run db:revert`, `migration:revert`
 * refuses to run with NODE_ENV=production unless `--force` is given (which is not passed on).
 */
const WITHOUT_DATA_SOURCE = new Set([
  'migration:create',
  'entity:create',
  'subscriber:create',
  'init',
  'version',
]);

const [command] = process.argv.slice(2);
const force = process.argv.indexOf('--force');
if (force > 1) process.argv.splice(force, 1);
if (command === 'migration:revert' && process.env.NODE_ENV === 'production' && force < 0) {
  console.error(
    'Refusing to revert migrations with NODE_ENV=production: take a backup, then add --force',
  );
  process.exit(1);
}
const hasDataSource = process.argv.some((arg) => arg === '-d' || arg.startsWith('--dataSource'));
if (command && !WITHOUT_DATA_SOURCE.has(command) && !hasDataSource) {
  process.argv.push('-d', join(__dirname, '..', '..', 'ormconfig.ts'));
}

void import('typeorm/cli.js');
