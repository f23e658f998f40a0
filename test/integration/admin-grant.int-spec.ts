import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { newSession, newUser, type UserRow } from '../helpers/factories';
import { npmRun } from '../helpers/processes';
import { createTestDatabase, type TestDatabase } from '../helpers/test-database';

const UNREACHABLE = 'postgres://nobody@127.0.0.1:1/none';

/** `npm run admin:grant -- <email>`: the way the first admin is made. */
describe('npm run admin:grant', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let ada: UserRow;
  const grant = (args: string[]) => npmRun('admin:grant', args, { DATABASE_URL: database.url });
  const roles = () =>
    dataSource.query<{ email: string; role: string }[]>(
      `SELECT email, role FROM auth.users ORDER BY email`,
    );
  const ADA_ADMIN = [
    { email: 'ada@example.com', role: 'admin' },
    { email: 'bea@example.com', role: 'user' },
  ];

  // Each test starts from two plain users, so that any test runs alone (npx jest -t).
  beforeEach(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource(dataSourceOptions(database.url)).initialize();
    ada = await newUser(dataSource, { email: 'ada@example.com', name: 'Ada' });
    await newUser(dataSource, { email: 'bea@example.com', name: 'Bea' });
    await newSession(dataSource, ada.id);
  });

  afterEach(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('makes the user with that email an admin, prints one line, exits 0, and keeps its sessions', async () => {
    const result = await grant(['ada@example.com']);

    expect(result).toEqual({
      code: 0,
      stdout: `User ${ada.id} (ada@example.com) is now an admin\n`,
      stderr: '',
    });
    expect(await roles()).toEqual(ADA_ADMIN);
    expect(
      await dataSource.query(`SELECT count(*)::int AS n FROM auth.sessions WHERE user_id = $1`, [
        ada.id,
      ]),
    ).toEqual([{ n: 1 }]);
  });

  it('finds the email in any case and with spaces; granting again changes nothing more', async () => {
    const first = await grant([' ADA@Example.com']);
    const again = await grant([' ADA@Example.com']);

    for (const result of [first, again]) {
      expect(result).toEqual({
        code: 0,
        stdout: `User ${ada.id} ( ADA@Example.com) is now an admin\n`,
        stderr: '',
      });
    }
    expect(await roles()).toEqual(ADA_ADMIN);
  });

  it('exits 1 with one line, and changes nothing, for an unknown email', async () => {
    await dataSource.query(`UPDATE auth.users SET role = 'admin' WHERE id = $1`, [ada.id]);

    const result = await grant(['nobody@example.com']);

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'No user has the email nobody@example.com: nothing changed\n',
    });
    expect(await roles()).toEqual(ADA_ADMIN);
  });

  it.each([
    ['no email', []],
    ['two emails', ['ada@example.com', 'bea@example.com']],
  ])('exits 1 with the usage line for %s, before any connection', async (_case, args) => {
    const result = await npmRun('admin:grant', args, { DATABASE_URL: UNREACHABLE });

    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Usage: npm run admin:grant -- <email>\n',
    });
  });

  it('exits 1 with one line naming DATABASE_URL when the server cannot be reached', async () => {
    const result = await npmRun('admin:grant', ['ada@example.com'], { DATABASE_URL: UNREACHABLE });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^DatabaseConnectionError: Cannot connect to the PostgreSQL that DATABASE_URL names \(127\.0\.0\.1:1\/none\): [^\n]+\n$/,
    );
  });
});
