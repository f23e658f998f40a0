import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { User } from '../users/user.entity';
import type { Session } from './session.entity';

/** The request after `SessionGuard`: the validated session, with its user loaded. */
export interface AuthenticatedRequest extends FastifyRequest {
  session?: Session;
}

/** The session that `SessionGuard` validated, with `user` loaded; use it only behind that guard. */
export const CurrentSession = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Session | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().session,
);

/** The user of the session that `SessionGuard` validated; use it only behind that guard. */
export const CurrentUser = createParamDecorator(
  (_data: unknown, context: ExecutionContext): User | undefined =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().session?.user,
);
