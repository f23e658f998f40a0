/**
 * Runs StrykerJS with the configuration file given as the first argument (and, when more follow,
 * on those source files only instead of the configuration's `mutate`), through its `Stryker`
 * class rather than its command line: StrykerJS 10's command line refuses Node.js below 22 before
 * it starts, while this project supports Node.js 20.19 and later (see docs/TESTING.md). Exits 1
 * when Stryker fails.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

const core = dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json'));
// The default project ESLint gives this file resolves no types from the package's exports map.
// eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
const { Stryker } = /** @type {{ Stryker: typeof import('@stryker-mutator/core').Stryker }} */ (
  await import(pathToFileURL(join(core, 'dist/src/stryker.js')).href)
);
try {
  const [configFile, ...mutate] = process.argv.slice(2);
  await new Stryker({ configFile, ...(mutate.length > 0 ? { mutate } : {}) }).runMutationTest();
} catch {
  // Stryker has logged the cause.
  process.exitCode = 1;
}
