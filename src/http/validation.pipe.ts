import {
  type ArgumentMetadata,
  BadRequestException,
  ValidationPipe,
  type ValidationError,
} from '@nestjs/common';
import type { FieldError } from './error-body';

/**
 * Deepest nesting of arrays and objects accepted in a request body. Our DTOs nest two levels;
 * class-transformer recurses once per level and overflows the stack (a RangeError, a 500) at
 * about 1300, which a 3 KB body reaches.
 */
export const MAX_BODY_DEPTH = 32;

/** A ValidationPipe that first refuses bodies nested deeper than {@link MAX_BODY_DEPTH}. */
class DepthLimitedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && depthOf(value) > MAX_BODY_DEPTH) {
      const message = `body must not be nested more than ${MAX_BODY_DEPTH} levels deep`;
      throw new BadRequestException({ message, details: [{ field: 'body', message }] });
    }
    return super.transform(value, metadata);
  }
}

/** Nesting depth of arrays and objects in `value` (0 for a scalar), without recursion. */
function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_BODY_DEPTH) break;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/**
 * Validates and transforms every DTO with class-validator. Unknown properties are refused
 * (`forbidNonWhitelisted`), every failure names its field, in `details`, and a body nested deeper
 * than {@link MAX_BODY_DEPTH} is refused as a 400 naming `body`.
 */
export function createValidationPipe(): ValidationPipe {
  return new DepthLimitedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
    exceptionFactory: (errors) => {
      const details = flatten(errors);
      return new BadRequestException({
        message: details[0]?.message ?? 'Invalid input',
        details,
      });
    },
  });
}

function flatten(errors: ValidationError[], prefix = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
