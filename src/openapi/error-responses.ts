import type { OpenAPIObject } from '@nestjs/swagger';

type Responses = NonNullable<NonNullable<OpenAPIObject['components']>['responses']>;
type Headers = NonNullable<Extract<Responses[string], { description: string }>['headers']>;

/** The one error body of the app's routes (`ErrorBody`), as response content. */
export const ERROR_CONTENT = {
  'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } },
};

const RETRY_AFTER: Headers = {
  'Retry-After': {
    description: 'Seconds to wait before trying again',
    schema: { type: 'integer' },
  },
};

/**
 * The error answers many routes share, as `components.responses` of the spec, by name; an
 * operation refers to one with {@link errorResponse}.
 */
export const ERROR_RESPONSES = {
  InvalidInput: {
    description: 'Invalid input: `message` names the first field, `details` lists them all',
    content: ERROR_CONTENT,
  },
  NoSession: {
    description: 'No session, or an unknown, expired or refused one',
    content: ERROR_CONTENT,
    headers: {
      'WWW-Authenticate': {
        description: '`Bearer`, or `Bearer error="invalid_token"` when a token was given',
        schema: { type: 'string' },
      },
    },
  },
  BodyTooLarge: { description: 'The body is larger than BODY_LIMIT_BYTES', content: ERROR_CONTENT },
  NotJson: {
    description: 'The body is not JSON (a `Content-Type` other than `application/json`)',
    content: ERROR_CONTENT,
  },
  RateLimited: {
    description: 'Over the rate limit (API_RATE_LIMIT_MAX per API_RATE_LIMIT_TTL_SECONDS)',
    content: ERROR_CONTENT,
    headers: RETRY_AFTER,
  },
  InternalError: {
    description: 'An unexpected error; its cause is logged, never sent',
    content: ERROR_CONTENT,
  },
  DatabaseUnavailable: {
    description: 'The database is unavailable',
    content: ERROR_CONTENT,
    headers: RETRY_AFTER,
  },
} satisfies Responses;

/** A reference to one of {@link ERROR_RESPONSES}. */
export function errorResponse(name: keyof typeof ERROR_RESPONSES): { $ref: string } {
  return { $ref: `#/components/responses/${name}` };
}
