import { SetMetadata } from '@nestjs/common';
import type { Role } from './roles';

/** Metadata key of {@link Roles}. */
export const ROLES = 'roles';

/**
 * Restricts a route or a controller to users with one of `roles` (their `auth.users.role`). The
 * global `SessionGuard` checks it once the session is found: without a session 401, with a
 * session of a user who has none of the roles 403. A handler's list replaces its controller's.
 */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(ROLES, roles);
