import { parseConfig } from '../config/environment';
import { COMMANDS, failureLine, UsageError } from './db-commands';

/** The line db-cli.ts prints when `command` refuses `args`, or undefined when it accepts them. */
function refusal(command: string, args: string[], env: Record<string, string> = {}) {
  try {
    COMMANDS[command]!(args, parseConfig(env));
    return undefined;
  } catch (error) {
    return failureLine(error);
  }
}

describe('db-cli commands (options read before any connection)', () => {
  it.each([
    [['--steps', '0'], 'UsageError: --steps must be a positive integer'],
    [['--steps', '1.5'], 'UsageError: --steps must be a positive integer'],
    [['--steps=-1'], 'UsageError: --steps must be a positive integer'],
    [['--steps', '-1'], "UsageError: Option '--steps' argument is ambiguous."],
    [[], 'UsageError: db:revert needs either --steps <N> or --to <MigrationName>'],
    [
      ['--steps', '1', '--to', 'InitialAuthSchema1795332300934'],
      'UsageError: db:revert needs either --steps <N> or --to <MigrationName>',
    ],
  ])('db:revert %j refuses with %j', (args, line) => {
    expect(refusal('revert', args)).toBe(line);
  });

  it('db:revert accepts --steps N or --to <name>', () => {
    expect(refusal('revert', ['--steps', '2'])).toBeUndefined();
    expect(refusal('revert', ['--to', 'InitialAuthSchema1795332300934'])).toBeUndefined();
  });

  it('db:revert refuses under NODE_ENV=production without --force, and accepts it with', () => {
    const production = { NODE_ENV: 'production' };

    expect(refusal('revert', ['--steps', '1'], production)).toBe(
      'UsageError: Refusing to revert migrations with NODE_ENV=production: take a backup, then add --force',
    );
    expect(refusal('revert', ['--steps', '1', '--force'], production)).toBeUndefined();
  });

  it.each([
    ['status', ['--verbose']],
    ['check', ['--json']],
    ['lint', ['--fix']],
    ['seed-run', ['--everything']],
    ['seed-revert', ['--all']],
    ['seed-show', ['--demo']],
  ])('%s refuses the unknown option %j with one UsageError line naming it', (command, args) => {
    const line = refusal(command, args);

    expect(line).toMatch(new RegExp(`^UsageError: Unknown option '${args[0]}'`));
    expect(line).not.toContain('\n');
  });

  it.each([
    ['status', ['--json']],
    ['seed-run', ['--demo']],
  ])('%s accepts %j', (command, args) => {
    expect(refusal(command, args)).toBeUndefined();
  });

  it('prints any other error by its own name', () => {
    const error = Object.assign(new Error('Migration X is not applied'), {
      name: 'MigrationRevertError',
    });

    expect(failureLine(error)).toBe('MigrationRevertError: Migration X is not applied');
    expect(failureLine(new UsageError('bad'))).toBe('UsageError: bad');
    expect(failureLine('plain')).toBe('plain');
  });
});
