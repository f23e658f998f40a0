import { parseArgs } from 'node:util';
import type { AppConfig } from '../config/environment';
import { openPostgresTarget } from '../embedded-postgres/postgres-target';
import { checkDatabase } from './database-check';
import { lintMigrations } from './migration-lint';
import { type Migrator, migrationSettings, openMigrator, type RunOptions } from './migrator';
import { formatMigrationStatus, readMigrationStatus } from './migration-status';
import { revertRefusal } from './revert-guard';
import { SEED_HISTORY_TABLE, SeedRunner } from './seeds/seed-runner';

/** Thrown for a command line that cannot be run as given; the message is one line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * A command of `db-cli.ts`: reads its options, throwing before any connection (a UsageError, or
 * node:util's parseArgs TypeError for an unknown option), and gives what to run on the database,
 * which resolves with the exit status.
 */
export type Command = (args: string[], env: AppConfig) => (migrator: Migrator) => Promise<number>;

/** `npm run db:status [-- --json]`: exit 1 when a migration is pending. */
const status: Command = (args) => {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  return async ({ dataSource }) => {
    const current = await readMigrationStatus(dataSource);
    const lines = values.json ? [JSON.stringify(current)] : formatMigrationStatus(current);
    console.log(lines.join('\n'));
    return current.pending.length > 0 ? 1 : 0;
  };
};

/** `npm run db:check`: exit 1 with one line per problem. */
const check: Command = (args) => {
  parseArgs({ args, options: {} });
  return async (migrator) => {
    const problems = await checkDatabase(migrator);
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
  return async (migrator) => {
    const reverted = await migrator.revert(
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

/**
 * `npm run db:lint`: one line per finding, `<Migration>: <rule>: <message>: <statement>`, the
 * statement cut to 200 characters; exit 1 when there is one.
 */
const lint: Command = (args) => {
  parseArgs({ args, options: {} });
  return async ({ dataSource, settings }) => {
    const findings = await lintMigrations(
      (dataSource.options as { url: string }).url,
      settings.migrationsDir,
    );
    for (const { migration, rule, message, statement } of findings) {
      const shown = statement.length > 200 ? `${statement.slice(0, 197)}...` : statement;
      console.log(`${migration}: ${rule}: ${message}: ${shown}`);
    }
    console.log(`db:lint: ${findings.length} findings`);
    return findings.length > 0 ? 1 : 0;
  };
};

/** The seed runner on the migrator's database, waiting for the migration lock as migrations do. */
const seedRunner = ({ dataSource, settings }: Migrator) =>
  new SeedRunner(dataSource, settings.lockTimeoutSeconds);

/** `npm run seed:run [-- --demo]`: applies the pending seeds, the demo seeds only with --demo. */
const seedRun: Command = (args) => {
  const { values } = parseArgs({ args, options: { demo: { type: 'boolean' } } });
  return async (migrator) => {
    const applied = await seedRunner(migrator).run({ demo: values.demo ?? false });
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
  return async (migrator) => {
    const reverted = await seedRunner(migrator).revertLast();
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
  return async (migrator) => {
    for (const seed of await seedRunner(migrator).show()) {
      const mark = seed.runAt ? `[X] ${seed.runAt.toISOString()}` : '[ ]';
      console.log(`${mark} ${seed.name}${seed.demo ? ' (demo)' : ''}`);
    }
    return 0;
  };
};

/** TypeORM's options of `migration:run` and `migration:revert`; `-d` is always this project's. */
const TYPEORM_OPTIONS = {
  dataSource: { type: 'string', short: 'd' },
  transaction: { type: 'string', short: 't' },
  fake: { type: 'boolean', short: 'f' },
} as const;

/** TypeORM's `-t`: `default` (or none) is each migration in its own transaction. */
function transactionMode(value: string | undefined): RunOptions['transaction'] {
  if (value === undefined || value === 'default') return 'each';
  if (value === 'all' || value === 'none' || value === 'each') return value;
  throw new UsageError(`--transaction must be all, none, each or default, not "${value}"`);
}

/**
 * `npm run typeorm migration:run [-t all|none|each] [--fake]`, through the Migrator (lock,
 * checksums) rather than TypeORM's CLI, printing what TypeORM's CLI prints for each migration.
 */
const migrationRun: Command = (args) => {
  const { values } = parseArgs({ args, options: TYPEORM_OPTIONS });
  const options = { transaction: transactionMode(values.transaction), fake: values.fake ?? false };
  return async (migrator) => {
    const { applied, checksums } = await migrator.run(options);
    if (checksums.accepted.length > 0) {
      console.log(`Recorded the changed checksums of: ${checksums.accepted.join(', ')}`);
    }
    if (applied.length === 0) console.log('No migrations are pending');
    for (const name of applied) {
      console.log(
        `Migration ${name} has been ${options.fake ? '(fake) ' : ''}executed successfully.`,
      );
    }
    return 0;
  };
};

/**
 * `npm run typeorm migration:revert [--fake] [--force]`: undoes the last applied migration through
 * the Migrator. The NODE_ENV=production refusal is the caller's (typeorm-cli.ts), before any
 * connection; `-t` is accepted and ignored, as the Migrator picks the transaction per migration.
 */
const migrationRevert: Command = (args) => {
  const { values } = parseArgs({
    args,
    options: { ...TYPEORM_OPTIONS, force: { type: 'boolean' } },
  });
  return async (migrator) => {
    const reverted = await migrator.undoLast({ fake: values.fake ?? false });
    console.log(
      reverted
        ? `Migration ${reverted} has been ${values.fake ? '(fake) ' : ''}reverted successfully.`
        : 'No migrations were found in the database. Nothing to revert!',
    );
    return 0;
  };
};

/** The TypeORM CLI commands that `typeorm-cli.ts` runs through the Migrator, by their name. */
export const MIGRATOR_COMMANDS: Record<string, Command> = {
  'migration:run': migrationRun,
  'migration:revert': migrationRevert,
};

/**
 * Runs `command` with `args` on the database that DATABASE_URL names or on the embedded server
 * (started for the command and stopped after it, or joined while it runs).
 *
 * @returns the command's exit status.
 * @throws UsageError (or parseArgs's TypeError) for bad arguments, before any connection;
 *   DatabaseConnectionError, EmbeddedPostgresError; whatever the command throws.
 */
export async function runOnDatabase(
  command: Command,
  args: string[],
  env: AppConfig,
): Promise<number> {
  const run = command(args, env);
  const server = await openPostgresTarget(env);
  try {
    const migrator = await openMigrator(server.url, migrationSettings(env));
    try {
      return await run(migrator);
    } finally {
      await migrator.close();
    }
  } finally {
    await server.stop();
  }
}

/** The commands of `npm run db:<command>` and `npm run seed:<command>`, by the name db-cli.ts gets. */
export const COMMANDS: Record<string, Command> = {
  status,
  check,
  revert,
  lint,
  'seed-run': seedRun,
  'seed-revert': seedRevert,
  'seed-show': seedShow,
};

/**
 * The one line db-cli.ts prints for a failure: `<name>: <message>`, where node:util parseArgs's
 * errors for an unknown or malformed option (code `ERR_PARSE_ARGS_*`) are named UsageError and
 * cut to their first line.
 */
export function failureLine(error: unknown): string {
  // Duck-typed: Node's own errors may come from another realm (a VM context), failing instanceof.
  if (typeof error !== 'object' || error === null || !('message' in error)) return String(error);
  const { name, message, code } = error as { name?: string; message: string; code?: unknown };
  const usage = typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
  // parseArgs explains some refusals over three lines; the first one names the option.
  return usage ? `${UsageError.name}: ${message.split('\n')[0]}` : `${name ?? 'Error'}: ${message}`;
}
