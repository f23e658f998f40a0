// @ts-check
/**
 * StrykerJS configuration of `npm run test:mutation` (docs/TESTING.md, "Mutation score"). Run it
 * through that script: `test/mutation/run-mutation.ts` starts the test PostgreSQL and migrates the
 * template once, where Jest's global setup would do it again for every mutant.
 */

/** The modules that carry the project's guarantees, listed one by one so a move is one edit. */
const MUTATE = [
  'src/sessions/session-lookup.query.ts',
  'src/sessions/sessions.repository.ts',
  'src/sessions/sessions.service.ts',
  'src/sessions/session.guard.ts',
  'src/migration-tools/migration-lock.ts',
  'src/migration-tools/migration-checksums.ts',
  'src/migration-tools/migrator.ts',
  'src/migration-tools/seeds/seed-runner.ts',
  'src/database/postgres-errors.ts',
  'src/http/database-error.mapping.ts',
  'src/http/validation.pipe.ts',
];

/**
 * The specs that reach those modules in-process, and nothing slower: per-test coverage then runs,
 * for each mutant, only the tests of these files that executed its code.
 */
const SPECS = [
  'src/http/database-error.mapping.spec.ts',
  'src/database/postgres-errors.spec.ts',
  'src/http/validation.pipe.spec.ts',
  'src/sessions/session.guard.spec.ts',
  'src/sessions/session-lookup.query.spec.ts',
  'test/integration/sessions.int-spec.ts',
  'test/integration/migrations.int-spec.ts',
  'test/integration/migration-lock.int-spec.ts',
  'test/integration/migration-checksums.int-spec.ts',
  'test/integration/migration-table-lock.int-spec.ts',
  'test/integration/migration-transactions.int-spec.ts',
  'test/integration/migrator.int-spec.ts',
  'test/integration/seeds.int-spec.ts',
  'test/integration/seed-failures.int-spec.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'jest',
  plugins: ['@stryker-mutator/jest-runner'],
  coverageAnalysis: 'perTest',
  jest: {
    projectType: 'custom',
    configFile: 'package.json',
    enableFindRelatedTests: true,
    config: {
      testMatch: SPECS.map((spec) => `<rootDir>/${spec}`),
      // run-mutation.ts did the global setup once, for every run (null: Stryker sends its options
      // to its workers as JSON, which drops an undefined).
      globalSetup: null,
      globalTeardown: null,
    },
  },
  mutate: MUTATE,
  // Two shared cores: two Jest processes, each with its own databases on the one server.
  concurrency: 2,
  // Integration tests run slower under load; a timed-out mutant counts as killed, so be generous.
  timeoutMS: 30000,
  timeoutFactor: 3,
  // The first run, of every test with coverage, takes 3 to 10 minutes under load.
  dryRunTimeoutMinutes: 30,
  // A static mutant (a module-level constant: SQL text, a lock key, a table name) runs once, at
  // import, so it would need every test of every related file: 110 of them took 95% of the time.
  // They are reported as ignored; docs/TESTING.md says why that loses little.
  ignoreStatic: true,
  // Only the mutated sources need `// @ts-nocheck` (SWC does not type-check anyway); the default
  // adds it to every file, migrations included, whose checksums then no longer match.
  disableTypeChecks: 'src/**/*.ts',
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
  thresholds: { high: 90, low: 80, break: null },
};
