import { Module } from '@nestjs/common';
import { AuthModule as BetterAuthModule } from '@thallesp/nestjs-better-auth';
import { betterAuth } from 'better-auth';
import { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/environment';
import { postgresPool } from '../database/postgres-pool';
import { DatabaseAvailability } from '../database/database-availability';
import { clientIpMiddleware, withOutageAnswers, withRetryAfter } from './auth-http';
import { authOptions, authSettings } from './auth-options';
import { MailModule } from './mail/mail.module';
import { Mailer } from './mail/mailer';

/** The structured-syntax `+json` media types (RFC 6839), such as `application/merge-patch+json`. */
const JSON_SUFFIXED_TYPE = /^application\/[a-z0-9!#$&^_.-]+\+json(?:;|$)/;

/**
 * Better Auth inside the app, mounted at `/api/auth` by `@thallesp/nestjs-better-auth` on the
 * pool of the app's `DataSource`. That package also registers Fastify's JSON body parser for
 * every other route (Better Auth, mounted as middleware, reads its own body before Fastify
 * would), `application/json` and `+json` types, limited to `BODY_LIMIT_BYTES`; form bodies are
 * not parsed (`configureApp` answers them 415).
 * Its own global guard is off: the app's `SessionGuard` does that work with one prepared
 * statement. Its `AuthService` (Better Auth's server API, `auth.api`) is injectable everywhere.
 * Each request reaches Better Auth with the client's address (`clientIpMiddleware`), and its 429s
 * leave with `Retry-After` (`withRetryAfter`), as do its 503s when the database is away
 * (`withOutageAnswers`).
 */
@Module({
  imports: [
    BetterAuthModule.forRootAsync({
      imports: [MailModule],
      inject: [DataSource, APP_CONFIG, Mailer, DatabaseAvailability],
      useFactory: (
        dataSource: DataSource,
        config: AppConfig,
        mailer: Mailer,
        availability: DatabaseAvailability,
      ) => {
        const settings = authSettings(config);
        const auth = betterAuth(authOptions(postgresPool(dataSource), settings, mailer));
        return {
          auth: withRetryAfter(withOutageAnswers(auth, availability)),
          middleware: clientIpMiddleware,
          disableTrustedOriginsCors: true,
          bodyParser: {
            json: {
              limit: config.BODY_LIMIT_BYTES,
              // Fastify matches a string type exactly; the `+json` types need a RegExp, which the
              // package hands to Fastify as it is, though its type names strings only.
              type: ['application/json', JSON_SUFFIXED_TYPE] as unknown as string[],
            },
            urlencoded: { enabled: false },
          },
        };
      },
      disableGlobalAuthGuard: true,
    }),
  ],
})
export class AuthModule {}
