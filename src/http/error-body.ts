/**
 * One field that failed validation. `field` is a dotted path such as `email` or `metadata.color`,
 * or, for a request header, its lower-case name (`content-type`, `origin`).
 */
export interface FieldError {
  field: string;
  message: string;
}

/** The body of every 4xx and 5xx response. */
export interface ErrorBody {
  statusCode: number;
  /** The HTTP reason phrase, e.g. `Bad Request`. */
  error: string;
  /** A sentence for humans; for a validation failure, the first field error. */
  message: string;
  /** Present on validation failures: every field that failed. */
  details?: FieldError[];
}
