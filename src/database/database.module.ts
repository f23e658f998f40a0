import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG } from '../config/app-config.module';
import { type AppConfig, replicaUrls } from '../config/environment';
import { DatabaseAvailability } from './database-availability';
import { apiTimeouts, dataSourceOptions, MIGRATIONS_DIR } from './data-source-options';

/**
 * The connection to `DATABASE_URL`, with every entity registered, from the same options as the
 * TypeORM CLI, and the API's bounds on waits ({@link apiTimeouts}), and to
 * `DATABASE_REPLICA_URLS` when set (TypeORM's `replication`), as the configuration
 * ({@link APP_CONFIG}) names them. Provides the global `DataSource` that the repositories are
 * built on. Migrations are not run here: `main.ts` and the tests apply them before the app starts. Also provides, to
 * every module, the {@link DatabaseAvailability} that tracks outages.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        // main.ts puts the embedded server's URL in the configuration before building the app.
        if (!config.DATABASE_URL) throw new Error('DATABASE_URL is not set');
        return {
          ...dataSourceOptions(
            config.DATABASE_URL,
            MIGRATIONS_DIR,
            apiTimeouts(config),
            replicaUrls(config.DATABASE_REPLICA_URLS),
          ),
          retryAttempts: 1,
          retryDelay: 1000,
        };
      },
    }),
  ],
  providers: [DatabaseAvailability],
  exports: [DatabaseAvailability],
})
export class DatabaseModule {}
