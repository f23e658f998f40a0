import { join } from 'node:path';

/**
 * `npm run typeorm <command> [options]`: the TypeORM CLI with this project's DataSource
 * (`ormconfig.ts`) added to the commands that take one. `migration:create` and the other
 * generators refuse a data source, so they get none.
 */
const WITHOUT_DATA_SOURCE = new Set([
  'migration:create',
  'entity:create',
  'subscriber:create',
  'init',
  'version',
]);

const [command] = process.argv.slice(2);
const hasDataSource = process.argv.some((arg) => arg === '-d' || arg.startsWith('--dataSource'));
if (command && !WITHOUT_DATA_SOURCE.has(command) && !hasDataSource) {
  process.argv.push('-d', join(__dirname, '..', '..', 'ormconfig.ts'));
}

void import('typeorm/cli.js');
