import { createParamDecorator, type ExecutionContext, NotFoundException } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { UuidParam } from '../http/param-format.pipe';
import type { AuthenticatedRequest } from './current-session.decorator';

/**
 * A user id route parameter that must be the caller's own: `@OwnUserId('userId')`. A malformed
 * id gets 400 naming the parameter; another user's id gets the same 404 as an unknown one, so
 * that whether a user exists does not leak. Use it only behind `SessionGuard` (every non-public
 * route).
 *
 * @throws BadRequestException (400) for a malformed id; NotFoundException (404) for any id that
 *   is not the caller's.
 */
export const OwnUserId =
  (name: string): ParameterDecorator =>
  (target, method, index) => {
    ownUserId(name)(target, method, index);
    // A custom parameter is invisible to @nestjs/swagger: describe the path parameter by hand.
    const descriptor = Object.getOwnPropertyDescriptor(target, method!)!;
    ApiParam({ name, type: String, format: 'uuid', description: "The caller's own user id" })(
      target,
      method!,
      descriptor,
    );
  };

const ownUserId = createParamDecorator((name: string, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
  const raw = (request.params as Record<string, unknown>)[name];
  const id = UuidParam.transform(typeof raw === 'string' ? raw : '', { type: 'param', data: name });
  if (id !== request.session?.userId) throw new NotFoundException(`User ${id} not found`);
  return id;
});
