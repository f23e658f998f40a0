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
 */
export class AppHttpAdapter extends FastifyAdapter {
  private headersHook?: SecurityHook;

  constructor(config: Pick<AppConfig, 'TRUST_PROXY' | 'BODY_LIMIT_BYTES'>) {
    super({
      trustProxy: trustProxySetting(config.TRUST_PROXY),
      bodyLimit: config.BODY_LIMIT_BYTES,
    });
  }

  override registerSecurityHook(hook: SecurityHook): void {
    this.headersHook = hook;
    super.registerSecurityHook(hook);
  }

  /**
   * Sets the headers of `app.useSecurityHeaders()` on the reply's Node response; a no-op before
   * that call. Its cross-origin check, if any, is left to the adapter's own hook, which runs it
   * again.
   */
  setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
    void this.headersHook?.(request, reply.raw);
  }
}
