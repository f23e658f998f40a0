import { plainToInstance } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUrl, Max, Min, validateSync } from 'class-validator';

/** Thrown when an environment variable is malformed; the message is one line naming the variable. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

/**
 * The environment variables the app, the TypeORM CLI and the tests read.
 * Every one is optional: without `DATABASE_URL` an embedded PostgreSQL is started.
 */
export class Environment {
  /** Any PostgreSQL connection URL (`postgres://` or `postgresql://`); unset means "use the embedded server". */
  @IsOptional()
  @IsUrl(
    {
      protocols: ['postgres', 'postgresql'],
      require_protocol: true,
      require_tld: false,
      require_host: false,
      allow_underscores: true,
    },
    {
      message:
        'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database',
    },
  )
  DATABASE_URL?: string;

  /** TCP port of the HTTP API. */
  @IsInt({ message: 'PORT must be an integer from 1 to 65535' })
  @Min(1, { message: 'PORT must be an integer from 1 to 65535' })
  @Max(65535, { message: 'PORT must be an integer from 1 to 65535' })
  PORT = 3000;

  /** TCP port of the embedded PostgreSQL (used only when DATABASE_URL is unset). */
  @IsInt({ message: 'EMBEDDED_PG_PORT must be an integer from 1 to 65535' })
  @Min(1, { message: 'EMBEDDED_PG_PORT must be an integer from 1 to 65535' })
  @Max(65535, { message: 'EMBEDDED_PG_PORT must be an integer from 1 to 65535' })
  EMBEDDED_PG_PORT = 54329;

  /** Folder of the embedded PostgreSQL, relative to the working directory or absolute. */
  @IsString()
  EMBEDDED_PG_DIR = '.data/embedded-postgres';

  /** Lifetime of a new session, in seconds (default 7 days). */
  @IsInt({ message: 'SESSION_TTL_SECONDS must be a positive integer' })
  @Min(1, { message: 'SESSION_TTL_SECONDS must be a positive integer' })
  SESSION_TTL_SECONDS = 7 * 24 * 60 * 60;

  /**
   * Sliding renewal: a session used this many seconds or more after it was created or last
   * renewed gets a fresh `SESSION_TTL_SECONDS` (default 1 day, Better Auth's `updateAge`).
   */
  @IsInt({ message: 'SESSION_UPDATE_AGE_SECONDS must be an integer of 0 or more' })
  @Min(0, { message: 'SESSION_UPDATE_AGE_SECONDS must be an integer of 0 or more' })
  SESSION_UPDATE_AGE_SECONDS = 24 * 60 * 60;

  /**
   * Seconds between two runs of the expired-session clean-up; 0 turns it off (default 1 hour).
   * At most 2147483 (about 24.8 days): Node's timers take at most 2^31-1 ms and run a longer
   * interval every millisecond.
   */
  @IsInt({ message: 'SESSION_CLEANUP_INTERVAL_SECONDS must be an integer from 0 to 2147483' })
  @Min(0, { message: 'SESSION_CLEANUP_INTERVAL_SECONDS must be an integer from 0 to 2147483' })
  @Max(2_147_483, {
    message: 'SESSION_CLEANUP_INTERVAL_SECONDS must be an integer from 0 to 2147483',
  })
  SESSION_CLEANUP_INTERVAL_SECONDS = 60 * 60;

  /** Expired sessions deleted per statement by the clean-up (each batch is a short transaction). */
  @IsInt({ message: 'SESSION_CLEANUP_BATCH_SIZE must be an integer from 1 to 100000' })
  @Min(1, { message: 'SESSION_CLEANUP_BATCH_SIZE must be an integer from 1 to 100000' })
  @Max(100_000, { message: 'SESSION_CLEANUP_BATCH_SIZE must be an integer from 1 to 100000' })
  SESSION_CLEANUP_BATCH_SIZE = 1000;

  /** Largest accepted JSON request body, in bytes (larger bodies get a 413). */
  @IsInt({ message: 'BODY_LIMIT_BYTES must be a positive integer' })
  @Min(1, { message: 'BODY_LIMIT_BYTES must be a positive integer' })
  BODY_LIMIT_BYTES = 100 * 1024;

  /** Lowest level of the log lines the app prints. */
  @IsIn(['debug', 'info', 'warn', 'error'], {
    message: 'LOG_LEVEL must be one of debug, info, warn, error',
  })
  LOG_LEVEL: 'debug' | 'info' | 'warn' | 'error' = 'info';

  /** `production` makes `npm run db:revert` refuse unless `--force` is given; any value is accepted. */
  @IsOptional()
  @IsString()
  NODE_ENV?: string;

  /** How long a process waits for the migration lock that another one holds, in seconds. */
  @IsInt({ message: 'MIGRATION_LOCK_TIMEOUT_SECONDS must be a positive integer' })
  @Min(1, { message: 'MIGRATION_LOCK_TIMEOUT_SECONDS must be a positive integer' })
  MIGRATION_LOCK_TIMEOUT_SECONDS = 300;

  /** `true` records the current checksum of changed applied migrations instead of refusing. */
  @IsIn(['true', 'false'], { message: 'MIGRATION_ACCEPT_CHANGED_CHECKSUMS must be true or false' })
  MIGRATION_ACCEPT_CHANGED_CHECKSUMS: 'true' | 'false' = 'false';
}

const NUMERIC_KEYS = [
  'PORT',
  'EMBEDDED_PG_PORT',
  'SESSION_TTL_SECONDS',
  'SESSION_UPDATE_AGE_SECONDS',
  'SESSION_CLEANUP_INTERVAL_SECONDS',
  'SESSION_CLEANUP_BATCH_SIZE',
  'BODY_LIMIT_BYTES',
  'MIGRATION_LOCK_TIMEOUT_SECONDS',
];
const KEYS = [
  'DATABASE_URL',
  'EMBEDDED_PG_DIR',
  'LOG_LEVEL',
  'NODE_ENV',
  'MIGRATION_ACCEPT_CHANGED_CHECKSUMS',
  ...NUMERIC_KEYS,
];

/**
 * Reads and validates the environment.
 *
 * @param raw the variables, usually `process.env`; empty strings count as unset.
 * @returns the typed environment with defaults filled in.
 * @throws EnvironmentError with one line per wrong variable, each naming it.
 */
export function validateEnvironment(raw: Record<string, string | undefined>): Environment {
  const present: Record<string, string | number> = {};
  for (const key of KEYS) {
    const value = raw[key];
    if (value === undefined || value.trim() === '') continue;
    // A numeric variable that is not a number stays a string so that IsInt names it.
    present[key] =
      NUMERIC_KEYS.includes(key) && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value.trim();
  }
  const env = plainToInstance(Environment, present);
  const errors = validateSync(env, { forbidUnknownValues: false });
  if (errors.length > 0) {
    const lines = errors.map(
      (error) => Object.values(error.constraints ?? {})[0] ?? error.property,
    );
    throw new EnvironmentError(lines.join('\n'));
  }
  return env;
}
