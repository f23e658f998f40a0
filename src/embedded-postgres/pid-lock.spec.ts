import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquirePidLock, LockHeldError } from './pid-lock';

describe(acquirePidLock.name, () => {
  let dir: string;
  let file: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pid-lock-'));
    file = join(dir, 'start.lock');
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes this process PID and removes the file on release', async () => {
    const release = await acquirePidLock(file, 1000);

    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
    release();
    expect(existsSync(file)).toBe(false);
  });

  it('takes over a lock whose process is gone', async () => {
    writeFileSync(file, String(spawnSync('true').pid));

    const release = await acquirePidLock(file, 1000);

    expect(readFileSync(file, 'utf8')).toBe(String(process.pid));
    release();
  });

  it('waits for a live holder and takes the lock once it is released', async () => {
    const first = await acquirePidLock(file, 1000);
    setTimeout(first, 300);

    const started = Date.now();
    const second = await acquirePidLock(file, 5000);

    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    second();
  });

  it('names the live holder after the wait', async () => {
    const holder = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(file, String(holder.pid));

      const taking = acquirePidLock(file, 300);

      await expect(taking).rejects.toThrow(LockHeldError);
      await expect(taking).rejects.toMatchObject({ holder: holder.pid, file });
      expect(readFileSync(file, 'utf8')).toBe(String(holder.pid));
    } finally {
      holder.kill('SIGKILL');
    }
  });
});
