import { ThrottlerStorageService } from '@nestjs/throttler';
import { SlidingWindowThrottlerStorage } from './sliding-window.storage';

describe(SlidingWindowThrottlerStorage.name, () => {
  let now: number;
  let sut: SlidingWindowThrottlerStorage;

  beforeEach(() => {
    now = Date.UTC(2026, 10, 30, 12, 0, 0);
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    sut = new SlidingWindowThrottlerStorage();
  });

  afterEach(() => jest.restoreAllMocks());

  it.each([
    ['with a block (the default: blockDuration = ttl)', 60_000],
    ['without a block', 0],
  ])(
    'answers as @nestjs/throttler own storage does, %s, over 3 minutes of uneven traffic',
    async (_, blockDuration) => {
      const theirs = new ThrottlerStorageService();
      try {
        for (let step = 0; step < 400; step++) {
          // Bursts and pauses: 0 to 1.9 s between requests, two clients.
          now += (step * 7919) % 1900;
          const key = step % 3 === 0 ? 'b' : 'a';
          const args = [key, 60_000, 5, blockDuration, 'default'] as const;
          const [ours, expected] = await Promise.all([
            sut.increment(...args),
            theirs.increment(...args),
          ]);
          const relevant = (record: typeof ours) => ({
            ...record,
            timeToBlockExpire: record.isBlocked ? record.timeToBlockExpire : 0,
          });
          expect({ step, ...relevant(ours) }).toEqual({ step, ...relevant(expected) });
        }
      } finally {
        theirs.onApplicationShutdown();
      }
    },
  );

  it('refuses the hit after the limit and lets the client in again when the block ends', async () => {
    const hit = () => sut.increment('client', 10_000, 2, 10_000, 'default');

    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(false);
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 10 });
    now += 9_000;
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    now += 1_000;
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('costs the same per request however many hits are live (200,000 in the window)', async () => {
    const hit = () => sut.increment('one-address', 60_000, 10_000_000, 60_000, 'default');
    for (let i = 0; i < 200_000; i++) {
      if (i % 200 === 0) now += 1;
      await hit();
    }
    now += 60_000 - 500;

    const started = performance.now();
    for (let i = 0; i < 10_000; i++) await hit();
    const perRequestMs = (performance.now() - started) / 10_000;

    expect(perRequestMs).toBeLessThan(0.05);
  });

  it('forgets a client whose hits have all expired, a minute later', async () => {
    await sut.increment('gone', 1_000, 5, 1_000, 'default');
    now += 61_000;
    await sut.increment('other', 1_000, 5, 1_000, 'default');

    expect(sut.size).toBe(1);
  });
});
