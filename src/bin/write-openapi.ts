import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { randomBytes } from 'node:crypto';
import { AppModule } from '../app.module';
import { AppHttpAdapter } from '../http/app-http-adapter';
import { DEFAULT_CONFIG } from '../config/environment';
import { buildOpenApiDocument, serializeOpenApiDocument } from '../openapi/openapi-document';

/** Where the spec is committed, from the repository root (npm runs scripts there). */
const SPEC_PATH = 'docs/openapi.json';

/**
 * `npm run openapi`: writes the OpenAPI spec of the app ({@link buildOpenApiDocument}) to
 * `docs/openapi.json`. `npm run openapi -- --check` (CI) writes nothing and exits 1 when that
 * file differs from what the code describes. The app is created in preview mode: no database,
 * no provider runs, only the controllers' metadata is read.
 *
 * Exits 0 when written or up to date, 1 when stale or on any error, with one line.
 */
async function main(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { check: { type: 'boolean', default: false } } });
  // Preview mode connects to nothing: the URL is never used, and the secret never leaves.
  const config = {
    ...DEFAULT_CONFIG,
    DATABASE_URL: 'postgres://unused@127.0.0.1/unused',
    BETTER_AUTH_SECRET: randomBytes(32).toString('hex'),
  };
  const app = await NestFactory.create(
    AppModule.forRoot(config, { logger: pino({ level: 'silent' }) }),
    new AppHttpAdapter(config),
    { preview: true, logger: false },
  );
  const spec = serializeOpenApiDocument(await buildOpenApiDocument(app));
  await app.close();
  const path = resolve(SPEC_PATH);
  if (values.check) {
    const committed = await readFile(path, 'utf8').catch(() => '');
    if (committed === spec) {
      console.log(`${SPEC_PATH} is up to date`);
      return 0;
    }
    console.error(`${SPEC_PATH} is stale: run npm run openapi and commit it`);
    return 1;
  }
  await writeFile(path, spec);
  console.log(`Wrote ${SPEC_PATH}`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    process.exit(1);
  },
);
