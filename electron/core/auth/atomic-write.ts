// Crash-safe replacement of a small file: write a temp file, fsync it, rename over the target,
// fsync the directory — so a crash leaves either the old content or the new, never a torn file.
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export function writeFileAtomicSync(path: string, content: string, mode = 0o600): void {
  const tmp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    unlinkSync(tmp);
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}

/**
 * Deletes the temp files of `path` that a process killed mid-write left behind (`<name>.<hex>.tmp`),
 * once they are older than `olderThanMs`: a younger one may be another process's write in flight
 * (the token CLI beside a running orchestrator). Returns how many were deleted.
 */
export function removeStaleTemps(path: string, now = Date.now(), olderThanMs = 60_000): number {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  let removed = 0;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(prefix) || !/^[0-9a-f]{12}\.tmp$/.test(name.slice(prefix.length))) continue;
    try {
      if (now - statSync(join(dir, name)).mtimeMs < olderThanMs) continue;
      rmSync(join(dir, name), { force: true });
      removed++;
    } catch {
      // gone meanwhile (renamed by its writer, or removed by another start)
    }
  }
  return removed;
}

function fsyncDir(dir: string): void {
  // Windows cannot open a directory for fsync; the rename is as durable as that platform allows.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
