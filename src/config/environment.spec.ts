import {
  assertServableConfig,
  DEFAULT_CONFIG,
  EnvironmentError,
  parseConfig,
  replicaUrls,
} from './environment';

describe(parseConfig.name, () => {
  it('fills in the defaults when nothing is set', () => {
    const defined = Object.entries(parseConfig({})).filter(([, v]) => v !== undefined);

    expect(Object.fromEntries(defined)).toEqual({
      PORT: 3000,
      EMBEDDED_PG_PORT: 54329,
      EMBEDDED_PG_DIR: '.data/embedded-postgres',
      SESSION_TTL_SECONDS: 604800,
      SESSION_UPDATE_AGE_SECONDS: 86400,
      SESSION_CLEANUP_INTERVAL_SECONDS: 3600,
      SESSION_CLEANUP_BATCH_SIZE: 1000,
      BODY_LIMIT_BYTES: 102400,
      LOG_LEVEL: 'info',
      MIGRATION_LOCK_TIMEOUT_SECONDS: 300,
      MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS: 10,
      DATABASE_CONNECT_TIMEOUT_SECONDS: 5,
      DATABASE_STATEMENT_TIMEOUT_SECONDS: 5,
      DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS: 10,
      DATABASE_QUERY_TIMEOUT_SECONDS: 7,
      DATABASE_PREPARED_STATEMENTS: true,
      HTTP_HEADERS_TIMEOUT_SECONDS: 10,
      HTTP_REQUEST_TIMEOUT_SECONDS: 30,
      HTTP_KEEP_ALIVE_TIMEOUT_SECONDS: 5,
      SHUTDOWN_TIMEOUT_SECONDS: 10,
      MIGRATION_ACCEPT_CHANGED_CHECKSUMS: false,
      REQUIRE_EMAIL_VERIFICATION: false,
      MAIL_FROM: 'no-reply@localhost',
      PHONE_CODE_TTL_SECONDS: 600,
      PHONE_CODE_RESEND_SECONDS: 60,
      AUTH_RATE_LIMIT_WINDOW_SECONDS: 60,
      AUTH_RATE_LIMIT_MAX: 100,
      AUTH_SIGN_IN_RATE_LIMIT_WINDOW_SECONDS: 60,
      AUTH_SIGN_IN_RATE_LIMIT_MAX: 5,
      AUTH_EMAIL_RATE_LIMIT_WINDOW_SECONDS: 300,
      AUTH_EMAIL_RATE_LIMIT_MAX: 3,
      API_RATE_LIMIT_TTL_SECONDS: 60,
      API_RATE_LIMIT_MAX: 100,
      SESSION_MAX_PER_USER: 10,
      TRUST_PROXY: 'false',
    });
  });

  it.each([
    'postgres://postgres@127.0.0.1:5432/postgres',
    'postgresql://app:p%40ss@db:5432/app?sslmode=require',
    'postgres://user:pw@my_host/db',
    'postgresql:///app?host=/var/run/postgresql',
  ])('accepts the PostgreSQL URL %s', (url) => {
    expect(parseConfig({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(parseConfig({ DATABASE_URL: '  ' }).DATABASE_URL).toBeUndefined();
  });

  it.each(['mysql://root@localhost/db', 'localhost:5432', 'postgres://', 'not a url'])(
    'refuses DATABASE_URL=%s with one line naming the variable',
    (url) => {
      expect(() => parseConfig({ DATABASE_URL: url })).toThrow(
        new EnvironmentError(
          'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database',
        ),
      );
    },
  );

  it('reads DATABASE_REPLICA_URLS as a list of URLs', () => {
    const env = parseConfig({
      DATABASE_REPLICA_URLS: 'postgres://r1:5432/db , postgresql://u:p@r2/db',
    });

    expect(replicaUrls(env.DATABASE_REPLICA_URLS)).toEqual([
      'postgres://r1:5432/db',
      'postgresql://u:p@r2/db',
    ]);
    expect(replicaUrls(parseConfig({}).DATABASE_REPLICA_URLS)).toEqual([]);
  });

  it.each(['mysql://r1/db', 'postgres://r1/db,', 'postgres://r1/db,r2:5432'])(
    'refuses DATABASE_REPLICA_URLS=%s with one line naming the variable',
    (urls) => {
      expect(() => parseConfig({ DATABASE_REPLICA_URLS: urls })).toThrow(
        /^DATABASE_REPLICA_URLS must be comma-separated PostgreSQL URLs such as [^\n]+$/,
      );
    },
  );

  it.each([
    ['PORT', 'abc', 'PORT must be an integer from 0 to 65535'],
    ['PORT', '70000', 'PORT must be an integer from 0 to 65535'],
    ['PORT', '-1', 'PORT must be an integer from 0 to 65535'],
    ['EMBEDDED_PG_PORT', '0', 'EMBEDDED_PG_PORT must be an integer from 1 to 65535'],
    ['SESSION_TTL_SECONDS', '1.5', 'SESSION_TTL_SECONDS must be a positive integer'],
    [
      'SESSION_UPDATE_AGE_SECONDS',
      '-1',
      'SESSION_UPDATE_AGE_SECONDS must be an integer of 0 or more',
    ],
    [
      'SESSION_CLEANUP_INTERVAL_SECONDS',
      'hourly',
      'SESSION_CLEANUP_INTERVAL_SECONDS must be an integer from 0 to 2147483',
    ],
    [
      'SESSION_CLEANUP_INTERVAL_SECONDS',
      '2147484',
      'SESSION_CLEANUP_INTERVAL_SECONDS must be an integer from 0 to 2147483',
    ],
    [
      'SESSION_CLEANUP_BATCH_SIZE',
      '0',
      'SESSION_CLEANUP_BATCH_SIZE must be an integer from 1 to 100000',
    ],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of debug, info, warn, error'],
    [
      'MIGRATION_LOCK_TIMEOUT_SECONDS',
      '0',
      'MIGRATION_LOCK_TIMEOUT_SECONDS must be a positive integer',
    ],
    ['SHUTDOWN_TIMEOUT_SECONDS', '0', 'SHUTDOWN_TIMEOUT_SECONDS must be an integer from 1 to 600'],
    [
      'MIGRATION_ACCEPT_CHANGED_CHECKSUMS',
      'yes',
      'MIGRATION_ACCEPT_CHANGED_CHECKSUMS must be true or false',
    ],
    [
      'MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS',
      '0',
      'MIGRATION_TABLE_LOCK_TIMEOUT_SECONDS must be an integer from 1 to 3600',
    ],
    [
      'DATABASE_CONNECT_TIMEOUT_SECONDS',
      'soon',
      'DATABASE_CONNECT_TIMEOUT_SECONDS must be an integer from 1 to 600',
    ],
    [
      'DATABASE_STATEMENT_TIMEOUT_SECONDS',
      '-1',
      'DATABASE_STATEMENT_TIMEOUT_SECONDS must be an integer from 0 to 3600',
    ],
    ['DATABASE_PREPARED_STATEMENTS', 'no', 'DATABASE_PREPARED_STATEMENTS must be true or false'],
    [
      'DATABASE_QUERY_TIMEOUT_SECONDS',
      '0',
      'DATABASE_QUERY_TIMEOUT_SECONDS must be an integer from 1 to 3600',
    ],
    [
      'HTTP_HEADERS_TIMEOUT_SECONDS',
      '601',
      'HTTP_HEADERS_TIMEOUT_SECONDS must be an integer from 1 to 600',
    ],
    ['AUTH_RATE_LIMIT_MAX', '0', 'AUTH_RATE_LIMIT_MAX must be a positive integer'],
    [
      'AUTH_SIGN_IN_RATE_LIMIT_WINDOW_SECONDS',
      '86401',
      'AUTH_SIGN_IN_RATE_LIMIT_WINDOW_SECONDS must be an integer from 1 to 86400',
    ],
    ['API_RATE_LIMIT_MAX', 'many', 'API_RATE_LIMIT_MAX must be a positive integer'],
    ['SESSION_MAX_PER_USER', '0', 'SESSION_MAX_PER_USER must be an integer from 1 to 1000'],
    [
      'TRUST_PROXY',
      'my-proxy',
      'TRUST_PROXY must be true, false, a number of hops or comma-separated addresses such as loopback, 10.0.0.0/8',
    ],
  ])('refuses %s=%s naming it', (name, value, message) => {
    expect(() => parseConfig({ [name]: value })).toThrow(new EnvironmentError(message));
  });

  it('accepts 0 for SESSION_UPDATE_AGE_SECONDS (renew on every use) and the clean-up interval (off)', () => {
    expect(
      parseConfig({
        SESSION_UPDATE_AGE_SECONDS: '0',
        SESSION_CLEANUP_INTERVAL_SECONDS: '0',
      }),
    ).toMatchObject({ SESSION_UPDATE_AGE_SECONDS: 0, SESSION_CLEANUP_INTERVAL_SECONDS: 0 });
  });

  it.each([
    'https://app.example.com',
    'http://localhost:5173, https://app.example.com:8443',
    'http://[::1]:3000',
  ])('accepts CORS_ORIGINS=%s', (origins) => {
    expect(parseConfig({ CORS_ORIGINS: origins }).CORS_ORIGINS).toBe(origins);
  });

  it.each([
    'app.example.com',
    'https://app.example.com/',
    'https://app.example.com/path',
    'https://*.example.com',
    'https://a.example.com;',
    'https://a.example.com,',
  ])('refuses CORS_ORIGINS=%s with one line naming the variable', (origins) => {
    expect(() => parseConfig({ CORS_ORIGINS: origins })).toThrow(
      new EnvironmentError(
        'CORS_ORIGINS must be comma-separated origins such as https://app.example.com (no path, no wildcard)',
      ),
    );
  });

  it.each(['true', 'false', '1', 'loopback', 'loopback, 10.0.0.0/8, fd00::/8'])(
    'accepts TRUST_PROXY=%s',
    (value) => {
      expect(parseConfig({ TRUST_PROXY: value }).TRUST_PROXY).toBe(value);
    },
  );

  it('reports every wrong variable, one per line', () => {
    expect(() => parseConfig({ PORT: 'x', DATABASE_URL: 'x' })).toThrow(
      /^DATABASE_URL must be .*\nPORT must be an integer from 0 to 65535$/,
    );
  });

  it('gives a frozen value, the defaults one being DEFAULT_CONFIG', () => {
    const config = parseConfig({ PORT: '8080' });

    expect(Object.isFrozen(config)).toBe(true);
    expect(() => Object.assign(config, { PORT: 1 })).toThrow(TypeError);
    expect(DEFAULT_CONFIG).toEqual(parseConfig({}));
  });

  it('reads numbers and flags as typed values, trimmed, and ignores other variables', () => {
    const config = parseConfig({
      PORT: ' 8080 ',
      REQUIRE_EMAIL_VERIFICATION: 'true',
      DATABASE_PREPARED_STATEMENTS: 'false',
      HOME: '/root',
    });

    expect(config).toMatchObject({
      PORT: 8080,
      REQUIRE_EMAIL_VERIFICATION: true,
      DATABASE_PREPARED_STATEMENTS: false,
    });
    expect(config).not.toHaveProperty('HOME');
  });

  it.each([
    ['BETTER_AUTH_SECRET', 'a'.repeat(32)],
    ['BETTER_AUTH_URL', 'https://api.example.com'],
    ['BETTER_AUTH_URL', 'http://localhost:3000'],
    ['SMTP_URL', 'smtps://user:password@smtp.example.com:465'],
    ['SMTP_URL', 'smtp://localhost:1025'],
    ['MAIL_FROM', 'shop@example.com'],
    ['MAIL_FROM', 'Shop <shop@example.com>'],
  ])('accepts %s=%s', (name, value) => {
    expect(parseConfig({ [name]: value })).toHaveProperty(name, value);
  });

  it.each([
    ['BETTER_AUTH_SECRET', 'a'.repeat(31), 'BETTER_AUTH_SECRET must be 32 characters or more'],
    [
      'BETTER_AUTH_URL',
      'ftp://api.example.com',
      'BETTER_AUTH_URL must be an http or https URL such as https://api.example.com',
    ],
    [
      'BETTER_AUTH_URL',
      'https://',
      'BETTER_AUTH_URL must be an http or https URL such as https://api.example.com',
    ],
    ['SMTP_URL', 'https://smtp.example.com', 'SMTP_URL must be an smtp:// or smtps:// URL'],
    ['SMTP_URL', 'smtp://', 'SMTP_URL must be an smtp:// or smtps:// URL'],
    ['MAIL_FROM', 'nobody', 'MAIL_FROM must be an email address'],
    ['MAIL_FROM', 'Shop <shop@example.com', 'MAIL_FROM must be an email address'],
  ])('refuses %s=%s naming it', (name, value, message) => {
    expect(() => parseConfig({ [name]: value })).toThrow(new EnvironmentError(message));
  });
});

describe(assertServableConfig.name, () => {
  it('lets any configuration through outside production', () => {
    expect(() => assertServableConfig(DEFAULT_CONFIG)).not.toThrow();
  });

  it('names, one per line, what production is missing', () => {
    expect(() => assertServableConfig(parseConfig({ NODE_ENV: 'production' }))).toThrow(
      new EnvironmentError(
        'BETTER_AUTH_SECRET is required when NODE_ENV=production (32 characters or more)\n' +
          'SMTP_URL is required when NODE_ENV=production (mail cannot only be logged)',
      ),
    );
    expect(() =>
      assertServableConfig(
        parseConfig({
          NODE_ENV: 'production',
          BETTER_AUTH_SECRET: 'a'.repeat(32),
          SMTP_URL: 'smtps://smtp.example.com',
        }),
      ),
    ).not.toThrow();
  });
});
