/** Throughput and latency of one measured operation. */
export interface LoadResult {
  /** Completed calls per second of wall-clock time. */
  opsPerSec: number;
  /** Median and 99th percentile latency of one call, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  calls: number;
}

/** An operation to measure; it throws when its answer is wrong, which stops the bench. */
export type Operation = () => Promise<void>;

/**
 * Keeps `concurrency` callers calling `operation` back to back for `seconds` (at least once
 * each), and records each call's latency into `latencies` (milliseconds).
 *
 * @returns the wall-clock time taken, in ms.
 */
async function drive(
  operation: Operation,
  concurrency: number,
  seconds: number,
  latencies: number[] | null,
): Promise<number> {
  const started = performance.now();
  const end = started + seconds * 1000;
  // At least one call each, so that a short run on a busy machine still has figures.
  const caller = async () => {
    do {
      const callStarted = performance.now();
      await operation();
      latencies?.push(performance.now() - callStarted);
    } while (performance.now() < end);
  };
  await Promise.all(Array.from({ length: concurrency }, caller));
  return performance.now() - started;
}

/**
 * Measures several operations under the same load: each is warmed up for `warmupSeconds`, then
 * measured for `seconds` in total, split into `rounds` rounds in which the operations take turns,
 * so that a slow moment of a shared machine does not fall on one operation only.
 *
 * @returns one {@link LoadResult} per operation, by the same keys.
 */
export async function measure<K extends string>(
  operations: Record<K, Operation>,
  options: { concurrency: number; seconds: number; warmupSeconds: number; rounds: number },
): Promise<Record<K, LoadResult>> {
  const names = Object.keys(operations) as K[];
  for (const name of names) {
    if (options.warmupSeconds > 0) {
      await drive(operations[name], options.concurrency, options.warmupSeconds, null);
    }
  }
  const latencies = new Map(names.map((name) => [name, [] as number[]]));
  const elapsedMs = new Map(names.map((name) => [name, 0]));
  for (let round = 0; round < options.rounds; round++) {
    for (const name of names) {
      const ms = await drive(
        operations[name],
        options.concurrency,
        options.seconds / options.rounds,
        latencies.get(name)!,
      );
      elapsedMs.set(name, elapsedMs.get(name)! + ms);
    }
  }
  const results = {} as Record<K, LoadResult>;
  for (const name of names) {
    const sorted = latencies.get(name)!.sort((a, b) => a - b);
    results[name] = {
      opsPerSec: sorted.length / (elapsedMs.get(name)! / 1000),
      p50Ms: percentile(sorted, 0.5),
      p99Ms: percentile(sorted, 0.99),
      calls: sorted.length,
    };
  }
  return results;
}

/** The nearest-rank percentile `q` (0 to 1) of ascending `sorted`; NaN when empty. */
export function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
