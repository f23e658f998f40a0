import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Environment } from '../config/environment';
import { dataSourceOptions } from './data-source-options';

/**
 * The connection to `DATABASE_URL`, with every entity registered, from the same options as the
 * TypeORM CLI. Provides the global `DataSource` that the repositories are built on. Migrations
 * are not run here: `main.ts` and the tests apply them before the app starts.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        ...dataSourceOptions(config.get('DATABASE_URL', { infer: true })),
        retryAttempts: 1,
        retryDelay: 1000,
      }),
    }),
  ],
})
export class DatabaseModule {}
