import type { INestApplication } from '@nestjs/common';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** How long closing the app and stopping the database may take after the drain, in ms. */
const FINAL_GRACE_MS = 5000;

/** What {@link stopGracefullyOn} stops, and how. */
export interface GracefulShutdownOptions {
  /** The listening app; `app.close()` runs Nest's shutdown (HTTP server, then TypeORM). */
  app: INestApplication;
  /** Stops the database server after the app has closed (the embedded one; a no-op otherwise). */
  stopDatabase: () => Promise<void>;
  /** How long the requests in flight may take before their connections are closed, in ms. */
  timeoutMs: number;
  logger: Logger;
  /** Ends the process with a status; `process.exit` by default. */
  exit?: (code: number) => void;
}

/**
 * On SIGTERM or SIGINT, stops in this order, so that no request in flight loses its database:
 *
 * 1. the HTTP server stops accepting connections (new ones are refused), and every response still
 *    to be written carries `Connection: close`, so keep-alive clients do not send more;
 * 2. once the requests in flight have been answered, `app.close()` runs Nest's shutdown hooks,
 *    which close TypeORM;
 * 3. the database server stops (the embedded one; `DATABASE_URL`'s is left alone);
 * 4. the process exits 0.
 *
 * After `timeoutMs`, or on a second signal, the connections still open are closed and the exit
 * status is 1; steps 2 and 3 get {@link FINAL_GRACE_MS} more at most, then the process exits 1.
 * Replaces Nest's `enableShutdownHooks`, which re-raises the signal (so the status is 143 or 130,
 * not 0), has no time-out, and cannot order the database's stop after its own.
 */
export function stopGracefullyOn(
  signals: readonly NodeJS.Signals[],
  options: GracefulShutdownOptions,
): void {
  const server = options.app.getHttpServer() as Server;
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
    if (draining) closeAfter(response);
  });

  let forced = false;
  const force = (why: string) => {
    if (forced) return;
    forced = true;
    options.logger.warn(
      `${why}: closing the connections of ${inFlight.size} unfinished request(s)`,
    );
    server.closeAllConnections();
  };

  const stop = async (signal: NodeJS.Signals) => {
    if (draining) return force(`${signal} received again`);
    draining = true;
    // Closed here, at once, rather than by Nest's `app.close()`, which first runs hooks; that then
    // finds the server closed and goes on to close TypeORM.
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const response of inFlight) closeAfter(response);
    options.logger.info(
      `${signal} received: refusing new connections and finishing ${inFlight.size} request(s) in flight (at most ${options.timeoutMs / 1000} s)`,
    );
    const timer = setTimeout(
      () => force(`Requests still running after ${options.timeoutMs / 1000} s`),
      options.timeoutMs,
    );
    await drained;
    clearTimeout(timer);
    // The rest (Nest's hooks, the pool, the database server) gets a few seconds, no longer.
    setTimeout(() => {
      options.logger.error(
        `Still stopping ${FINAL_GRACE_MS / 1000} s after the drain: exiting now`,
      );
      (options.exit ?? process.exit)(1);
    }, FINAL_GRACE_MS).unref();
    let failed = false;
    try {
      await options.app.close();
    } catch (error) {
      failed = true;
      options.logger.error(`Closing the app failed: ${(error as Error).message}`);
    }
    try {
      await options.stopDatabase();
    } catch (error) {
      failed = true;
      options.logger.error(`Stopping the database server failed: ${(error as Error).message}`);
    }
    const code = failed || forced ? 1 : 0;
    options.logger.info(`Stopped (exit status ${code})`);
    (options.exit ?? process.exit)(code);
  };
  for (const signal of signals) process.on(signal, (received) => void stop(received));
}

/** Marks a response not yet sent as the last on its connection (Node then closes it). */
function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('Connection', 'close');
}
