import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from './auth/auth.module';
import { CategoriesModule } from './categories/categories.module';
import { appConfigModule } from './config/app-config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { ItemsModule } from './items/items.module';
import { LocationsModule } from './locations/locations.module';
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
   *
   * @throws EnvironmentError when a variable is malformed.
   */
  static forRoot(): DynamicModule {
    return {
      module: AppModule,
      imports: [
        appConfigModule(),
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
