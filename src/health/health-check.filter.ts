import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { DATABASE_RETRY_AFTER_SECONDS } from '../http/database-unavailable';

/** What terminus reports per indicator: a status, and on failure the error's message. */
type Indicators = Record<string, { status: string }>;

/** terminus's body of a failed check (`{ status: 'error', info, error, details }`). */
interface HealthBody {
  status: string;
  info?: Indicators;
  error?: Indicators;
  details?: Indicators;
}

/**
 * Answers a failed health check with terminus's own body (`{ status: 'error', info, error,
 * details }`), which probes and dashboards read, instead of the API's error shape, and with
 * `Retry-After`. Each indicator keeps only its `status` (`up` or `down`): the caller is
 * anonymous, and the messages name internal addresses (`connect ECONNREFUSED 10.0.0.5:5432`).
 */
@Catch(ServiceUnavailableException)
export class HealthCheckFilter implements ExceptionFilter {
  catch(exception: ServiceUnavailableException, host: ArgumentsHost): void {
    const body = exception.getResponse() as HealthBody;
    host
      .switchToHttp()
      .getResponse<FastifyReply>()
      .status(503)
      .header('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS))
      .send({
        status: body.status,
        info: statusesOnly(body.info),
        error: statusesOnly(body.error),
        details: statusesOnly(body.details),
      });
  }
}

function statusesOnly(indicators: Indicators | undefined): Indicators {
  return Object.fromEntries(
    Object.entries(indicators ?? {}).map(([name, { status }]) => [name, { status }]),
  );
}
