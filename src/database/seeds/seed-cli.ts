import 'reflect-metadata';
import { validateEnvironment } from '../../config/environment';
import { openDatabaseServer } from '../database-server';
import { connect } from '../migrations-runner';
import { SEED_HISTORY_TABLE, SeedError, SeedRunner } from './seed-runner';

const USAGE = 'Usage: seed-cli run [--demo] | revert | show';

/**
 * `npm run seed:run [-- --demo]`, `npm run seed:revert`, `npm run seed:show`: the seeds of
 * `migrations/seeds/` on the PostgreSQL that DATABASE_URL names, or else on the embedded server of
 * `npm start` (started for the command and stopped after it, or joined), as `npm run typeorm` does.
 * Exits 0 on success, 1 with one line on stderr otherwise.
 */
async function main(args: string[]): Promise<void> {
  const [command, ...options] = args;
  const demo = command === 'run' && options.length === 1 && options[0] === '--demo';
  if (!command || !['run', 'revert', 'show'].includes(command) || (options.length > 0 && !demo)) {
    throw new SeedError(USAGE);
  }
  const server = await openDatabaseServer(validateEnvironment(process.env));
  try {
    const dataSource = await connect(server.url);
    try {
      const runner = new SeedRunner(dataSource);
      if (command === 'run') {
        const applied = await runner.run({ demo });
        if (applied.length === 0) console.log('No pending seeds.');
        for (const seed of applied) {
          console.log(`Seed ${seed.name} has been run: ${seed.rows} rows inserted.`);
        }
      } else if (command === 'revert') {
        const reverted = await runner.revertLast();
        console.log(
          reverted
            ? `Seed ${reverted.name} has been reverted: ${reverted.rows} rows deleted.`
            : `No seed to revert: ${SEED_HISTORY_TABLE} is empty.`,
        );
      } else {
        for (const seed of await runner.show()) {
          const mark = seed.runAt ? `[X] ${seed.runAt.toISOString()}` : '[ ]';
          console.log(`${mark} ${seed.name}${seed.demo ? ' (demo)' : ''}`);
        }
      }
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await server.stop();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  process.exit(1);
});
