import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { OutageLog } from './outage-log';

/** Milliseconds between two probes while the database is away. */
const PROBE_INTERVAL_MS = 1000;

/**
 * Whether the database is reachable, as requests find it, with one warning when it goes away and
 * one when it comes back (never one per failed request). A request that fails because the
 * database is away calls {@link reportDown}; from then on a `SELECT 1` probe runs every second
 * until one succeeds, and {@link reportUp} closes the outage.
 */
@Injectable()
export class DatabaseAvailability implements OnApplicationShutdown {
  private readonly outage = new OutageLog(new Logger('Database'), {
    down: (reason) => `The database is unavailable (${reason}); answering 503 until it is back`,
    up: (seconds) => `The database is back after ${seconds} s`,
    upLevel: 'warn',
  });
  private probe: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly dataSource: DataSource) {}

  /** True between a {@link reportDown} and the next {@link reportUp}. */
  get isDown(): boolean {
    return this.outage.isDown;
  }

  /**
   * Records that a request failed because the database is away: logs one warning per outage
   * (with the first error's message, which names no secret) and starts probing.
   */
  reportDown(error: unknown): void {
    if (!this.stopped && this.outage.down(error)) this.scheduleProbe();
  }

  /** Records that a query succeeded: logs one warning with the outage's length if there was one. */
  reportUp(): void {
    this.outage.up();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.probe);
  }

  private scheduleProbe(): void {
    this.probe = setTimeout(() => {
      this.dataSource.query('SELECT 1').then(
        () => this.reportUp(),
        () => {
          if (this.isDown && !this.stopped) this.scheduleProbe();
        },
      );
    }, PROBE_INTERVAL_MS);
    this.probe.unref();
  }
}
