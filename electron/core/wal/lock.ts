// One writer per WAL directory: two brains (say, the desktop app and a headless run pointed at the
// same data folder) appending to one log would interleave sequence numbers and corrupt it.
// The lock file holds the owner's pid; a lock left by a dead process (kill -9) is taken over.
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_NAME = 'wal.lock';

export class WalLockedError extends Error {
  readonly code = 'WAL_LOCKED' as const;
  constructor(
    readonly path: string,
    readonly pid: number,
  ) {
    super(`WAL_LOCKED: ${path} is held by running process ${pid}`);
    this.name = 'WalLockedError';
  }
}

export interface WalLock {
  release(): Promise<void>;
}

export async function lockWalDir(dir: string): Promise<WalLock> {
  const path = join(dir, LOCK_NAME);
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(path, 'wx');
      try {
        await fh.writeFile(String(process.pid));
      } finally {
        await fh.close();
      }
      return { release: () => rm(path, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
    }
    const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) throw new WalLockedError(path, owner);
    await rm(path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
