import { setTimeout as delay } from 'node:timers/promises';
import { Controller, Get, UseFilters } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  type HealthIndicatorResult,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { ReplicaReads } from '../database/replica-reads';
import { HealthCheckFilter } from './health-check.filter';
import { Public } from '../auth/public.decorator';

/**
 * `GET /health`: 200 when PostgreSQL answers a ping within 1 s, 503 otherwise (terminus). With
 * `DATABASE_REPLICA_URLS`, also `replica`: `up`, or `degraded` when no replica answers within 1 s (reads
 * then go to the primary, so the app still serves: the answer stays 200, status `degraded`). Not
 * rate limited: an orchestrator's probes must not be refused because of other traffic.
 */
@Controller('health')
@Public()
@SkipThrottle()
@UseFilters(HealthCheckFilter)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    const replica = ReplicaReads.of(this.dataSource);
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 1000 }),
      ...(replica.configured ? [() => this.replicaCheck(replica)] : []),
    ]);
  }

  private async replicaCheck(replica: ReplicaReads): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check('replica');
    const answered = await Promise.race([replica.ping(), delay(1000, false)]);
    return answered ? indicator.up() : indicator.degraded();
  }
}
