import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `auth.sessions.token` holds the SHA-256 of each session token (64 lower-case hex digits,
 * `hashSessionToken` in `src/auth/session-token-hash.ts`) instead of the token, so a copy of the
 * table holds no usable session. A data migration, written by hand: the schema does not change.
 *
 * `up` hashes the tokens already stored, in place, in one statement (`sha256()` is built into
 * PostgreSQL 11 and later; checked on 15 and 18). The token is read as UTF-8 bytes with
 * `convert_to`, as the app hashes it; a `::bytea` cast would read backslashes as escapes. Rows that
 * already hold 64 lower-case hex digits are left alone, so a row written by the new code is never
 * hashed twice; Better Auth's tokens are 32 letters and digits, never of that form. Every signed-in
 * client stays signed in. The table's trigger sets `updated_at` of every row to the time of the
 * migration.
 *
 * `down` cannot give the tokens back: a hash does not reveal its token. It deletes every session
 * instead, so the code before this migration never meets a hash it would take for a token, and
 * every user signs in again.
 */
export class HashSessionTokens1796100002000 implements MigrationInterface {
  name = 'HashSessionTokens1796100002000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "auth"."sessions" SET "token" = encode(sha256(convert_to("token", 'UTF8')), 'hex') WHERE "token" !~ '^[0-9a-f]{64}$'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "auth"."sessions"`);
  }
}
