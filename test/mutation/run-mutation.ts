import { spawn } from 'node:child_process';
import { join } from 'node:path';
import globalSetup from '../helpers/global-setup';
import globalTeardown from '../helpers/global-teardown';

/**
 * `npm run test:mutation`: Jest's global setup once (a throw-away PostgreSQL, or the server
 * `DATABASE_URL` names, and the migrated template), then StrykerJS with
 * `test/mutation/stryker.config.mjs`, then the global teardown. Stryker runs Jest once per mutant;
 * with the setup done here, each run starts at once instead of starting a server and migrating a
 * template first, and the template is built by the unmutated code. Source files given as
 * arguments are mutated instead of the configuration's list (`npm run test:mutation --
 * src/http/validation.pipe.ts`); the results of the others are kept from the incremental file.
 * Exits with Stryker's status.
 */
async function main(): Promise<void> {
  await globalSetup();
  try {
    process.exitCode = await new Promise<number>((resolve, reject) => {
      const files = process.argv.slice(2);
      const stryker = spawn(
        process.execPath,
        [
          join(
            __dirname,
            '..',
            '..',
            'node_modules',
            '@stryker-mutator',
            'core',
            'bin',
            'stryker.js',
          ),
          'run',
          join(__dirname, 'stryker.config.mjs'),
          ...(files.length > 0 ? ['--mutate', files.join(',')] : []),
        ],
        { stdio: 'inherit' },
      );
      stryker.on('error', reject);
      stryker.on('exit', (code) => resolve(code ?? 1));
    });
  } finally {
    await globalTeardown();
  }
}

// Ctrl-C reaches Stryker too; wait for it to stop, then tear down.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
