import { plainToInstance } from 'class-transformer';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

/** An origin: `http` or `https`, a host name or bracketed IPv6 address, an optional port. */
const ORIGIN = String.raw`https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?`;

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

  /**
   * Streaming replicas of `DATABASE_URL`, comma-separated PostgreSQL URLs; the reads that tolerate
   * a little lag go to them (docs/SCALING.md). Unset: every query goes to `DATABASE_URL`.
   */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s,]+(\s*,\s*postgres(ql)?:\/\/[^\s,]+)*$/, {
    message:
      'DATABASE_REPLICA_URLS must be comma-separated PostgreSQL URLs such as postgres://user:password@replica1:5432/database',
  })
  DATABASE_REPLICA_URLS?: string;

  /** TCP port of the HTTP API; 0 takes a free port the system picks (logged at start). */
  @IsInt({ message: 'PORT must be an integer from 0 to 65535' })
  @Min(0, { message: 'PORT must be an integer from 0 to 65535' })
  @Max(65535, { message: 'PORT must be an integer from 0 to 65535' })
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

  /**
   * How long a migration waits for a lock on a table that another transaction holds, in seconds
   * (PostgreSQL's `lock_timeout`), before it fails and asks to be retried. Meanwhile every query
   * on that table queues behind the migration, so the wait is kept short.
   */
  @IsInt({ message: 'MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS must be an integer from 1 to 3600' })
  @Min(1, { message: 'MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS must be an integer from 1 to 3600' })
  @Max(3600, { message: 'MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS must be an integer from 1 to 3600' })
  MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS = 10;

  /**
   * How long opening a database connection may take, in seconds, waiting for a free connection
   * of the pool included; the app, the migrations and the command-line tools all use it.
   */
  @IsInt({ message: 'DATABASE_CONNECT_TIMEOUT_SECONDS must be an integer from 1 to 600' })
  @Min(1, { message: 'DATABASE_CONNECT_TIMEOUT_SECONDS must be an integer from 1 to 600' })
  @Max(600, { message: 'DATABASE_CONNECT_TIMEOUT_SECONDS must be an integer from 1 to 600' })
  DATABASE_CONNECT_TIMEOUT_SECONDS = 5;

  /**
   * PostgreSQL's `statement_timeout` for the API's queries, in seconds; 0 sends none. Migrations
   * do not get it.
   */
  @IsInt({ message: 'DATABASE_STATEMENT_TIMEOUT_SECONDS must be an integer from 0 to 3600' })
  @Min(0, { message: 'DATABASE_STATEMENT_TIMEOUT_SECONDS must be an integer from 0 to 3600' })
  @Max(3600, { message: 'DATABASE_STATEMENT_TIMEOUT_SECONDS must be an integer from 0 to 3600' })
  DATABASE_STATEMENT_TIMEOUT_SECONDS = 5;

  /**
   * PostgreSQL's `idle_in_transaction_session_timeout` for the API's connections, in seconds;
   * 0 sends none.
   */
  @IsInt({
    message: 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS must be an integer from 0 to 3600',
  })
  @Min(0, {
    message: 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS must be an integer from 0 to 3600',
  })
  @Max(3600, {
    message: 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS must be an integer from 0 to 3600',
  })
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS = 10;

  /**
   * The client's own limit on an API query, in seconds (pg's `query_timeout`): a frozen server
   * cannot enforce its `statement_timeout`. Keep it above `DATABASE_STATEMENT_TIMEOUT_SECONDS`.
   */
  @IsInt({ message: 'DATABASE_QUERY_TIMEOUT_SECONDS must be an integer from 1 to 3600' })
  @Min(1, { message: 'DATABASE_QUERY_TIMEOUT_SECONDS must be an integer from 1 to 3600' })
  @Max(3600, { message: 'DATABASE_QUERY_TIMEOUT_SECONDS must be an integer from 1 to 3600' })
  DATABASE_QUERY_TIMEOUT_SECONDS = 7;

  /**
   * `false` sends the session lookup as an unnamed statement (parsed and planned on every call)
   * instead of a named prepared statement: needed behind PgBouncer before 1.21 in transaction
   * pooling mode, where a statement prepared on one server connection is missing on the next
   * (docs/PERFORMANCE.md, "Behind PgBouncer").
   */
  @IsIn(['true', 'false'], { message: 'DATABASE_PREPARED_STATEMENTS must be true or false' })
  DATABASE_PREPARED_STATEMENTS: 'true' | 'false' = 'true';

  /** Time a client has to send a request's headers, in seconds (Node's `headersTimeout`). */
  @IsInt({ message: 'HTTP_HEADERS_TIMEOUT_SECONDS must be an integer from 1 to 600' })
  @Min(1, { message: 'HTTP_HEADERS_TIMEOUT_SECONDS must be an integer from 1 to 600' })
  @Max(600, { message: 'HTTP_HEADERS_TIMEOUT_SECONDS must be an integer from 1 to 600' })
  HTTP_HEADERS_TIMEOUT_SECONDS = 10;

  /**
   * Time a client has to send a whole request, body included, in seconds (Node's
   * `requestTimeout`); at least `HTTP_HEADERS_TIMEOUT_SECONDS`.
   */
  @IsInt({ message: 'HTTP_REQUEST_TIMEOUT_SECONDS must be an integer from 1 to 3600' })
  @Min(1, { message: 'HTTP_REQUEST_TIMEOUT_SECONDS must be an integer from 1 to 3600' })
  @Max(3600, { message: 'HTTP_REQUEST_TIMEOUT_SECONDS must be an integer from 1 to 3600' })
  HTTP_REQUEST_TIMEOUT_SECONDS = 30;

  /**
   * How long an idle keep-alive connection stays open, in seconds (Node's `keepAliveTimeout`).
   * Behind a load balancer, set it above the balancer's idle time-out.
   */
  @IsInt({ message: 'HTTP_KEEP_ALIVE_TIMEOUT_SECONDS must be an integer from 1 to 600' })
  @Min(1, { message: 'HTTP_KEEP_ALIVE_TIMEOUT_SECONDS must be an integer from 1 to 600' })
  @Max(600, { message: 'HTTP_KEEP_ALIVE_TIMEOUT_SECONDS must be an integer from 1 to 600' })
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS = 5;

  /**
   * How long a SIGTERM or SIGINT waits for the requests in flight before it closes their
   * connections, in seconds (from 1 to 600).
   */
  @IsInt({ message: 'SHUTDOWN_TIMEOUT_SECONDS must be an integer from 1 to 600' })
  @Min(1, { message: 'SHUTDOWN_TIMEOUT_SECONDS must be an integer from 1 to 600' })
  @Max(600, { message: 'SHUTDOWN_TIMEOUT_SECONDS must be an integer from 1 to 600' })
  SHUTDOWN_TIMEOUT_SECONDS = 10;

  /** `true` records the current checksum of changed applied migrations instead of refusing. */
  @IsIn(['true', 'false'], { message: 'MIGRATION_ACCEPT_CHANGED_CHECKSUMS must be true or false' })
  MIGRATION_ACCEPT_CHANGED_CHECKSUMS: 'true' | 'false' = 'false';

  /**
   * The key Better Auth signs its session cookie and `set-auth-token` values with (HMAC-SHA-256),
   * 32 characters or more. Required when `NODE_ENV=production`; in development one is generated
   * on first start and kept in `better-auth-secret` beside `EMBEDDED_PG_DIR`.
   */
  @IsOptional()
  @MinLength(32, { message: 'BETTER_AUTH_SECRET must be 32 characters or more' })
  BETTER_AUTH_SECRET?: string;

  /** The public origin of the API, as clients reach it (default `http://localhost:<PORT>`). */
  @IsOptional()
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'BETTER_AUTH_URL must be an http or https URL such as https://api.example.com' },
  )
  BETTER_AUTH_URL?: string;

  /**
   * Origins, comma-separated, that may send cookie-authenticated requests and be named in
   * Better Auth's `callbackURL`s; `BETTER_AUTH_URL`'s origin is always trusted.
   */
  @IsOptional()
  @Matches(/^https?:\/\/[^\s,]+(\s*,\s*https?:\/\/[^\s,]+)*$/, {
    message:
      'BETTER_AUTH_TRUSTED_ORIGINS must be comma-separated origins such as https://app.example.com',
  })
  BETTER_AUTH_TRUSTED_ORIGINS?: string;

  /**
   * Origins, comma-separated, whose browser pages may call the API cross-origin (CORS, with
   * credentials); unset means no CORS headers at all. Normally a subset of `BETTER_AUTH_URL`'s
   * origin and `BETTER_AUTH_TRUSTED_ORIGINS`: other origins can read but not send
   * cookie-authenticated writes.
   */
  @IsOptional()
  @Matches(new RegExp(`^${ORIGIN}(\\s*,\\s*${ORIGIN})*$`), {
    message:
      'CORS_ORIGINS must be comma-separated origins such as https://app.example.com (no path, no wildcard)',
  })
  CORS_ORIGINS?: string;

  /** `true`: sign-in is refused until the email address is verified through the emailed link. */
  @IsIn(['true', 'false'], { message: 'REQUIRE_EMAIL_VERIFICATION must be true or false' })
  REQUIRE_EMAIL_VERIFICATION: 'true' | 'false' = 'false';

  /**
   * The SMTP server mail is sent through, as a nodemailer URL
   * (`smtps://user:password@smtp.example.com:465`). Required when `NODE_ENV=production`; without
   * it, development logs each message's links instead of sending it.
   */
  @IsOptional()
  @IsUrl(
    { protocols: ['smtp', 'smtps'], require_protocol: true, require_tld: false },
    { message: 'SMTP_URL must be an smtp:// or smtps:// URL' },
  )
  SMTP_URL?: string;

  /** The sender of the mail the app sends. */
  @IsEmail(
    { allow_display_name: true, require_tld: false },
    { message: 'MAIL_FROM must be an email address' },
  )
  MAIL_FROM = 'no-reply@localhost';

  /** How long a phone verification code is valid, in seconds (default 10 minutes). */
  @IsInt({ message: 'PHONE_CODE_TTL_SECONDS must be an integer from 60 to 86400' })
  @Min(60, { message: 'PHONE_CODE_TTL_SECONDS must be an integer from 60 to 86400' })
  @Max(86_400, { message: 'PHONE_CODE_TTL_SECONDS must be an integer from 60 to 86400' })
  PHONE_CODE_TTL_SECONDS = 600;

  /** Seconds a user waits before another code can be sent (default 60). */
  @IsInt({ message: 'PHONE_CODE_RESEND_SECONDS must be an integer from 0 to 86400' })
  @Min(0, { message: 'PHONE_CODE_RESEND_SECONDS must be an integer from 0 to 86400' })
  @Max(86_400, { message: 'PHONE_CODE_RESEND_SECONDS must be an integer from 0 to 86400' })
  PHONE_CODE_RESEND_SECONDS = 60;

  /**
   * Better Auth's rate limit for every `/api/auth` endpoint without a stricter rule: at most
   * `AUTH_RATE_LIMIT_MAX` requests per `AUTH_RATE_LIMIT_WINDOW_SECONDS`, per client IP and path.
   */
  @IsInt({ message: 'AUTH_RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400' })
  @Min(1, { message: 'AUTH_RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400' })
  @Max(86_400, { message: 'AUTH_RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400' })
  AUTH_RATE_LIMIT_WINDOW_SECONDS = 60;

  @IsInt({ message: 'AUTH_RATE_LIMIT_MAX must be a positive integer' })
  @Min(1, { message: 'AUTH_RATE_LIMIT_MAX must be a positive integer' })
  AUTH_RATE_LIMIT_MAX = 100;

  /** The stricter rule for password guessing: sign-in, sign-up and change-password. */
  @IsInt({ message: 'AUTH_SIGN_IN_RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400' })
  @Min(1, { message: 'AUTH_SIGN_IN_RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400' })
  @Max(86_400, {
    message: 'AUTH_SIGN_IN_RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400',
  })
  AUTH_SIGN_IN_RATE_LIMIT_WINDOW_SECONDS = 60;

  @IsInt({ message: 'AUTH_SIGN_IN_RATE_LIMIT_MAX must be a positive integer' })
  @Min(1, { message: 'AUTH_SIGN_IN_RATE_LIMIT_MAX must be a positive integer' })
  AUTH_SIGN_IN_RATE_LIMIT_MAX = 5;

  /** The rule for endpoints that send mail: password reset requests and verification mails. */
  @IsInt({ message: 'AUTH_EMAIL_RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400' })
  @Min(1, { message: 'AUTH_EMAIL_RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400' })
  @Max(86_400, {
    message: 'AUTH_EMAIL_RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400',
  })
  AUTH_EMAIL_RATE_LIMIT_WINDOW_SECONDS = 300;

  @IsInt({ message: 'AUTH_EMAIL_RATE_LIMIT_MAX must be a positive integer' })
  @Min(1, { message: 'AUTH_EMAIL_RATE_LIMIT_MAX must be a positive integer' })
  AUTH_EMAIL_RATE_LIMIT_MAX = 3;

  /**
   * The rest of the API (every route outside `/api/auth`): at most `API_RATE_LIMIT_MAX` requests
   * per `API_RATE_LIMIT_TTL_SECONDS` per client IP, all routes together, counted in memory.
   */
  @IsInt({ message: 'API_RATE_LIMIT_TTL_SECONDS must be an integer from 1 to 86400' })
  @Min(1, { message: 'API_RATE_LIMIT_TTL_SECONDS must be an integer from 1 to 86400' })
  @Max(86_400, { message: 'API_RATE_LIMIT_TTL_SECONDS must be an integer from 1 to 86400' })
  API_RATE_LIMIT_TTL_SECONDS = 60;

  @IsInt({ message: 'API_RATE_LIMIT_MAX must be a positive integer' })
  @Min(1, { message: 'API_RATE_LIMIT_MAX must be a positive integer' })
  API_RATE_LIMIT_MAX = 100;

  /** Live sessions a user may hold; a new one revokes the oldest beyond this number. */
  @IsInt({ message: 'SESSION_MAX_PER_USER must be an integer from 1 to 1000' })
  @Min(1, { message: 'SESSION_MAX_PER_USER must be an integer from 1 to 1000' })
  @Max(1000, { message: 'SESSION_MAX_PER_USER must be an integer from 1 to 1000' })
  SESSION_MAX_PER_USER = 10;

  /**
   * Which proxies in front of the app are trusted to name the client in `X-Forwarded-For`,
   * Express's `trust proxy` setting: `false` (none: the client is the TCP peer), `true` (any),
   * a number of hops, or comma-separated addresses, CIDR ranges or `loopback`, `linklocal`,
   * `uniquelocal`. Rate limits count per client address, so set it behind a proxy.
   */
  @Matches(
    /^(true|false|\d+|(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(\/\d+)?)(\s*,\s*(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(\/\d+)?))*)$/,
    {
      message:
        'TRUST_PROXY must be true, false, a number of hops or comma-separated addresses such as loopback, 10.0.0.0/8',
    },
  )
  TRUST_PROXY = 'false';
}

/**
 * Refuses to serve in production without what production needs: the app calls it at start; the
 * command-line tools, which sign and send nothing, do not.
 *
 * @throws EnvironmentError with one line per missing variable, each naming it, when `NODE_ENV` is
 *   `production` and `BETTER_AUTH_SECRET` or `SMTP_URL` is unset.
 */
export function assertServableEnvironment(env: Environment): void {
  if (env.NODE_ENV !== 'production') return;
  const lines = REQUIRED_IN_PRODUCTION.filter(([key]) => env[key] === undefined).map(
    ([, message]) => message,
  );
  if (lines.length > 0) throw new EnvironmentError(lines.join('\n'));
}

/** What production refuses to start without, each with its one-line message. */
const REQUIRED_IN_PRODUCTION: [keyof Environment, string][] = [
  [
    'BETTER_AUTH_SECRET',
    'BETTER_AUTH_SECRET is required when NODE_ENV=production (32 characters or more)',
  ],
  ['SMTP_URL', 'SMTP_URL is required when NODE_ENV=production (mail cannot only be logged)'],
];

const NUMERIC_KEYS = [
  'PORT',
  'EMBEDDED_PG_PORT',
  'SESSION_TTL_SECONDS',
  'SESSION_UPDATE_AGE_SECONDS',
  'SESSION_CLEANUP_INTERVAL_SECONDS',
  'SESSION_CLEANUP_BATCH_SIZE',
  'BODY_LIMIT_BYTES',
  'MIGRATION_LOCK_TIMEOUT_SECONDS',
  'MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS',
  'DATABASE_CONNECT_TIMEOUT_SECONDS',
  'DATABASE_STATEMENT_TIMEOUT_SECONDS',
  'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS',
  'DATABASE_QUERY_TIMEOUT_SECONDS',
  'HTTP_HEADERS_TIMEOUT_SECONDS',
  'HTTP_REQUEST_TIMEOUT_SECONDS',
  'HTTP_KEEP_ALIVE_TIMEOUT_SECONDS',
  'SHUTDOWN_TIMEOUT_SECONDS',
  'PHONE_CODE_TTL_SECONDS',
  'PHONE_CODE_RESEND_SECONDS',
  'AUTH_RATE_LIMIT_WINDOW_SECONDS',
  'AUTH_RATE_LIMIT_MAX',
  'AUTH_SIGN_IN_RATE_LIMIT_WINDOW_SECONDS',
  'AUTH_SIGN_IN_RATE_LIMIT_MAX',
  'AUTH_EMAIL_RATE_LIMIT_WINDOW_SECONDS',
  'AUTH_EMAIL_RATE_LIMIT_MAX',
  'API_RATE_LIMIT_TTL_SECONDS',
  'API_RATE_LIMIT_MAX',
  'SESSION_MAX_PER_USER',
];
const KEYS = [
  'DATABASE_URL',
  'DATABASE_REPLICA_URLS',
  'EMBEDDED_PG_DIR',
  'LOG_LEVEL',
  'NODE_ENV',
  'MIGRATION_ACCEPT_CHANGED_CHECKSUMS',
  'DATABASE_PREPARED_STATEMENTS',
  'BETTER_AUTH_SECRET',
  'BETTER_AUTH_URL',
  'BETTER_AUTH_TRUSTED_ORIGINS',
  'CORS_ORIGINS',
  'REQUIRE_EMAIL_VERIFICATION',
  'SMTP_URL',
  'MAIL_FROM',
  'TRUST_PROXY',
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
  const lines = errors.map((error) => Object.values(error.constraints ?? {})[0] ?? error.property);
  if (lines.length > 0) throw new EnvironmentError(lines.join('\n'));
  return env;
}

/**
 * The replica URLs of `DATABASE_REPLICA_URLS`, in order; empty when it is unset.
 *
 * @param value the validated variable (see {@link Environment.DATABASE_REPLICA_URLS}).
 */
export function replicaUrls(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
}
