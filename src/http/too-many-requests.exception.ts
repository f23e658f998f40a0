import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * 429 Too Many Requests with a `Retry-After` header (RFC 9110, section 10.2.3), which
 * `HttpExceptionFilter` writes.
 */
export class TooManyRequestsException extends HttpException {
  /**
   * @param retryAfterSeconds whole seconds the client should wait before trying again.
   * @param message a sentence for humans.
   */
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super({ message }, HttpStatus.TOO_MANY_REQUESTS);
  }
}
