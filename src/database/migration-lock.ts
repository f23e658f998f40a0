import { type DataSource, QueryFailedError } from 'typeorm';

/**
 * Key of the PostgreSQL advisory lock that serializes every process applying or reverting
 * migrations: the ASCII bytes of "migrate1" read as a 64-bit integer. Advisory locks are per
 * database, so databases on one server do not wait for each other.
 */
export const MIGRATION_LOCK_KEY = '7883946363647714609';

/** SQLSTATE `lock_not_available` (PostgreSQL docs, Appendix A), raised when lock_timeout runs out. */
const PG_LOCK_NOT_AVAILABLE = '55P03';

/** Thrown when another process held the migration lock for longer than the allowed wait. */
export class MigrationLockTimeoutError extends Error {
  override readonly name = 'MigrationLockTimeoutError';
}

/**
 * Runs `work` while holding the migration lock: a transaction-level advisory lock
 * (`pg_advisory_xact_lock`) taken in a transaction of its own, on a connection of its own, that
 * stays open until `work` settles. Other connections of `dataSource` do the work, so each migration
 * can still commit on its own. A transaction-level lock also holds behind a transaction-pooling
 * PgBouncer, which keeps a server connection for the whole of an open transaction.
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
  try {
    await holder.startTransaction();
    // The lock transaction sits idle while the migrations run: no server-wide timeout may end it.
    await holder.query(`SET LOCAL idle_in_transaction_session_timeout = 0`);
    await holder.query(`SET LOCAL statement_timeout = 0`);
    await holder.query(`SET LOCAL lock_timeout = '${Math.floor(timeoutSeconds)}s'`);
    try {
      await holder.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`);
    } catch (error) {
      if (!lockNotAvailable(error)) throw error;
      const holderPid = await lockHolderPid(dataSource);
      const { database } = dataSource.driver;
      throw new MigrationLockTimeoutError(
        `Waited ${timeoutSeconds} s for the migration lock (PostgreSQL advisory lock ${MIGRATION_LOCK_KEY} on database "${database}"), held by another process applying or reverting migrations${holderPid ? ` (server pid ${holderPid})` : ''}: let it finish, or raise MIGRATION_LOCK_TIMEOUT_SECONDS`,
      );
    }
    return await work();
  } finally {
    // Ending the transaction releases the lock; rollback and commit release it alike.
    if (holder.isTransactionActive) await holder.rollbackTransaction().catch(() => undefined);
    await holder.release();
  }
}

function lockNotAvailable(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  return (error.driverError as { code?: string }).code === PG_LOCK_NOT_AVAILABLE;
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
