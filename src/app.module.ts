import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { Logger } from 'pino';
import { AuthModule } from './auth/auth.module';
import { CategoriesModule } from './categories/categories.module';
import { AppConfigModule } from './config/app-config.module';
import type { AppConfig } from './config/environment';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { ItemsModule } from './items/items.module';
import { LocationsModule } from './locations/locations.module';
import { createLogger } from './logging/logger';
import { LoggingModule } from './logging/logging.module';
import { ApiThrottlerModule } from './rate-limits/api-throttler.module';
import { SessionsModule } from './sessions/sessions.module';
import { UsersModule } from './users/users.module';
import { VerificationsModule } from './verifications/verifications.module';

/** The configuration the app serves with: what start-up resolved is set. */
export type ServingConfig = AppConfig & { DATABASE_URL: string; BETTER_AUTH_SECRET: string };

/** The API. */
@Module({})
export class AppModule {
  /**
   * The API module, configured by `config`: `main.ts` passes the parsed environment with the
   * database URL (the embedded server's, when `DATABASE_URL` is unset) and Better Auth's resolved
   * secret; each test suite its own. Logs go to `options.logger` (`main.ts` passes the process's
   * logger, tests a silent or capturing one), else to a logger made from `LOG_LEVEL`.
   */
  static forRoot(config: ServingConfig, options: { logger?: Logger } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        LoggingModule.forRoot(options.logger ?? createLogger(config)),
        ScheduleModule.forRoot(),
        DatabaseModule,
        // Before SessionsModule: its guard must run before SessionGuard.
        ApiThrottlerModule,
        AuthModule,
        HealthModule,
        UsersModule,
        SessionsModule,
        CategoriesModule,
        LocationsModule,
        ItemsModule,
        VerificationsModule,
      ],
    };
  }
}
