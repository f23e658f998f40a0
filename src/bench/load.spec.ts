import { measure, percentile } from './load';

describe(percentile.name, () => {
  it('answers the nearest-rank percentile of sorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);

    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile([7], 0.99)).toBe(7);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe(measure.name, () => {
  it('runs every operation with the asked concurrency and counts its calls', async () => {
    let inFlight = 0;
    let most = 0;
    const operation = async () => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
    };

    const result = await measure(
      { a: operation, b: operation },
      { concurrency: 4, seconds: 0.2, warmupSeconds: 0, rounds: 2 },
    );

    expect(most).toBe(4);
    for (const name of ['a', 'b'] as const) {
      expect(result[name].calls).toBeGreaterThan(0);
      expect(result[name].opsPerSec).toBeGreaterThan(0);
      expect(result[name].p99Ms).toBeGreaterThanOrEqual(result[name].p50Ms);
    }
  });

  it('stops at the first failing call with its error', async () => {
    const failing = () => Promise.reject(new Error('wrong answer'));

    await expect(
      measure({ failing }, { concurrency: 2, seconds: 0.1, warmupSeconds: 0, rounds: 1 }),
    ).rejects.toThrow('wrong answer');
  });
});
