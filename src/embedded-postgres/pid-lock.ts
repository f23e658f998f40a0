import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';

/** Thrown when another live process held the lock for the whole wait. */
export class LockHeldError extends Error {
  override readonly name = 'LockHeldError';

  constructor(
    /** The lock file. */
    readonly file: string,
    /** The PID it names (0 when the holder had not written it yet). */
    readonly holder: number,
  ) {
    super(`${file} is held by process ${holder}`);
  }
}

/**
 * Takes `file` by creating it exclusively (the `wx` flag) with this process's PID: a lock between
 * processes on one machine. A file naming a dead process is stale and taken over; a live holder is
 * waited for, polling every 100 ms.
 *
 * @param waitMs how long to wait for a live holder, in milliseconds.
 * @returns a function that gives the lock back (idempotent; also run when the process exits).
 * @throws LockHeldError naming the holder's PID after `waitMs` milliseconds.
 */
export async function acquirePidLock(file: string, waitMs: number): Promise<() => void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = lockHolder(file);
    if (holder === 'stale') {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new LockHeldError(file, holder);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const release = () => {
    process.removeListener('exit', release);
    if (lockHolder(file) === process.pid) rmSync(file, { force: true });
  };
  process.once('exit', release);
  return release;
}

/**
 * The PID a start lock names, or `'stale'` when that process is gone or the file is unreadable and
 * older than 5 seconds (a holder writes its PID right after creating the file).
 */
function lockHolder(file: string): number | 'stale' {
  try {
    const pid = Number(readFileSync(file, 'utf8'));
    if (Number.isInteger(pid) && pid > 0) return isAlive(pid) ? pid : 'stale';
    return Date.now() - statSync(file).mtimeMs > 5000 ? 'stale' : 0;
  } catch {
    return 'stale';
  }
}

/** True when a process with this PID exists (EPERM: it does, under another user). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
