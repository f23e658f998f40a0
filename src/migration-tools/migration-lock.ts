import { setTimeout } from 'node:timers/promises';
import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Key of the PostgreSQL advisory lock that serializes every process applying or reverting
 * migrations: the ASCII bytes of "migrate1" read as a 64-bit integer. Advisory locks are per
 * database, so databases on one server do not wait for each other.
 */
export const MIGRATION_LOCK_KEY = '7883946363647714609';

/** Pause between two attempts to take a lock that another process holds, in milliseconds. */
const RETRY_MS = 250;

/** Thrown when another process held the migration lock for longer than the allowed wait. */
export class MigrationLockTimeoutError extends Error {
  override readonly name = 'MigrationLockTimeoutError';
}

/**
 * Runs `work` while holding the migration lock: a transaction-level advisory lock taken with
 * `pg_try_advisory_xact_lock` in a transaction of its own, on a connection of its own, that stays
 * open until `work` settles. Other connections of `dataSource` do the work, so each migration can
 * still commit on its own.
 *
 * A process that finds the lock taken ends its attempt (rollback) and tries again every 250 ms,
 * rather than waiting inside a transaction. Behind a transaction-pooling PgBouncer, a transaction
 * keeps its server connection until it ends, so the holder keeps its lock, and the waiters hold
 * no server connection between attempts, so they cannot starve the holder's migrations of one.
 *
 * @param dataSource an initialized DataSource.
 * @param timeoutSeconds how long to wait for a lock that another process holds, in seconds.
 * @returns what `work` returns.
 * @throws MigrationLockTimeoutError naming the lock, its key and the holder's pid when the wait
 *   runs out; whatever `work` throws.
 */
export async function withMigrationLock<T>(
  dataSource: DataSource,
  timeoutSeconds: number,
  work: () => Promise<T>,
): Promise<T> {
  const holder = dataSource.createQueryRunner();
  const deadline = Date.now() + timeoutSeconds * 1000;
  try {
    while (!(await tryLock(holder))) {
      if (Date.now() >= deadline) {
        const holderPid = await lockHolderPid(dataSource);
        throw new MigrationLockTimeoutError(
          `Waited ${timeoutSeconds} s for the migration lock (PostgreSQL advisory lock ${MIGRATION_LOCK_KEY} on database "${dataSource.driver.database}"), held by another process applying or reverting migrations${holderPid ? ` (server pid ${holderPid})` : ''}: let it finish, or raise MIGRATION_LOCK_TIMEOUT_SECONDS`,
        );
      }
      await setTimeout(Math.min(RETRY_MS, Math.max(deadline - Date.now(), 0)));
    }
    // The lock transaction sits idle while the migrations run: no server-wide timeout may end it.
    await holder.query(`SET LOCAL idle_in_transaction_session_timeout = 0`);
    const result = await work();
    // Ending the transaction releases the lock. It wrote nothing, so COMMIT and ROLLBACK are alike;
    // COMMIT keeps a misleading ROLLBACK out of the CLI's query log after a successful run.
    await holder.commitTransaction();
    return result;
  } finally {
    if (holder.isTransactionActive) await holder.rollbackTransaction().catch(() => undefined);
    await holder.release();
  }
}

/** One attempt: true with the lock held in an open transaction, false with no transaction left. */
async function tryLock(holder: QueryRunner): Promise<boolean> {
  await holder.startTransaction();
  const [row] = (await holder.query(
    `SELECT pg_try_advisory_xact_lock(${MIGRATION_LOCK_KEY}) AS locked`,
  )) as { locked: boolean }[];
  if (row?.locked) return true;
  await holder.rollbackTransaction();
  return false;
}

/** pg_locks shows a bigint advisory key as classid (high 32 bits) and objid (low 32 bits). */
async function lockHolderPid(dataSource: DataSource): Promise<number | undefined> {
  const key = BigInt(MIGRATION_LOCK_KEY);
  const rows = await dataSource.query<{ pid: number }[]>(
    `SELECT pid FROM pg_locks
      WHERE locktype = 'advisory' AND granted AND objsubid = 1
        AND classid::bigint = $1 AND objid::bigint = $2
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [String(key >> 32n), String(key & 0xffffffffn)],
  );
  return rows[0]?.pid;
}
