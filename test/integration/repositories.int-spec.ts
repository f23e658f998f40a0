import { Controller, Get, Param } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { DataSource, QueryFailedError } from 'typeorm';
import { AppConfigModule } from '../../src/config/app-config.module';
import { DEFAULT_CONFIG, parseConfig } from '../../src/config/environment';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { DatabaseModule } from '../../src/database/database.module';
import { SessionsRepository } from '../../src/sessions/sessions.repository';
import { UsersModule } from '../../src/users/users.module';
import { UsersRepository } from '../../src/users/users.repository';
import { testConfig } from '../helpers/test-config';
import {
  newAccount,
  newCategory,
  newItem,
  newSession,
  newUser,
  type SessionRow,
} from '../helpers/factories';
import { ItemsRepository } from '../../src/items/items.repository';
import { ITEM_NEXT_PAGE_SQL } from '../../src/items/item-page.query';
import { decodeItemCursor } from '../../src/items/item-cursor';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';
import { postgresPool } from '../../src/database/postgres-pool';

describe('repositories', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const insertUser = async (email: string) => (await newUser(dataSource, { email })).id;
  /** A data source of one connection: `pg_prepared_statements` lists only its own session's. */
  const oneConnection = () =>
    new DataSource({ ...dataSourceOptions(database.url), extra: { max: 1 } }).initialize();
  const preparedStatements = (value: string) =>
    parseConfig({ DATABASE_PREPARED_STATEMENTS: value });

  describe(UsersRepository.name, () => {
    it('finds a user by email whatever its case and surrounding spaces', async () => {
      const sut = new UsersRepository(dataSource);
      const id = await insertUser('case@example.com');

      expect((await sut.findOneByEmail('  CASE@Example.com '))?.id).toBe(id);
      expect(await sut.findOneByEmail('other@example.com')).toBeNull();
    });

    it('stores an email in any case, but not a second spelling of it (users_email_lower_key)', async () => {
      const id = await insertUser('Mixed@Example.com');
      const error = await insertUser('mixed@EXAMPLE.com').catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(QueryFailedError);
      expect((error as QueryFailedError).driverError).toMatchObject({
        code: '23505',
        constraint: 'users_email_lower_key',
      });
      expect((await new UsersRepository(dataSource).findOneByEmail('MIXED@example.com'))?.id).toBe(
        id,
      );
    });

    it('keeps updated_at current for writers that bypass TypeORM', async () => {
      const id = await insertUser('trigger@example.com');

      await dataSource.query(`UPDATE auth.users SET name = 'Renamed' WHERE id = $1`, [id]);

      const [row] = await dataSource.query<{ moved: boolean }[]>(
        `SELECT updated_at > created_at AS moved FROM auth.users WHERE id = $1`,
        [id],
      );
      expect(row).toEqual({ moved: true });
    });

    it('can be injected in any controller of a module that imports UsersModule', async () => {
      @Controller('probe')
      class ProbeController {
        constructor(private readonly users: UsersRepository) {}
        @Get(':email')
        async find(@Param('email') email: string) {
          return { id: (await this.users.findOneByEmail(email))?.id ?? null };
        }
      }
      const id = await insertUser('probe@example.com');
      const moduleRef = await Test.createTestingModule({
        imports: [AppConfigModule.forRoot(testConfig(database.url)), DatabaseModule, UsersModule],
        controllers: [ProbeController],
      }).compile();
      const app = await moduleRef
        .createNestApplication<NestFastifyApplication>(new FastifyAdapter(), { logger: false })
        .init();
      await app.getHttpAdapter().getInstance().ready();
      try {
        await request(app.getHttpServer()).get('/probe/PROBE@example.com').expect(200, { id });
      } finally {
        await app.close();
      }
    });
  });

  describe('auth.accounts', () => {
    it('holds one account per provider and provider-side id, and goes with its user', async () => {
      const userId = await insertUser('accounts@example.com');
      const insertAccount = (accountId: string) =>
        newAccount(dataSource, userId, { providerId: 'github', accountId });
      await insertAccount('gh-1');

      await expect(insertAccount('gh-1')).rejects.toMatchObject({
        driverError: { code: '23505', constraint: 'accounts_provider_id_account_id_key' },
      });
      await dataSource.query(`DELETE FROM auth.users WHERE id = $1`, [userId]);
      expect(
        await dataSource.query(`SELECT id FROM auth.accounts WHERE user_id = $1`, [userId]),
      ).toEqual([]);
    });
  });

  describe(SessionsRepository.name, () => {
    let userId: string;
    let valid: SessionRow;
    let expired: SessionRow;

    beforeAll(async () => {
      userId = await insertUser('sessions@example.com');
      valid = await newSession(dataSource, userId, { expiresIn: '1 hour' });
      expired = await newSession(dataSource, userId, { expiresIn: '-1 second' });
    });

    it('finds an unexpired session with its user in one statement, on the pool TypeORM owns', async () => {
      const sut = new SessionsRepository(dataSource, DEFAULT_CONFIG);
      const pool = postgresPool(dataSource);
      const spy = jest.spyOn(pool, 'query');

      try {
        const session = await sut.findValidByToken(valid.token);

        expect(spy).toHaveBeenCalledTimes(1);
        expect(session).toMatchObject({
          userId,
          token: valid.tokenHash,
          user: { id: userId, email: 'sessions@example.com' },
        });
        // expires_at comes from the database's clock: compared with its now(), not Node's.
        const [clock] = await dataSource.query<{ now: Date }[]>('SELECT now() AS now');
        expect(session!.expiresAt.getTime()).toBeGreaterThan(clock!.now.getTime());
      } finally {
        spy.mockRestore();
      }
    });

    it.each([
      ['false', []],
      ['true', [{ name: 'auth_session_lookup' }]],
    ])(
      'with DATABASE_PREPARED_STATEMENTS=%s, leaves these prepared statements on the connection: %j',
      async (value, prepared) => {
        const single = await oneConnection();
        try {
          const sut = new SessionsRepository(single, preparedStatements(value));

          expect(await sut.findValidByToken(valid.token)).toMatchObject({ userId });
          expect(await sut.findValidByToken(valid.token)).toMatchObject({ userId });
          expect(await single.query(`SELECT name FROM pg_prepared_statements`)).toEqual(prepared);
        } finally {
          await single.destroy();
        }
      },
    );

    it('never returns a session past its expires_at (and deletes it), nor an unknown token', async () => {
      const sut = new SessionsRepository(dataSource, DEFAULT_CONFIG);

      expect(await sut.findValidByToken(expired.token)).toBeNull();
      expect(await sut.findValidByToken('unknown-token')).toBeNull();
      expect(
        await dataSource.query(`SELECT token FROM auth.sessions WHERE user_id = $1`, [userId]),
      ).toEqual([{ token: valid.tokenHash }]);
    });
  });

  describe(ItemsRepository.name, () => {
    let ownerId: string;

    beforeAll(async () => {
      ownerId = await insertUser('items-owner@example.com');
      const category = await newCategory(dataSource);
      for (let n = 0; n < 5; n++) {
        await newItem(dataSource, ownerId, category.id, { title: `Item ${n}` });
      }
    });

    it.each([
      ['false', []],
      ['true', [{ name: 'app_item_first_page' }, { name: 'app_item_next_page' }]],
    ])(
      'with DATABASE_PREPARED_STATEMENTS=%s, leaves these prepared statements on the connection: %j',
      async (value, prepared) => {
        const single = await oneConnection();
        try {
          const sut = new ItemsRepository(single, preparedStatements(value));
          const first = await sut.findPage({ userId: ownerId, limit: 3 });
          const cursor = decodeItemCursor(first.nextCursor!)!;
          const next = await sut.findPage({ userId: ownerId, limit: 3, after: cursor });

          expect([...first.items, ...next.items].map((item) => item.title)).toEqual([
            'Item 4',
            'Item 3',
            'Item 2',
            'Item 1',
            'Item 0',
          ]);
          expect(next.nextCursor).toBeNull();
          expect(
            await single.query(`SELECT name FROM pg_prepared_statements ORDER BY name`),
          ).toEqual(prepared);
        } finally {
          await single.destroy();
        }
      },
    );

    it('keeps the cursor a bound of the index scan in the generic plan of the next page', async () => {
      const runner = dataSource.createQueryRunner();
      await runner.connect();
      try {
        await runner.query(`SET plan_cache_mode = force_generic_plan`);
        await runner.query(`PREPARE next_page AS ${ITEM_NEXT_PAGE_SQL}`);
        const rows = (await runner.query(
          // EXECUTE takes no bind parameters; the id is a uuid the database made.
          `EXPLAIN EXECUTE next_page('${ownerId}', false, NULL, NULL, 21, now(), gen_random_uuid())`,
        )) as { 'QUERY PLAN': string }[];
        const plan = rows.map((row) => row['QUERY PLAN']).join('\n');

        expect(plan).toMatch(
          /Index Cond: \(\(user_id = \$1\) AND \(ROW\(created_at, id\) < ROW\(\$6, \$7\)\)\)/,
        );
      } finally {
        await runner.query(`RESET plan_cache_mode`).catch(() => undefined);
        await runner.query(`DEALLOCATE next_page`).catch(() => undefined);
        await runner.release();
      }
    });
  });
});
