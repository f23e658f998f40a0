import { ConfigModule } from '@nestjs/config';
import { validateEnvironment } from './environment';

/**
 * `@nestjs/config`, global, validated by {@link validateEnvironment} and read from `process.env`
 * as it is when this is called (no `.env` file).
 */
export function appConfigModule() {
  return ConfigModule.forRoot({
    isGlobal: true,
    ignoreEnvFile: true,
    validate: validateEnvironment,
  });
}
