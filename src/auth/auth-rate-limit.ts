import type { BetterAuthOptions } from 'better-auth';
import type { AppConfig } from '../config/environment';

/**
 * The request header through which the app hands Better Auth the client's address: Fastify's
 * `request.ip`, which honours `TRUST_PROXY`. `clientIpMiddleware` sets it on every request to
 * `/api/auth`, replacing whatever the client sent, so Better Auth reads no header a client
 * controls. Better Auth keys its rate limits by it and stores it in `sessions.ip_address`.
 */
export const CLIENT_IP_HEADER = 'x-auth-client-ip';

/** The settings of {@link authRateLimit}. */
export type AuthRateLimitSettings = Pick<
  AppConfig,
  | 'AUTH_RATE_LIMIT_WINDOW_SECONDS'
  | 'AUTH_RATE_LIMIT_MAX'
  | 'AUTH_SIGN_IN_RATE_LIMIT_WINDOW_SECONDS'
  | 'AUTH_SIGN_IN_RATE_LIMIT_MAX'
  | 'AUTH_EMAIL_RATE_LIMIT_WINDOW_SECONDS'
  | 'AUTH_EMAIL_RATE_LIMIT_MAX'
>;

/**
 * Better Auth's rate limiter, on in every environment (Better Auth turns it off outside
 * production), counting per client address and path in `auth.rate_limits`, shared by every app
 * instance. Every endpoint gets `AUTH_RATE_LIMIT_MAX` requests per
 * `AUTH_RATE_LIMIT_WINDOW_SECONDS`; the endpoints that check a password (sign-in, sign-up,
 * change-password) get the stricter `AUTH_SIGN_IN_RATE_LIMIT_*`, and those that send mail
 * (password reset request, verification mail) `AUTH_EMAIL_RATE_LIMIT_*`. Over the limit Better
 * Auth answers 429 with `X-Retry-After`; `withRetryAfter` adds `Retry-After`.
 */
export function authRateLimit(settings: AuthRateLimitSettings) {
  const signIn = {
    window: settings.AUTH_SIGN_IN_RATE_LIMIT_WINDOW_SECONDS,
    max: settings.AUTH_SIGN_IN_RATE_LIMIT_MAX,
  };
  const email = {
    window: settings.AUTH_EMAIL_RATE_LIMIT_WINDOW_SECONDS,
    max: settings.AUTH_EMAIL_RATE_LIMIT_MAX,
  };
  return {
    enabled: true,
    storage: 'database',
    modelName: 'rate_limits',
    fields: { lastRequest: 'last_request' },
    window: settings.AUTH_RATE_LIMIT_WINDOW_SECONDS,
    max: settings.AUTH_RATE_LIMIT_MAX,
    customRules: {
      '/sign-in/*': signIn,
      '/sign-up/*': signIn,
      '/change-password': signIn,
      '/request-password-reset': email,
      '/send-verification-email': email,
    },
  } satisfies BetterAuthOptions['rateLimit'];
}
