import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import type { Logger } from 'pino';
import { AuthModule } from './auth/auth.module';
import { CategoriesModule } from './categories/categories.module';
import { appConfigModule } from './config/app-config.module';
import { validateEnvironment } from './config/environment';
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

/** The API. */
@Module({})
export class AppModule {
  /**
   * The API module, configured from `process.env` as it is at the time of this call (so that
   * `main.ts` can set DATABASE_URL to the embedded server first, and each test suite its own).
   * Logs go to `options.logger` (`main.ts` passes the process's logger, tests a silent or capturing
   * one), else to a logger made from `LOG_LEVEL`.
   *
   * @throws EnvironmentError when a variable is malformed.
   */
  static forRoot(options: { logger?: Logger } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        appConfigModule(),
        LoggingModule.forRoot(options.logger ?? createLogger(validateEnvironment(process.env))),
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
