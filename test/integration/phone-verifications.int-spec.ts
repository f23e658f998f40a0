import { DataSource, QueryFailedError } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { PhoneVerificationsRepository } from '../../src/verifications/phone-verifications.repository';
import { newUser } from '../helpers/factories';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

describe(PhoneVerificationsRepository.name, () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let sut: PhoneVerificationsRepository;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
    sut = new PhoneVerificationsRepository(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const wrong = (code: string) => (code === '000000' ? '000001' : '000000');
  let users = 0;
  const newUserId = async () =>
    (
      await dataSource.query<{ id: string }[]>(
        `INSERT INTO auth.users (email, name) VALUES ($1, 'P') RETURNING id`,
        [`phone-${++users}@example.com`],
      )
    )[0]!.id;
  /** A code for `phoneNumber`, issued to a new user as `POST /verifications/phone` does. */
  const issue = async (phoneNumber: string, ttlSeconds = 600) => {
    const userId = await newUserId();
    const issued = await sut.issueForUser(userId, phoneNumber, { ttlSeconds, resendSeconds: 0 });
    if (!issued.issued) throw new Error('a first code is always issued');
    return { userId, verification: issued.verification, code: issued.code };
  };
  const confirm = async (
    { userId, verification }: { userId: string; verification: { id: string } },
    code: string,
  ) => (await sut.confirmForUser(verification.id, userId, code)).result;

  it('stores a hash of the code, never the code, and verifies the right code once', async () => {
    const issued = await issue('+33612345678');
    const { verification, code } = issued;

    expect(code).toMatch(/^\d{6}$/);
    const [row] = await dataSource.query<{ code_hash: string }[]>(
      `SELECT code_hash FROM auth.phone_verifications WHERE id = $1`,
      [verification.id],
    );
    expect(row!.code_hash).toMatch(/^scrypt\$[\w-]+\$[\w-]+$/);
    expect(row!.code_hash).not.toContain(code);
    expect(await confirm(issued, code)).toBe('verified');
    expect(await confirm(issued, code)).toBe('already-verified');
  });

  it('counts wrong codes and spends the verification after five, even for the right code', async () => {
    const issued = await issue('+14155550123');
    const { verification, code } = issued;

    const results = [];
    for (let i = 0; i < 5; i++) results.push(await confirm(issued, wrong(code)));

    expect(results).toEqual(Array(5).fill('wrong-code'));
    expect(await confirm(issued, code)).toBe('too-many-attempts');
    const [row] = await dataSource.query<{ attempts: number }[]>(
      `SELECT attempts FROM auth.phone_verifications WHERE id = $1`,
      [verification.id],
    );
    expect(row).toEqual({ attempts: 5 });
  });

  it('counts every one of concurrent wrong guesses', async () => {
    const issued = await issue('+4915123456789');

    const results = await Promise.all(
      Array.from({ length: 8 }, () => confirm(issued, wrong(issued.code))),
    );

    expect(results.filter((result) => result === 'wrong-code')).toHaveLength(5);
    expect(results.filter((result) => result === 'too-many-attempts')).toHaveLength(3);
  });

  it('refuses an expired code and an unknown verification', async () => {
    const issued = await issue('+447700900123', -1);

    expect(await confirm(issued, issued.code)).toBe('expired');
    expect(
      await confirm(
        { ...issued, verification: { id: '00000000-0000-4000-8000-000000000000' } },
        issued.code,
      ),
    ).toBe('not-found');
  });

  it.each(['0612345678', '+0612345678', '+33 6 12 34 56 78', '+1234567890123456'])(
    'refuses the phone number %s, which is not in E.164 form',
    async (phoneNumber) => {
      const error = await issue(phoneNumber).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(QueryFailedError);
      expect((error as QueryFailedError).driverError).toMatchObject({
        constraint: 'phone_verifications_phone_number_check',
      });
    },
  );

  it('keeps the attempt counter within 0 to 5 whatever writes it', async () => {
    const { verification } = await issue('+33612345679');

    for (const attempts of [-1, 6]) {
      await expect(
        dataSource.query(`UPDATE auth.phone_verifications SET attempts = $1 WHERE id = $2`, [
          attempts,
          verification.id,
        ]),
      ).rejects.toMatchObject({
        driverError: { constraint: 'phone_verifications_attempts_check' },
      });
    }
  });

  it('issues one code per user per resend interval, even to concurrent requests', async () => {
    // Without the per-user lock, 13 of 30 such rounds issued two codes or more (measured).
    for (let round = 0; round < 10; round++) {
      const user = await newUser(dataSource);
      const issues = await Promise.all(
        Array.from({ length: 8 }, () =>
          sut.issueForUser(user.id, '+33612345678', { ttlSeconds: 600, resendSeconds: 60 }),
        ),
      );

      expect(issues.filter((issue) => issue.issued)).toHaveLength(1);
      expect(issues.filter((issue) => !issue.issued)).toEqual(
        Array(7).fill({ issued: false, retryAfterSeconds: expect.any(Number) }),
      );
    }
  });

  it('is deleted with its user', async () => {
    const { userId, verification } = await issue('+33612345670');

    await dataSource.query(`DELETE FROM auth.users WHERE id = $1`, [userId]);

    expect(await sut.findOneBy({ id: verification.id })).toBeNull();
  });
});
