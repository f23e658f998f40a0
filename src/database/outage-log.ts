import type { Logger } from '@nestjs/common';

/** What an {@link OutageLog} writes: the warning when a server goes away, the line when it returns. */
export interface OutageMessages {
  /** The warning, given the first error's message (which names no secret). */
  down: (reason: string) => string;
  /** The line when it is back, given the outage's length in seconds (one decimal). */
  up: (seconds: string) => string;
  /** The level of the `up` line. */
  upLevel: 'log' | 'warn';
}

/**
 * Whether a server is away, as its callers find it, logged once when it goes away and once when it
 * comes back: never a line per failed call. Shared by the primary's {@link DatabaseAvailability}
 * and the replicas' `ReplicaReads`.
 */
export class OutageLog {
  private downSince: number | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly messages: OutageMessages,
  ) {}

  /** True between a {@link down} and the next {@link up}. */
  get isDown(): boolean {
    return this.downSince !== undefined;
  }

  /**
   * Records a failure because the server is away; logs the warning if it starts an outage.
   *
   * @returns true when it started one.
   */
  down(error: unknown): boolean {
    if (this.downSince !== undefined) return false;
    this.downSince = Date.now();
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(this.messages.down(reason));
    return true;
  }

  /** Records a success; logs the outage's end and length if there was one. */
  up(): void {
    if (this.downSince === undefined) return;
    const seconds = ((Date.now() - this.downSince) / 1000).toFixed(1);
    this.downSince = undefined;
    this.logger[this.messages.upLevel](this.messages.up(seconds));
  }
}
