import { join } from 'node:path';
import { revertRefusal } from '../migration-tools/revert-guard';

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
const refusal =
  command === 'migration:revert' ? revertRefusal(process.env.NODE_ENV, force > 1) : undefined;
if (refusal) {
  console.error(refusal);
  process.exit(1);
}
const hasDataSource = process.argv.some((arg) => arg === '-d' || arg.startsWith('--dataSource'));
if (command && !WITHOUT_DATA_SOURCE.has(command) && !hasDataSource) {
  process.argv.push('-d', join(__dirname, '..', '..', 'ormconfig.ts'));
}

void import('typeorm/cli.js');
