import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identify } from '../../src/embedded-postgres/embedded-postgres';

/** The PID on line 1 of the `postmaster.pid` in `<dir>/data`, the file a running server writes. */
export function postmasterPid(dir: string): number {
  return Number(readFileSync(join(dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/**
 * Test clean-up: asks the postmaster `pid` for a fast shutdown (SIGINT) and waits up to 15 s for
 * it to go, only while that PID is still the PostgreSQL of `dataDir` (per /proc); a PID reused by
 * another process, or a server already gone, is left alone.
 */
export async function stopPostmaster(pid: number, dataDir: string): Promise<void> {
  if (identify(pid, dataDir) !== 'postmaster') return;
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 15_000;
  while (identify(pid, dataDir) === 'postmaster' && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
