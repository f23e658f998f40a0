import { Controller, Get, UseFilters } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';
import {
  HealthCheck,
  type HealthCheckResult,
  HealthCheckService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { HealthCheckFilter } from './health-check.filter';
import { Public } from '../auth/public.decorator';

/**
 * `GET /health`: 200 when PostgreSQL answers a ping within 1 s, 503 otherwise (terminus). Not
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
  ) {}

  @Get()
  @HealthCheck()
  check(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 1000 })]);
  }
}
