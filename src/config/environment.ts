import { z } from 'zod';

/** Thrown when an environment variable is malformed; the message is one line naming the variable. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

/**
 * The builders below each check one kind of value and carry the message for it, written without
 * the variable's name: {@link parseConfig} puts the name in front (`PORT must be ...`). Every
 * input is a trimmed, non-empty string; an unset or blank variable never reaches them.
 */

/** An integer from `min` to `max` (or unbounded above); gives a number. */
function integer(min: number, max?: number) {
  const range =
    max !== undefined
      ? `an integer from ${min} to ${max}`
      : min === 1
        ? 'a positive integer'
        : `an integer of ${min} or more`;
  return z
    .string()
    .refine(
      (value) =>
        /^-?\d+$/.test(value) &&
        Number.isSafeInteger(Number(value)) &&
        Number(value) >= min &&
        Number(value) <= (max ?? Number.MAX_SAFE_INTEGER),
      `must be ${range}`,
    )
    .transform(Number);
}

/** `true` or `false`; gives a boolean. */
function flag() {
  return z.enum(['true', 'false'], 'must be true or false').transform((value) => value === 'true');
}

/** One of `values`. */
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, `must be one of ${values.join(', ')}`);
}

/** A string matching `pattern`. */
function matching(pattern: RegExp, message: string) {
  return z.string().regex(pattern, message);
}

/**
 * A URL (WHATWG parsing) with one of `protocols`, no white space, and a host; with `hostless`,
 * a path may stand in for the host (`postgresql:///app?host=/var/run/postgresql`, a socket).
 */
function url(protocols: string[], message: string, hostless = false) {
  return z.string().refine((value) => {
    if (/\s/.test(value) || !URL.canParse(value)) return false;
    const parsed = new URL(value);
    const located = parsed.host !== '' || (hostless && !['', '/'].includes(parsed.pathname));
    return protocols.includes(parsed.protocol.slice(0, -1)) && located;
  }, message);
}

/** An email address, optionally with a display name (`Shop <shop@example.com>`). */
function mailbox(message: string) {
  return matching(/^(?:[^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/, message);
}

/** An origin: `http` or `https`, a host name or bracketed IPv6 address, an optional port. */
const ORIGIN = String.raw`https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?`;

/** A proxy address or range for `TRUST_PROXY`. */
const PROXY = String.raw`(loopback|linklocal|uniquelocal|[0-9A-Fa-f.:]+(\/\d+)?)`;

/**
 * The environment variables the app, the command-line tools and the tests read: each one's name,
 * check, message and default, written once. Every one is optional: without `DATABASE_URL` an
 * embedded PostgreSQL is started.
 */
const SCHEMA = z.object({
  /** Any PostgreSQL connection URL (`postgres://` or `postgresql://`); unset means "use the embedded server". */
  DATABASE_URL: url(
    ['postgres', 'postgresql'],
    'must be a PostgreSQL URL such as postgres://user:password@host:5432/database',
    true,
  ).optional(),

  /**
   * Streaming replicas of `DATABASE_URL`, comma-separated PostgreSQL URLs; the reads that tolerate
   * a little lag go to them (docs/SCALING.md). Unset: every query goes to `DATABASE_URL`.
   */
  DATABASE_REPLICA_URLS: matching(
    /^postgres(ql)?:\/\/[^\s,]+(\s*,\s*postgres(ql)?:\/\/[^\s,]+)*$/,
    'must be comma-separated PostgreSQL URLs such as postgres://user:password@replica1:5432/database',
  ).optional(),

  /** TCP port of the HTTP API; 0 takes a free port the system picks (logged at start). */
  PORT: integer(0, 65535).default(3000),

  /** TCP port of the embedded PostgreSQL (used only when DATABASE_URL is unset). */
  EMBEDDED_PG_PORT: integer(1, 65535).default(54329),

  /** Folder of the embedded PostgreSQL, relative to the working directory or absolute. */
  EMBEDDED_PG_DIR: z.string().default('.data/embedded-postgres'),

  /** Lifetime of a new session, in seconds (default 7 days). */
  SESSION_TTL_SECONDS: integer(1).default(7 * 24 * 60 * 60),

  /**
   * Sliding renewal: a session used this many seconds or more after it was created or last
   * renewed gets a fresh `SESSION_TTL_SECONDS` (default 1 day, Better Auth's `updateAge`).
   */
  SESSION_UPDATE_AGE_SECONDS: integer(0).default(24 * 60 * 60),

  /**
   * Seconds between two runs of the expired-session clean-up; 0 turns it off (default 1 hour).
   * At most 2147483 (about 24.8 days): Node's timers take at most 2^31-1 ms and run a longer
   * interval every millisecond.
   */
  SESSION_CLEANUP_INTERVAL_SECONDS: integer(0, 2_147_483).default(60 * 60),

  /** Expired sessions deleted per statement by the clean-up (each batch is a short transaction). */
  SESSION_CLEANUP_BATCH_SIZE: integer(1, 100_000).default(1000),

  /** Largest accepted JSON request body, in bytes (larger bodies get a 413). */
  BODY_LIMIT_BYTES: integer(1).default(100 * 1024),

  /** Lowest level of the log lines the app prints. */
  LOG_LEVEL: oneOf(['debug', 'info', 'warn', 'error']).default('info'),

  /** `production` makes `npm run db:revert` refuse unless `--force` is given; any value is accepted. */
  NODE_ENV: z.string().optional(),

  /** How long a process waits for the migration lock that another one holds, in seconds. */
  MIGRATION_LOCK_TIMEOUT_SECONDS: integer(1).default(300),

  /**
   * How long a migration waits for a lock on a table that another transaction holds, in seconds
   * (PostgreSQL's `lock_timeout`), before it fails and asks to be retried. Meanwhile every query
   * on that table queues behind the migration, so the wait is kept short.
   */
  MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS: integer(1, 3600).default(10),

  /**
   * How long opening a database connection may take, in seconds, waiting for a free connection
   * of the pool included; the app, the migrations and the command-line tools all use it.
   */
  DATABASE_CONNECT_TIMEOUT_SECONDS: integer(1, 600).default(5),

  /**
   * PostgreSQL's `statement_timeout` for the API's queries, in seconds; 0 sends none. Migrations
   * do not get it.
   */
  DATABASE_STATEMENT_TIMEOUT_SECONDS: integer(0, 3600).default(5),

  /**
   * PostgreSQL's `idle_in_transaction_session_timeout` for the API's connections, in seconds;
   * 0 sends none.
   */
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS: integer(0, 3600).default(10),

  /**
   * The client's own limit on an API query, in seconds (pg's `query_timeout`): a frozen server
   * cannot enforce its `statement_timeout`. Keep it above `DATABASE_STATEMENT_TIMEOUT_SECONDS`.
   */
  DATABASE_QUERY_TIMEOUT_SECONDS: integer(1, 3600).default(7),

  /**
   * `false` sends the session lookup as an unnamed statement (parsed and planned on every call)
   * instead of a named prepared statement: needed behind PgBouncer before 1.21 in transaction
   * pooling mode, where a statement prepared on one server connection is missing on the next
   * (docs/PERFORMANCE.md, "Behind PgBouncer").
   */
  DATABASE_PREPARED_STATEMENTS: flag().default(true),

  /** Time a client has to send a request's headers, in seconds (Node's `headersTimeout`). */
  HTTP_HEADERS_TIMEOUT_SECONDS: integer(1, 600).default(10),

  /**
   * Time a client has to send a whole request, body included, in seconds (Node's
   * `requestTimeout`); at least `HTTP_HEADERS_TIMEOUT_SECONDS`.
   */
  HTTP_REQUEST_TIMEOUT_SECONDS: integer(1, 3600).default(30),

  /**
   * How long an idle keep-alive connection stays open, in seconds (Node's `keepAliveTimeout`).
   * Behind a load balancer, set it above the balancer's idle time-out.
   */
  HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: integer(1, 600).default(5),

  /**
   * How long a SIGTERM or SIGINT waits for the requests in flight before it closes their
   * connections, in seconds.
   */
  SHUTDOWN_TIMEOUT_SECONDS: integer(1, 600).default(10),

  /** `true` records the current checksum of changed applied migrations instead of refusing. */
  MIGRATION_ACCEPT_CHANGED_CHECKSUMS: flag().default(false),

  /**
   * The key Better Auth signs its session cookie and `set-auth-token` values with (HMAC-SHA-256),
   * 32 characters or more. Required when `NODE_ENV=production`; in development one is generated
   * on first start and kept in `better-auth-secret` beside `EMBEDDED_PG_DIR`.
   */
  BETTER_AUTH_SECRET: z.string().min(32, 'must be 32 characters or more').optional(),

  /** The public origin of the API, as clients reach it (default `http://localhost:<PORT>`). */
  BETTER_AUTH_URL: url(
    ['http', 'https'],
    'must be an http or https URL such as https://api.example.com',
  ).optional(),

  /**
   * Origins, comma-separated, that may send cookie-authenticated requests and be named in
   * Better Auth's `callbackURL`s; `BETTER_AUTH_URL`'s origin is always trusted.
   */
  BETTER_AUTH_TRUSTED_ORIGINS: matching(
    /^https?:\/\/[^\s,]+(\s*,\s*https?:\/\/[^\s,]+)*$/,
    'must be comma-separated origins such as https://app.example.com',
  ).optional(),

  /**
   * Origins, comma-separated, whose browser pages may call the API cross-origin (CORS, with
   * credentials); unset means no CORS headers at all. Normally a subset of `BETTER_AUTH_URL`'s
   * origin and `BETTER_AUTH_TRUSTED_ORIGINS`: other origins can read but not send
   * cookie-authenticated writes.
   */
  CORS_ORIGINS: matching(
    new RegExp(`^${ORIGIN}(\\s*,\\s*${ORIGIN})*$`),
    'must be comma-separated origins such as https://app.example.com (no path, no wildcard)',
  ).optional(),

  /** `true`: sign-in is refused until the email address is verified through the emailed link. */
  REQUIRE_EMAIL_VERIFICATION: flag().default(false),

  /**
   * The SMTP server mail is sent through, as a nodemailer URL
   * (`smtps://user:password@smtp.example.com:465`). Required when `NODE_ENV=production`; without
   * it, development logs each message's links instead of sending it.
   */
  SMTP_URL: url(['smtp', 'smtps'], 'must be an smtp:// or smtps:// URL').optional(),

  /** The sender of the mail the app sends. */
  MAIL_FROM: mailbox('must be an email address').default('no-reply@localhost'),

  /** How long a phone verification code is valid, in seconds (default 10 minutes). */
  PHONE_CODE_TTL_SECONDS: integer(60, 86_400).default(600),

  /** Seconds a user waits before another code can be sent (default 60). */
  PHONE_CODE_RESEND_SECONDS: integer(0, 86_400).default(60),

  /**
   * Better Auth's rate limit for every `/api/auth` endpoint without a stricter rule: at most
   * `AUTH_RATE_LIMIT_MAX` requests per `AUTH_RATE_LIMIT_WINDOW_SECONDS`, per client IP and path.
   */
  AUTH_RATE_LIMIT_WINDOW_SECONDS: integer(1, 86_400).default(60),
  AUTH_RATE_LIMIT_MAX: integer(1).default(100),

  /** The stricter rule for password guessing: sign-in, sign-up and change-password. */
  AUTH_SIGN_IN_RATE_LIMIT_WINDOW_SECONDS: integer(1, 86_400).default(60),
  AUTH_SIGN_IN_RATE_LIMIT_MAX: integer(1).default(5),

  /** The rule for endpoints that send mail: password reset requests and verification mails. */
  AUTH_EMAIL_RATE_LIMIT_WINDOW_SECONDS: integer(1, 86_400).default(300),
  AUTH_EMAIL_RATE_LIMIT_MAX: integer(1).default(3),

  /**
   * The rest of the API (every route outside `/api/auth`): at most `API_RATE_LIMIT_MAX` requests
   * per `API_RATE_LIMIT_TTL_SECONDS` per client IP, all routes together, counted in memory.
   */
  API_RATE_LIMIT_TTL_SECONDS: integer(1, 86_400).default(60),
  API_RATE_LIMIT_MAX: integer(1).default(100),

  /** Live sessions a user may hold; a new one revokes the oldest beyond this number. */
  SESSION_MAX_PER_USER: integer(1, 1000).default(10),

  /**
   * Which proxies in front of the app are trusted to name the client in `X-Forwarded-For`,
   * Fastify's `trustProxy` (the rules of Express's `trust proxy`): `false` (none: the client is
   * the TCP peer), `true` (any), a number of hops, or comma-separated addresses, CIDR ranges or
   * `loopback`, `linklocal`, `uniquelocal`. Rate limits count per client address, so set it behind a proxy.
   */
  TRUST_PROXY: matching(
    new RegExp(String.raw`^(true|false|\d+|${PROXY}(\s*,\s*${PROXY})*)$`),
    'must be true, false, a number of hops or comma-separated addresses such as loopback, 10.0.0.0/8',
  ).default('false'),
});

/**
 * The configuration: every variable of {@link SCHEMA} by its name, typed (numbers, booleans),
 * with its default filled in. {@link parseConfig} makes it from the environment once, at the
 * entry point; values found at start-up (the embedded server's URL, the generated Better Auth
 * secret) are set in a copy (`{ ...config, DATABASE_URL: server.url }`), never in `process.env`.
 */
export type AppConfig = Readonly<z.output<typeof SCHEMA>>;

/** The names of the variables read. */
const NAMES = Object.keys(SCHEMA.shape) as (keyof AppConfig)[];

/**
 * Reads and checks the environment.
 *
 * @param raw the variables, usually `process.env`; others than those of {@link AppConfig} are
 *   ignored; values are trimmed and blank ones count as unset.
 * @returns the configuration, frozen, with defaults filled in.
 * @throws EnvironmentError with one line per wrong variable, each naming it, in the order of
 *   {@link AppConfig}.
 */
export function parseConfig(raw: Readonly<Record<string, string | undefined>>): AppConfig {
  const present: Record<string, string> = {};
  for (const name of NAMES) {
    const value = raw[name]?.trim();
    if (value) present[name] = value;
  }
  const result = SCHEMA.safeParse(present);
  if (!result.success) {
    const lines = new Map<PropertyKey, string>();
    for (const issue of result.error.issues) {
      const [name] = issue.path;
      if (name !== undefined && !lines.has(name)) {
        lines.set(name, `${String(name)} ${issue.message}`);
      }
    }
    throw new EnvironmentError([...lines.values()].join('\n'));
  }
  return Object.freeze(result.data);
}

/** The configuration of an empty environment: every default. */
export const DEFAULT_CONFIG: AppConfig = parseConfig({});

/** What production refuses to start without, each with its one-line message. */
const REQUIRED_IN_PRODUCTION: [keyof AppConfig, string][] = [
  [
    'BETTER_AUTH_SECRET',
    'BETTER_AUTH_SECRET is required when NODE_ENV=production (32 characters or more)',
  ],
  ['SMTP_URL', 'SMTP_URL is required when NODE_ENV=production (mail cannot only be logged)'],
];

/**
 * Refuses to serve in production without what production needs: the app calls it at start; the
 * command-line tools, which sign and send nothing, do not.
 *
 * @throws EnvironmentError with one line per missing variable, each naming it, when `NODE_ENV` is
 *   `production` and `BETTER_AUTH_SECRET` or `SMTP_URL` is unset.
 */
export function assertServableConfig(config: AppConfig): void {
  if (config.NODE_ENV !== 'production') return;
  const lines = REQUIRED_IN_PRODUCTION.filter(([name]) => config[name] === undefined).map(
    ([, message]) => message,
  );
  if (lines.length > 0) throw new EnvironmentError(lines.join('\n'));
}

/**
 * The replica URLs of `DATABASE_REPLICA_URLS`, in order; empty when it is unset.
 *
 * @param value the checked variable (see {@link AppConfig}).
 */
export function replicaUrls(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((url) => url.trim())
    .filter((url) => url !== '');
}
