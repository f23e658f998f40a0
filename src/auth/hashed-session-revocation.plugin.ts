import type { BetterAuthPlugin } from 'better-auth';
import { createAuthMiddleware, getSessionFromCtx, isAPIError } from 'better-auth/api';
import { deleteSessionCookie } from 'better-auth/cookies';
import { SESSION_TOKEN_HASH_PATTERN } from './session-token-hash';

import type { Pool } from 'pg';

/**
 * Completes the three Better Auth endpoints that stored hashes would break (see
 * `hashedSessionTokens`), after Better Auth has run them: both have already authenticated the
 * caller by the token it presented, through the adapter that hashes it.
 *
 * - `POST /revoke-session` with `{"token": <hash>}`: `/list-sessions` shows each session's stored
 *   hash in place of its token, so that is what a client sends back to revoke one. Better Auth
 *   looks the value up as a token (hashing it) and finds nothing; this deletes the caller's own
 *   session whose stored hash is that value, and clears the cookie if it was the caller's current
 *   session. A raw token still revokes through Better Auth itself. Another user's hash matches
 *   nothing: only the caller's sessions are searched.
 * - `POST /revoke-other-sessions`: Better Auth lists the user's sessions (hashes) and deletes each
 *   one whose token differs from the current session's raw token, as tokens: every comparison
 *   misses, and it deletes nothing. This deletes the caller's other sessions by id.
 *
 * - `POST /admin/revoke-user-session` with `{"sessionToken": <hash>}`: `/admin/list-user-sessions`
 *   shows hashes too; once Better Auth has checked that the caller may revoke sessions (an admin),
 *   this deletes the session whose stored hash is that value, in one statement.
 *
 * A hash never authenticates: the caller's session comes from the token it presented, hashed.
 *
 * @param pool the app's pool, for the admin revocation's one `DELETE`.
 */
export function hashedSessionRevocation(pool: Pool) {
  return {
    id: 'hashed-session-revocation',
    hooks: {
      after: [
        {
          matcher: (context) => context.path === '/revoke-session',
          handler: createAuthMiddleware(async (ctx) => {
            const value: unknown = (ctx.body as { token?: unknown } | undefined)?.token;
            if (typeof value !== 'string' || !SESSION_TOKEN_HASH_PATTERN.test(value)) return;
            if (isAPIError(ctx.context.returned)) return;
            const caller = await getSessionFromCtx(ctx);
            if (!caller) return;
            const sessions = await ctx.context.internalAdapter.listSessions(caller.user.id);
            const target = sessions.find((session) => session.token === value);
            if (!target) return;
            await ctx.context.adapter.delete({
              model: 'session',
              where: [{ field: 'id', value: target.id }],
            });
            if (target.id === caller.session.id) deleteSessionCookie(ctx);
          }),
        },
        {
          matcher: (context) => context.path === '/admin/revoke-user-session',
          handler: createAuthMiddleware(async (ctx) => {
            const value: unknown = (ctx.body as { sessionToken?: unknown } | undefined)
              ?.sessionToken;
            if (typeof value !== 'string' || !SESSION_TOKEN_HASH_PATTERN.test(value)) return;
            if (isAPIError(ctx.context.returned)) return;
            await pool.query(`DELETE FROM auth.sessions WHERE token = $1`, [value]);
          }),
        },
        {
          matcher: (context) => context.path === '/revoke-other-sessions',
          handler: createAuthMiddleware(async (ctx) => {
            if (isAPIError(ctx.context.returned)) return;
            const caller = await getSessionFromCtx(ctx);
            if (!caller) return;
            await ctx.context.adapter.deleteMany({
              model: 'session',
              where: [
                { field: 'userId', value: caller.user.id },
                { field: 'id', operator: 'ne', value: caller.session.id },
              ],
            });
          }),
        },
      ],
    },
  } satisfies BetterAuthPlugin;
}
