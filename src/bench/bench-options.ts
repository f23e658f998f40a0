import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What `npm run bench -- [options]` was asked to do. Durations in seconds, sizes in rows. */
export interface BenchOptions {
  /** Print one JSON object on stdout instead of the text report (progress goes to stderr). */
  json: boolean;
  /**
   * Run the replica bench instead (docs/SCALING.md): the session lookup and an item-list read on
   * the primary alone and with one streaming replica, and the lag during a write burst.
   */
  replica: boolean;
  /**
   * Run the HTTP bench instead (docs/PERFORMANCE.md): the built app and a bare `node:http`
   * baseline, driven by autocannon on the session route and a page of the caller's items.
   */
  http: boolean;
  /** With `http`: start the app and the baseline with `node --cpu-prof` (into `.bench-profiles/`). */
  cpuProf: boolean;
  /** Measured time per variant and concurrency. */
  duration: number;
  /** Unmeasured time before each measurement. */
  warmup: number;
  /** Each measurement is split into this many rounds, variants interleaved, to even out noise. */
  rounds: number;
  /** Users and sessions of the main data set (a tenth of the sessions expired). */
  users: number;
  sessions: number;
  /** Table sizes of the "validation at 10,000 vs 1,000,000 sessions" comparison. */
  tableSmall: number;
  tableLarge: number;
  /** Sessions of the user deleted from the large table. */
  userSessions: number;
  /** Expired sessions deleted by the clean-up measurement. */
  expired: number;
  /** Rows per clean-up batch. */
  batchSize: number;
}

/** Thrown for a bad command-line option; the message is one line naming it. */
export class BenchOptionsError extends Error {
  override readonly name = 'BenchOptionsError';
}

const NUMBERS = {
  duration: { default: 10, integer: false, min: 0.01 },
  warmup: { default: 2, integer: false, min: 0 },
  rounds: { default: 5, integer: true, min: 1 },
  users: { default: 100_000, integer: true, min: 1 },
  sessions: { default: 200_000, integer: true, min: 10 },
  'table-small': { default: 10_000, integer: true, min: 10 },
  'table-large': { default: 1_000_000, integer: true, min: 10 },
  'user-sessions': { default: 1000, integer: true, min: 1 },
  expired: { default: 1_000_000, integer: true, min: 1 },
  'batch-size': { default: 1000, integer: true, min: 1 },
} as const;

type NumberOption = keyof typeof NUMBERS;

const PARSE_OPTIONS: ParseArgsConfig['options'] = {
  json: { type: 'boolean' },
  replica: { type: 'boolean' },
  http: { type: 'boolean' },
  'cpu-prof': { type: 'boolean' },
  ...Object.fromEntries(Object.keys(NUMBERS).map((name) => [name, { type: 'string' as const }])),
};

/**
 * Parses the bench's command line (`--json`, `--replica`, `--http`, `--cpu-prof`, `--duration <s>`, `--warmup <s>`, `--rounds <n>`,
 * `--users <n>`, `--sessions <n>`, `--table-small <n>`, `--table-large <n>`,
 * `--user-sessions <n>`, `--expired <n>`, `--batch-size <n>`).
 *
 * @throws BenchOptionsError naming the option when it is unknown or its value is not a number in
 *   range.
 */
export function parseBenchOptions(args: string[]): BenchOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args,
      options: PARSE_OPTIONS,
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new BenchOptionsError((error as Error).message.split('\n')[0]);
  }
  const number = (name: NumberOption): number => {
    const spec = NUMBERS[name];
    const raw = values[name];
    if (raw === undefined) return spec.default;
    const value = Number(raw);
    const ok =
      typeof raw === 'string' &&
      raw.trim() !== '' &&
      Number.isFinite(value) &&
      value >= spec.min &&
      (!spec.integer || Number.isInteger(value));
    if (!ok) {
      throw new BenchOptionsError(
        `--${name} must be ${spec.integer ? 'an integer' : 'a number'} of at least ${spec.min}, got ${String(raw)}`,
      );
    }
    return value;
  };
  const options: BenchOptions = {
    json: values.json === true,
    replica: values.replica === true,
    http: values.http === true,
    cpuProf: values['cpu-prof'] === true,
    duration: number('duration'),
    warmup: number('warmup'),
    rounds: number('rounds'),
    users: number('users'),
    sessions: number('sessions'),
    tableSmall: number('table-small'),
    tableLarge: number('table-large'),
    userSessions: number('user-sessions'),
    expired: number('expired'),
    batchSize: number('batch-size'),
  };
  if (options.tableLarge <= options.tableSmall) {
    throw new BenchOptionsError('--table-large must be larger than --table-small');
  }
  return options;
}
