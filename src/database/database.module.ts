import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type Environment, replicaUrls } from '../config/environment';
import { DatabaseAvailability } from './database-availability';
import { apiTimeouts, dataSourceOptions, MIGRATIONS_DIR } from './data-source-options';

/**
 * The connection to `DATABASE_URL`, with every entity registered, from the same options as the
 * TypeORM CLI, and the API's bounds on waits ({@link apiTimeouts}), and to
 * `DATABASE_REPLICA_URLS` when set (TypeORM's `replication`). Provides the global `DataSource` that the repositories are built on. Migrations
 * are not run here: `main.ts` and the tests apply them before the app starts. Also provides, to
 * every module, the {@link DatabaseAvailability} that tracks outages.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        ...dataSourceOptions(
          config.get('DATABASE_URL', { infer: true }),
          MIGRATIONS_DIR,
          apiTimeouts((key) => config.get(key, { infer: true })),
          replicaUrls(config.get('DATABASE_REPLICA_URLS', { infer: true })),
        ),
        retryAttempts: 1,
        retryDelay: 1000,
      }),
    }),
  ],
  providers: [DatabaseAvailability],
  exports: [DatabaseAvailability],
})
export class DatabaseModule {}
