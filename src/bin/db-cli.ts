import 'reflect-metadata';
import { parseConfig } from '../config/environment';
import { COMMANDS, failureLine, runOnDatabase, UsageError } from '../migration-tools/db-commands';

/**
 * `npm run db:<command>` and `npm run seed:<command>`: the migration commands that TypeORM's CLI
 * lacks, and the seeds (docs/SEEDS.md), on the database that DATABASE_URL names or on the
 * embedded server (started for the command and stopped after it, or joined while it runs).
 * Exits 0 when all is well, 1 on a problem it reports, 1 with one line on an error.
 */
async function main(): Promise<number> {
  const [name = '', ...args] = process.argv.slice(2);
  const command = COMMANDS[name];
  if (!command)
    throw new UsageError(`Unknown command "${name}": use ${Object.keys(COMMANDS).join(', ')}`);
  return runOnDatabase(command, args, parseConfig(process.env));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(failureLine(error));
    process.exit(1);
  },
);
