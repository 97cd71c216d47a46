// One writer per WAL directory: two brains (say, the desktop app and a headless run pointed at the
// same data folder) appending to one log would interleave sequence numbers and corrupt it.
// The lock file holds the owner's pid and, on Linux, its start time. A lock left by a process that
// is gone (kill -9) is taken over: one whose pid no longer runs, is a zombie not yet reaped by its
// parent, or now belongs to another process (the same pid reused, as a container's pid 1 always is).
import { existsSync, readFileSync } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
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

/**
 * Lock files this process holds (path → the file's inode): the only case where a lock naming this
 * pid is not stale. The inode tells this lock from a newer one at the same path: an emergency unlock
 * moves a broken WAL aside (its lock file with it) and locks a fresh WAL under the old name.
 */
const held = new Map<string, number>();

export async function lockWalDir(dir: string): Promise<WalLock> {
  const path = join(dir, LOCK_NAME);
  for (let attempt = 0; ; attempt++) {
    try {
      const fh = await open(path, 'wx');
      try {
        await fh.writeFile(`${process.pid} ${startTime(process.pid) ?? ''}`.trim());
      } finally {
        await fh.close();
      }
      const { ino } = await stat(path);
      held.set(path, ino);
      return {
        // Only this lock: a lock file now at `path` with another inode belongs to a newer WAL.
        release: async () => {
          if (held.get(path) === ino) held.delete(path);
          const now = await stat(path).catch(() => null);
          if (now?.ino === ino) await rm(path, { force: true });
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
    }
    const owner = liveOwner(path, await readFile(path, 'utf8').catch(() => ''));
    if (owner !== null) throw new WalLockedError(path, owner);
    await rm(path, { force: true });
  }
}

/**
 * Throws WalLockedError when a live process holds `dir`'s lock; takes nothing. The orchestrator
 * asks before it touches anything in a data folder (tokens, blobs), so a second start on a folder
 * in use changes nothing of the running one's before it is refused.
 */
export function assertWalDirFree(dir: string): void {
  const path = join(dir, LOCK_NAME);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return;
  }
  const owner = liveOwner(path, text);
  if (owner !== null) throw new WalLockedError(path, owner);
}

/** The pid holding the lock whose file reads `text`, or null when that holder is gone. */
function liveOwner(path: string, text: string): number | null {
  const [pidText, started] = text.trim().split(/\s+/);
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (pid === process.pid) return held.has(path) ? pid : null;
  if (!PROC) return isAlive(pid) ? pid : null;
  const now = startTime(pid);
  if (now === null || now === 'zombie') return null;
  return started === undefined || started === now ? pid : null;
}

const PROC = existsSync('/proc/self/stat');

/** A process's start time (clock ticks since boot, /proc/<pid>/stat field 22); 'zombie' once it exited unreaped; null when there is none. */
function startTime(pid: number): string | null {
  if (!PROC) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' ? 'zombie' : (fields[19] ?? null);
  } catch {
    return null;
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
