import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * One field that failed validation. `field` is a dotted path such as `email` or `metadata.color`,
 * or, for a request header, its lower-case name (`content-type`, `origin`).
 */
export class FieldError {
  @ApiProperty({ example: 'email' })
  field!: string;

  @ApiProperty({ example: 'email must be an email address' })
  message!: string;
}

/** The body of every 4xx and 5xx response (classes, so that the OpenAPI spec can show it). */
export class ErrorBody {
  @ApiProperty({ type: 'integer', example: 400 })
  statusCode!: number;

  /** The HTTP reason phrase, e.g. `Bad Request`. */
  @ApiProperty({ description: 'The HTTP reason phrase', example: 'Bad Request' })
  error!: string;

  /** A sentence for humans; for a validation failure, the first field error. */
  @ApiProperty({
    description: 'A sentence for humans; for a validation failure, the first field error',
    example: 'email must be an email address',
  })
  message!: string;

  /** Present on validation failures: every field that failed. */
  @ApiPropertyOptional({
    description: 'Present on validation failures: every field that failed',
    type: [FieldError],
  })
  details?: FieldError[];
}
