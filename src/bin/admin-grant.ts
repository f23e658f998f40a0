import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { ADMIN_ROLES } from '../auth/roles';
import { parseConfig } from '../config/environment';
import { openPostgresTarget } from '../embedded-postgres/postgres-target';
import { openDataSource } from '../migration-tools/migrator';
import { UsersRepository } from '../users/users.repository';

const USAGE = 'Usage: npm run admin:grant -- <email>';

/**
 * `npm run admin:grant -- <email>`: makes the user with this email an admin (`role = 'admin'`),
 * on the database that DATABASE_URL names or on the embedded server, as `npm run db:*` does. The
 * way to make the first admin; later admins can also be made by an admin through Better Auth's
 * `POST /api/auth/admin/set-role`. The user's sessions stay and are an admin's at once.
 *
 * Prints one line and exits 0 when the user was found, 1 when not (or on any error).
 */
async function main(args: string[]): Promise<number> {
  const { positionals } = parseArgs({ args, options: {}, allowPositionals: true });
  const [email] = positionals;
  if (positionals.length !== 1 || !email?.trim()) {
    console.error(USAGE);
    return 1;
  }
  const env = parseConfig(process.env);
  const server = await openPostgresTarget(env);
  try {
    const dataSource = await openDataSource(server.url);
    try {
      const id = await new UsersRepository(dataSource).setRoleByEmail(email, ADMIN_ROLES[0]);
      if (!id) {
        console.error(`No user has the email ${email}: nothing changed`);
        return 1;
      }
      console.log(`User ${id} (${email}) is now an admin`);
      return 0;
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await server.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // node:util parseArgs throws a TypeError with a code for an unknown option.
    const usage = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ?? false;
    const name = usage ? 'UsageError' : error instanceof Error ? error.name : '';
    console.error(error instanceof Error ? `${name}: ${error.message}` : String(error));
    process.exit(1);
  },
);
