import { SetMetadata } from '@nestjs/common';

/** Metadata key of {@link Public}. */
export const IS_PUBLIC = 'isPublic';

/**
 * Marks a route or a controller as public: the global `SessionGuard` lets anonymous requests
 * through. Every other route requires a session, including routes added later.
 */
export const Public = () => SetMetadata(IS_PUBLIC, true);
