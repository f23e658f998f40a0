import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/environment';
import { trustProxySetting } from './trust-proxy';

/** What `app.useSecurityHeaders()` registers: sets the headers on the Node response. */
type SecurityHook = Parameters<FastifyAdapter['registerSecurityHook']>[0];

/**
 * Nest's Fastify adapter for this app: `TRUST_PROXY` becomes Fastify's `trustProxy` (the rules of
 * Express's `trust proxy`, see {@link trustProxySetting}), which decides the client address
 * (`request.ip`) that the rate limits count by; `BODY_LIMIT_BYTES` becomes its `bodyLimit` (413
 * beyond it, in the API's error shape).
 *
 * The adapter runs the CORS hook before the security headers' hook, so a preflight, which CORS
 * answers at once, would leave without the security headers that every other response carries;
 * {@link setSecurityHeaders} lets `configureApp` set them earlier, in the adapter's first hook.
 * The adapter's own hook then hands on that call's result instead of setting every header again.
 */
export class AppHttpAdapter extends FastifyAdapter {
  private headersHook?: SecurityHook;
  /** The result of the early call, per Node response, until the adapter's own hook takes it. */
  private readonly earlyResults = new WeakMap<object, ReturnType<SecurityHook>>();

  constructor(config: Pick<AppConfig, 'TRUST_PROXY' | 'BODY_LIMIT_BYTES'>) {
    super({
      trustProxy: trustProxySetting(config.TRUST_PROXY),
      bodyLimit: config.BODY_LIMIT_BYTES,
    });
  }

  override registerSecurityHook(hook: SecurityHook): void {
    this.headersHook = hook;
    super.registerSecurityHook((request, response) => {
      if (!this.earlyResults.has(response)) return hook(request, response);
      const early = this.earlyResults.get(response);
      this.earlyResults.delete(response);
      return early;
    });
  }

  /**
   * Runs the hook of `app.useSecurityHeaders()` (and of `app.enableCsrfProtection()`, if enabled)
   * on the reply's Node response, setting its headers; a no-op before that call. Its result, the
   * cross-origin check's error if any, is kept for the adapter's own hook, which rejects the
   * request at its usual place in the chain.
   */
  setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
    if (this.headersHook) this.earlyResults.set(reply.raw, this.headersHook(request, reply.raw));
  }
}
