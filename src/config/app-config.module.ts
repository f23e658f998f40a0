import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { AppConfig } from './environment';

/**
 * The injection token of the {@link AppConfig} value: `@Inject(APP_CONFIG) config: AppConfig`,
 * or `inject: [APP_CONFIG]` in a factory provider.
 */
export const APP_CONFIG = Symbol('AppConfig');

/** Provides the configuration to every module, as the value it was given. */
@Global()
@Module({})
export class AppConfigModule {
  /**
   * @param config the configuration, usually `parseConfig(process.env)` with what start-up found
   *   (the database URL, the Better Auth secret); provided frozen.
   */
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: Object.freeze({ ...config }) }],
      exports: [APP_CONFIG],
    };
  }
}
