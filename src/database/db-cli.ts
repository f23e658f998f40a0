import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { type Environment, validateEnvironment } from '../config/environment';
import { checkDatabase } from './database-check';
import { openDatabaseServer } from './database-server';
import { type MigrationDataSource, migrationSettings } from './migration-data-source';
import { lintMigrations } from './migration-lint';
import { formatMigrationStatus, readMigrationStatus } from './migration-status';
import { connect } from './migrations-runner';
import { revertRefusal } from './revert-guard';
import { SEED_HISTORY_TABLE, SeedRunner } from './seeds/seed-runner';

/** Thrown for a command line that cannot be run as given; the message is one line. */
class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Reads its options (failing before any connection) and gives what to run on the database. */
type Command = (
  args: string[],
  env: Environment,
) => (dataSource: MigrationDataSource) => Promise<number>;

/** `npm run db:status [-- --json]`: exit 1 when a migration is pending. */
const status: Command = (args) => {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  return async (dataSource) => {
    const current = await readMigrationStatus(dataSource);
    const lines = values.json ? [JSON.stringify(current)] : formatMigrationStatus(current);
    console.log(lines.join('\n'));
    return current.pending.length > 0 ? 1 : 0;
  };
};

/** `npm run db:check`: exit 1 with one line per problem. */
const check: Command = (args) => {
  parseArgs({ args, options: {} });
  return async (dataSource) => {
    const problems = await checkDatabase(dataSource);
    console.log(problems.length > 0 ? problems.join('\n') : 'db:check found no problem');
    return problems.length > 0 ? 1 : 0;
  };
};

/** `npm run db:revert -- --steps N | --to <MigrationName> [--force]`. */
const revert: Command = (args, env) => {
  const { values } = parseArgs({
    args,
    options: { steps: { type: 'string' }, to: { type: 'string' }, force: { type: 'boolean' } },
  });
  if ((values.steps === undefined) === (values.to === undefined)) {
    throw new UsageError('db:revert needs either --steps <N> or --to <MigrationName>');
  }
  if (values.steps !== undefined && !/^[1-9]\d*$/.test(values.steps)) {
    throw new UsageError('--steps must be a positive integer');
  }
  const refusal = revertRefusal(env.NODE_ENV, values.force ?? false);
  if (refusal) throw new UsageError(refusal);
  return async (dataSource) => {
    const reverted = await dataSource.revert(
      values.to !== undefined ? { to: values.to } : { steps: Number(values.steps) },
    );
    console.log(
      reverted.length > 0
        ? reverted.map((name) => `Reverted ${name}`).join('\n')
        : 'Nothing to revert',
    );
    return 0;
  };
};

/** `npm run db:lint`: exit 1 when a finding is not accepted. */
const lint: Command = (args) => {
  parseArgs({ args, options: {} });
  return async (dataSource) => {
    const findings = await lintMigrations(
      (dataSource.options as { url: string }).url,
      dataSource.settings.migrationsDir,
    );
    for (const finding of findings) {
      const verdict = finding.acceptedBecause ? `accepted (${finding.acceptedBecause})` : 'error';
      console.log(`${finding.migration}: ${finding.rule}: ${finding.message}: ${verdict}`);
    }
    const open = findings.filter((finding) => !finding.acceptedBecause).length;
    console.log(`db:lint: ${findings.length} findings, ${open} not accepted`);
    return open > 0 ? 1 : 0;
  };
};

/** The seed runner of `dataSource`, waiting for the migration lock as migrations do. */
const seedRunner = (dataSource: MigrationDataSource) =>
  new SeedRunner(dataSource, dataSource.settings.lockTimeoutSeconds);

/** `npm run seed:run [-- --demo]`: applies the pending seeds, the demo seeds only with --demo. */
const seedRun: Command = (args) => {
  const { values } = parseArgs({ args, options: { demo: { type: 'boolean' } } });
  return async (dataSource) => {
    const applied = await seedRunner(dataSource).run({ demo: values.demo ?? false });
    if (applied.length === 0) console.log('No pending seeds.');
    for (const seed of applied) {
      console.log(`Seed ${seed.name} has been run: ${seed.rows} rows inserted.`);
    }
    return 0;
  };
};

/** `npm run seed:revert`: reverts the seed applied last. */
const seedRevert: Command = (args) => {
  parseArgs({ args, options: {} });
  return async (dataSource) => {
    const reverted = await seedRunner(dataSource).revertLast();
    console.log(
      reverted
        ? `Seed ${reverted.name} has been reverted: ${reverted.rows} rows deleted.`
        : `No seed to revert: ${SEED_HISTORY_TABLE} is empty.`,
    );
    return 0;
  };
};

/** `npm run seed:show`: every seed, `[X] <when applied>` or `[ ]`, `(demo)` for demo seeds. */
const seedShow: Command = (args) => {
  parseArgs({ args, options: {} });
  return async (dataSource) => {
    for (const seed of await seedRunner(dataSource).show()) {
      const mark = seed.runAt ? `[X] ${seed.runAt.toISOString()}` : '[ ]';
      console.log(`${mark} ${seed.name}${seed.demo ? ' (demo)' : ''}`);
    }
    return 0;
  };
};

const COMMANDS: Record<string, Command> = {
  status,
  check,
  revert,
  lint,
  'seed-run': seedRun,
  'seed-revert': seedRevert,
  'seed-show': seedShow,
};

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
  const env = validateEnvironment(process.env);
  const run = command(args, env);
  const server = await openDatabaseServer(env);
  try {
    const dataSource = await connect(server.url, migrationSettings(env));
    try {
      return await run(dataSource);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // node:util parseArgs throws a TypeError with a code for an unknown or malformed option.
    const usage = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ?? false;
    const name = usage ? UsageError.name : error instanceof Error ? error.name : '';
    console.error(error instanceof Error ? `${name}: ${error.message}` : String(error));
    process.exit(1);
  },
);
