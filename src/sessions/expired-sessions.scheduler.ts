import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG } from '../config/app-config.module';
import type { AppConfig } from '../config/environment';
import { type ExpiredSessionsCleanup, SessionsService } from './sessions.service';

/** Name of the clean-up interval in the {@link SchedulerRegistry}. */
export const EXPIRED_SESSIONS_CLEANUP = 'expired-sessions-cleanup';

/**
 * Runs {@link SessionsService.deleteExpired} every `SESSION_CLEANUP_INTERVAL_SECONDS` (default
 * 1 hour; 0 registers nothing). The interval lives in `@nestjs/schedule`'s registry, which clears
 * it when the app shuts down. A run never overlaps the previous one, and a failed run is logged,
 * not thrown. Several instances may run it at once: the batches skip rows another holds.
 */
@Injectable()
export class ExpiredSessionsScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(ExpiredSessionsScheduler.name);
  private readonly intervalMs: number;
  private running = false;

  constructor(
    private readonly sessions: SessionsService,
    private readonly registry: SchedulerRegistry,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.intervalMs = config.SESSION_CLEANUP_INTERVAL_SECONDS * 1000;
  }

  onApplicationBootstrap(): void {
    if (this.intervalMs === 0) return;
    const handle = setInterval(() => void this.run(), this.intervalMs);
    handle.unref();
    this.registry.addInterval(EXPIRED_SESSIONS_CLEANUP, handle);
  }

  /**
   * One clean-up run.
   *
   * @returns what it deleted, or null when the previous run was still going or this one failed.
   */
  async run(): Promise<ExpiredSessionsCleanup | null> {
    if (this.running) return null;
    this.running = true;
    try {
      const result = await this.sessions.deleteExpired();
      if (result.deleted > 0) {
        this.logger.log(`Deleted ${result.deleted} expired sessions in ${result.batches} batches`);
      }
      return result;
    } catch (error) {
      this.logger.error(`Expired-session clean-up failed: ${(error as Error).message}`);
      return null;
    } finally {
      this.running = false;
    }
  }
}
