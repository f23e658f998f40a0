import type { ThrottlerStorage } from '@nestjs/throttler';

/** Expiry times of one key's hits (ms since the epoch), oldest first; `head` is the oldest live. */
interface HitLog {
  expiries: number[];
  head: number;
  /** End of the current fixed window (for `X-RateLimit-Reset`), ms since the epoch. */
  windowEndsAt: number;
  blockedUntil: number;
}

/** How often keys whose hits have all expired are forgotten. */
const SWEEP_MS = 60_000;

/**
 * The throttler's in-memory counts, with the answers of `@nestjs/throttler`'s own
 * `ThrottlerStorageService` (6.x; the same sliding log of hits, the same block, the same
 * `timeToExpire` window), but constant work per request. That service filters a key's whole log on
 * every request (a copy of up to `limit` entries): at 3,000 requests/s from one address under a
 * high limit, the copy grew to 180,000 entries and the throttler took most of each request. Here
 * the log is a queue: hits expire from its front, in the order they were made (every hit of a key
 * and throttler has the same TTL).
 *
 * Keys are `<key>|<throttler name>`; those with nothing live are forgotten at the first request
 * of each minute (no timer, so nothing outlives the app).
 */
export class SlidingWindowThrottlerStorage implements ThrottlerStorage {
  private readonly logs = new Map<string, HitLog>();
  private nextSweepAt = Date.now() + SWEEP_MS;

  /**
   * Counts a hit of `key` unless it is blocked.
   *
   * @param ttl window of the limit, ms; @param limit hits allowed in any `ttl`;
   * @param blockDuration how long a key that went over the limit is refused, ms.
   * @returns live hits (`totalHits`), seconds to the end of the current window (`timeToExpire`),
   *   and whether the key is blocked, with the seconds left (`timeToBlockExpire`).
   */
  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<{
    totalHits: number;
    timeToExpire: number;
    isBlocked: boolean;
    timeToBlockExpire: number;
  }> {
    const now = Date.now();
    if (now >= this.nextSweepAt) {
      this.nextSweepAt = now + SWEEP_MS;
      this.forgetIdle(now);
    }
    const id = `${key}|${throttlerName}`;
    let log = this.logs.get(id);
    if (!log) {
      log = { expiries: [], head: 0, windowEndsAt: now + ttl, blockedUntil: 0 };
      this.logs.set(id, log);
    }
    prune(log, now);
    if (log.windowEndsAt <= now) log.windowEndsAt = now + ttl;
    const timeToExpire = Math.ceil((log.windowEndsAt - now) / 1000);
    const live = () => log.expiries.length - log.head;
    let blocked = log.blockedUntil > now;
    if (blocked || (blockDuration <= 0 && live() >= limit)) {
      // Refused: not counted. (Without a block, a key at the limit waits for its oldest hit.)
      const seconds =
        blockDuration <= 0
          ? Math.ceil((log.expiries[log.head]! - now) / 1000)
          : Math.ceil((log.blockedUntil - now) / 1000);
      return Promise.resolve({
        totalHits: live() + (blockDuration <= 0 ? 1 : 0),
        timeToExpire,
        isBlocked: true,
        timeToBlockExpire: seconds,
      });
    }
    if (log.blockedUntil !== 0) {
      // A block that has just ended starts the count again.
      log.blockedUntil = 0;
      log.expiries = [];
      log.head = 0;
    }
    log.expiries.push(now + ttl);
    if (blockDuration > 0 && live() > limit) {
      log.blockedUntil = now + blockDuration;
      blocked = true;
    }
    return Promise.resolve({
      totalHits: live(),
      timeToExpire,
      isBlocked: blocked,
      timeToBlockExpire: blocked ? Math.ceil(blockDuration / 1000) : 0,
    });
  }

  /** Keys held (for tests). */
  get size(): number {
    return this.logs.size;
  }

  private forgetIdle(now: number): void {
    for (const [id, log] of this.logs) {
      prune(log, now);
      if (log.head === log.expiries.length && log.blockedUntil <= now && log.windowEndsAt <= now) {
        this.logs.delete(id);
      }
    }
  }
}

/** Drops the expired hits from the front of the log; compacts it once half of it is dead. */
function prune(log: HitLog, now: number): void {
  const { expiries } = log;
  while (log.head < expiries.length && expiries[log.head]! <= now) log.head++;
  if (log.head > 64 && log.head * 2 > expiries.length) {
    log.expiries = expiries.slice(log.head);
    log.head = 0;
  }
}
