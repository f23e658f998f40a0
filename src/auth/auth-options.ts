import type { BetterAuthOptions } from 'better-auth';
import { createAuthMiddleware } from 'better-auth/api';
import { admin, bearer } from 'better-auth/plugins';
import { adminAc, userAc } from 'better-auth/plugins/admin/access';
import { PostgresDialect } from 'kysely';
import type { Pool } from 'pg';
import type { AppConfig } from '../config/environment';
import { originList } from '../config/origin-list';
import { revokeSessionsBeyondCap } from '../sessions/session-cap.query';
import { authRateLimit, type AuthRateLimitSettings, CLIENT_IP_HEADER } from './auth-rate-limit';
import { hashedSessionRevocation } from './hashed-session-revocation.plugin';
import { withNormalizedEmail, withNormalizedEmails } from './normalized-emails';
import { hashedSessionTokens, type KyselyDatabase } from './hashed-session-tokens.adapter';
import type { Mailer } from './mail/mailer';
import { authEmails } from './mail/auth-emails';
import { ADMIN_ROLES, DEFAULT_ROLE, type Role } from './roles';

/** Where Better Auth is mounted (its default base path). */
export const AUTH_BASE_PATH = '/api/auth';

/** The settings of {@link authOptions} that come from the environment. */
export type AuthSettings = Pick<
  AppConfig,
  | 'PORT'
  | 'NODE_ENV'
  | 'BETTER_AUTH_URL'
  | 'BETTER_AUTH_TRUSTED_ORIGINS'
  | 'REQUIRE_EMAIL_VERIFICATION'
  | 'SESSION_TTL_SECONDS'
  | 'SESSION_UPDATE_AGE_SECONDS'
  | 'SESSION_MAX_PER_USER'
> &
  AuthRateLimitSettings & { BETTER_AUTH_SECRET: string };

/**
 * The {@link AuthSettings} of a configuration.
 *
 * @throws Error when `BETTER_AUTH_SECRET` is unset: `main.ts` resolves it before the app starts.
 */
export function authSettings(config: AppConfig): AuthSettings {
  const secret = config.BETTER_AUTH_SECRET;
  if (!secret) throw new Error('BETTER_AUTH_SECRET is not set');
  return { ...config, BETTER_AUTH_SECRET: secret };
}

/** Better Auth's names for this project's tables and snake_case columns. */
export const AUTH_SCHEMA_MAPPING = {
  user: {
    modelName: 'users',
    fields: { emailVerified: 'email_verified', createdAt: 'created_at', updatedAt: 'updated_at' },
  },
  session: {
    modelName: 'sessions',
    fields: {
      userId: 'user_id',
      expiresAt: 'expires_at',
      ipAddress: 'ip_address',
      userAgent: 'user_agent',
      createdAt: 'created_at',
      updatedAt: 'updated_at',
    },
  },
  account: {
    modelName: 'accounts',
    fields: {
      userId: 'user_id',
      accountId: 'account_id',
      providerId: 'provider_id',
      accessToken: 'access_token',
      refreshToken: 'refresh_token',
      idToken: 'id_token',
      accessTokenExpiresAt: 'access_token_expires_at',
      refreshTokenExpiresAt: 'refresh_token_expires_at',
      createdAt: 'created_at',
      updatedAt: 'updated_at',
    },
  },
  verification: {
    modelName: 'verifications',
    fields: { expiresAt: 'expires_at', createdAt: 'created_at', updatedAt: 'updated_at' },
  },
} as const satisfies Pick<BetterAuthOptions, 'user' | 'session' | 'account' | 'verification'>;

/** The admin plugin's snake_case columns (`role` and `banned` need no mapping). */
export const ADMIN_SCHEMA_MAPPING = {
  user: { fields: { banReason: 'ban_reason', banExpires: 'ban_expires' } },
  session: { fields: { impersonatedBy: 'impersonated_by' } },
} as const;

/** The public origin of the API: `BETTER_AUTH_URL`, else `http://localhost:<PORT>`. */
export function authBaseUrl(settings: Pick<AuthSettings, 'BETTER_AUTH_URL' | 'PORT'>): string {
  return settings.BETTER_AUTH_URL ?? `http://localhost:${settings.PORT}`;
}

/** `BETTER_AUTH_URL`'s origin and every origin of `BETTER_AUTH_TRUSTED_ORIGINS`. */
export function trustedOrigins(
  settings: Pick<AuthSettings, 'BETTER_AUTH_URL' | 'BETTER_AUTH_TRUSTED_ORIGINS' | 'PORT'>,
): string[] {
  const listed = originList(settings.BETTER_AUTH_TRUSTED_ORIGINS);
  return [...new Set([new URL(authBaseUrl(settings)).origin, ...listed])];
}

/** Whether cookies carry the `__Secure-` prefix and `Secure` attribute: in production. */
export function useSecureCookies(settings: Pick<AuthSettings, 'NODE_ENV'>): boolean {
  return settings.NODE_ENV === 'production';
}

/**
 * Better Auth's database: the pool through Kysely, in schema `auth`, with transactions on. As a
 * plain entry for tools that read the schema (`getMigrations`); the app passes it through
 * {@link hashedSessionTokens}.
 */
export function authDatabase(pool: Pool) {
  return {
    dialect: new PostgresDialect({ pool }),
    type: 'postgres',
    schemaName: 'auth',
    transaction: true,
  } as const satisfies KyselyDatabase;
}

/**
 * The one Better Auth configuration: the app's, the tests' and the adapter conformance suites'.
 *
 * - The database is TypeORM's own `pg` pool (one pool per process), through Kysely, with
 *   `schemaName: 'auth'` and transactions on, so sign-up writes the user and its credential
 *   account atomically (better-auth.com/docs/concepts/database). Session tokens are stored as
 *   their SHA-256 ({@link hashedSessionTokens}, {@link hashedSessionRevocation}).
 * - Ids are `uuid`s, as the primary keys take them; Better Auth never migrates: the schema comes
 *   from this project's migrations (`AUTH_SCHEMA_MAPPING` maps the names).
 * - Email and password sign-in, with verification mails, password reset mails (the link's token
 *   lives in `auth.verifications`) and `REQUIRE_EMAIL_VERIFICATION`.
 * - Sessions last `SESSION_TTL_SECONDS` and slide every `SESSION_UPDATE_AGE_SECONDS`, the same
 *   rule as `SessionsService`; no cookie cache, so a revoked session is refused at once.
 * - The bearer plugin: clients may send `Authorization: Bearer <token>` instead of the cookie.
 * - The admin plugin: users with an {@link ADMIN_ROLES} role manage users under `/admin/*` (list,
 *   create, set roles, ban, revoke sessions, impersonate); its fields are this project's columns,
 *   and only the roles of {@link Role} can be given (others: 400).
 * - Origin checks on in every environment: a cookie-authenticated request from an origin outside
 *   {@link trustedOrigins} is refused (403), and so are untrusted `callbackURL`s.
 * - Rate limits on in every environment, counted in `auth.rate_limits` per client address
 *   ({@link authRateLimit}); the address comes from {@link CLIENT_IP_HEADER}, set by the app.
 * - Emails are stored and looked up in one form, `normalizeEmail` (lower case, ASCII domain):
 *   a `before` hook rewrites the addresses of every request body, and the user database hooks
 *   those of every user written.
 * - Errors that are not Better Auth's own API errors (a database outage, say) are thrown out of
 *   its handler (`onAPIError.throw`), for the app to answer (`withOutageAnswers`).
 * - A user keeps at most `SESSION_MAX_PER_USER` live sessions: a new one revokes the oldest; and
 *   a password change always revokes the other sessions (`revokeOtherSessions` is forced on).
 *
 * @param pool the pool of the app's `DataSource` (see `postgresPool`).
 */
export function authOptions(pool: Pool, settings: AuthSettings, mailer: Mailer) {
  const emails = authEmails(mailer);
  const requireVerification = settings.REQUIRE_EMAIL_VERIFICATION;
  return {
    appName: 'nest-auth-db',
    baseURL: authBaseUrl(settings),
    basePath: AUTH_BASE_PATH,
    secret: settings.BETTER_AUTH_SECRET,
    trustedOrigins: trustedOrigins(settings),
    database: hashedSessionTokens(authDatabase(pool)),
    advanced: {
      database: { generateId: 'uuid' },
      useSecureCookies: useSecureCookies(settings),
      // Better Auth turns its Origin and CSRF checks off when NODE_ENV=test; keep them everywhere,
      // so the tests check what production runs.
      disableOriginCheck: false,
      disableCSRFCheck: false,
      ipAddress: { ipAddressHeaders: [CLIENT_IP_HEADER] },
    },
    rateLimit: authRateLimit(settings),
    telemetry: { enabled: false },
    // Errors other than Better Auth's own leave its handler, for withOutageAnswers to answer.
    onAPIError: { throw: true },
    emailAndPassword: {
      enabled: true,
      requireEmailVerification: requireVerification,
      revokeSessionsOnPasswordReset: true,
      sendResetPassword: ({ user, url }) => emails.resetPassword(user.email, url),
    },
    emailVerification: {
      sendOnSignUp: requireVerification,
      sendOnSignIn: requireVerification,
      sendVerificationEmail: ({ user, url }) => emails.verifyEmail(user.email, url),
    },
    databaseHooks: {
      // Whatever route writes a user (a plugin's too), its email is stored in one form.
      user: {
        create: { before: (user) => Promise.resolve({ data: withNormalizedEmail(user) }) },
        update: { before: (user) => Promise.resolve({ data: withNormalizedEmail(user) }) },
      },
      session: {
        create: {
          after: async (session) => {
            await revokeSessionsBeyondCap(
              pool,
              session.userId,
              session.id,
              settings.SESSION_MAX_PER_USER,
            );
          },
        },
      },
    },
    hooks: {
      before: createAuthMiddleware((ctx) => {
        const sent: unknown = ctx.body;
        // A new password must lock out whoever knew the old one, whatever the client asks.
        const body: unknown =
          ctx.path === '/change-password'
            ? { ...(sent as Record<string, unknown>), revokeOtherSessions: true }
            : sent;
        // Emails in one form everywhere (normalizeEmail), before Better Auth checks them.
        const normalized = withNormalizedEmails(body) ?? (body === sent ? undefined : body);
        return Promise.resolve(normalized ? { context: { body: normalized } } : undefined);
      }),
    },
    session: {
      ...AUTH_SCHEMA_MAPPING.session,
      expiresIn: settings.SESSION_TTL_SECONDS,
      updateAge: settings.SESSION_UPDATE_AGE_SECONDS,
    },
    user: AUTH_SCHEMA_MAPPING.user,
    account: AUTH_SCHEMA_MAPPING.account,
    verification: AUTH_SCHEMA_MAPPING.verification,
    plugins: [
      bearer(),
      admin({
        adminRoles: [...ADMIN_ROLES],
        defaultRole: DEFAULT_ROLE,
        roles: { admin: adminAc, user: userAc } satisfies Record<Role, unknown>,
        schema: ADMIN_SCHEMA_MAPPING,
      }),
      hashedSessionRevocation(pool),
    ],
  } satisfies BetterAuthOptions;
}

/** The Better Auth instance type of {@link authOptions}. */
export type AuthOptions = ReturnType<typeof authOptions>;
