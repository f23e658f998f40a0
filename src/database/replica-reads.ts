import { Logger } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { isDatabaseUnavailable } from './database-outage';
import { OutageLog } from './outage-log';

/** Milliseconds a replica found down is left alone before a read tries it again. */
export const REPLICA_RETRY_MS = 2000;

/** One per DataSource, so that every repository shares one outage state (and one warning). */
const perDataSource = new WeakMap<DataSource, ReplicaReads>();

/**
 * The reads that tolerate replication lag, sent to a streaming replica. TypeORM's `replication`
 * option (`defaultMode: 'master'`, see `dataSourceOptions`) routes everything else to the primary;
 * a repository marks its lag-tolerant reads by running them through {@link read}.
 *
 * TypeORM has no fallback: a replica that cannot be reached fails the query. So a read that fails
 * because the replica is away (connection refused, not opened within
 * `DATABASE_CONNECT_TIMEOUT_SECONDS`, terminated) is run again on the primary, one warning is
 * logged for the outage (and one info line when it ends), and for the next {@link REPLICA_RETRY_MS} the reads go straight to the
 * primary; the first read after that tries the replica again, and a success logs its return.
 * Without replicas, {@link read} runs on the DataSource's own manager: nothing changes.
 */
export class ReplicaReads {
  private readonly outage = new OutageLog(new Logger('Replicas'), {
    down: (reason) => `A replica is unavailable (${reason}); reading from the primary meanwhile`,
    up: (seconds) => `The replica is back after ${seconds} s; lag-tolerant reads return to it`,
    upLevel: 'log',
  });
  private retryAt = 0;
  /** Whether `DATABASE_REPLICA_URLS` named any replica. */
  readonly configured: boolean;

  private constructor(private readonly dataSource: DataSource) {
    const options = dataSource.options as { replication?: { slaves: unknown[] } };
    this.configured = (options.replication?.slaves.length ?? 0) > 0;
  }

  /** The one instance for this DataSource. */
  static of(dataSource: DataSource): ReplicaReads {
    let reads = perDataSource.get(dataSource);
    if (!reads) {
      reads = new ReplicaReads(dataSource);
      perDataSource.set(dataSource, reads);
    }
    return reads;
  }

  /** True from a failed replica read until a replica answers again. */
  get isDown(): boolean {
    return this.outage.isDown;
  }

  /**
   * Runs `work` on a replica (TypeORM picks one at random), or on the primary when there is none
   * or the replica is away.
   *
   * @param work the reads, through the manager it is given (never `this.manager` of a repository,
   *   which would go to the primary). Must not write: a replica refuses writes.
   * @returns what `work` returns.
   * @throws what `work` throws, other than a replica being unavailable.
   */
  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.configured || (this.isDown && Date.now() < this.retryAt)) {
      return work(this.dataSource.manager);
    }
    let result: T;
    try {
      result = await this.onReplica(work);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.reportDown(error);
      return work(this.dataSource.manager);
    }
    this.reportUp();
    return result;
  }

  /**
   * Asks a replica for `SELECT 1`, for `/health`, and records the answer like a read does.
   *
   * @returns `true` when it answered, `false` when it failed; `true` without replicas.
   */
  async ping(): Promise<boolean> {
    if (!this.configured) return true;
    try {
      await this.onReplica((manager) => manager.query('SELECT 1'));
    } catch (error) {
      if (isDatabaseUnavailable(error)) this.reportDown(error);
      return false;
    }
    this.reportUp();
    return true;
  }

  private async onReplica<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner('slave');
    try {
      return await work(runner.manager);
    } finally {
      await runner.release();
    }
  }

  private reportDown(error: unknown): void {
    this.retryAt = Date.now() + REPLICA_RETRY_MS;
    this.outage.down(error);
  }

  private reportUp(): void {
    this.outage.up();
  }
}
