import { parseArgs } from 'node:util';
import type { Environment } from '../config/environment';
import { checkDatabase } from './database-check';
import type { MigrationDataSource } from './migration-data-source';
import { lintMigrations } from './migration-lint';
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
export type Command = (
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
