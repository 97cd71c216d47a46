// What `vibesync headless` does when a start is cut short or its disk will not take writes: the
// real command in a child process, reading what it prints.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenStore } from '../electron/core/auth/tokens.js';

const bin = fileURLToPath(new URL('../bin/vibesync.mjs', import.meta.url));
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

interface Ran {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `vibesync headless` until it prints its health address (then SIGTERM) or exits by itself. */
function headless(dir: string): Promise<Ran> {
  const child = spawn(process.execPath, [bin, 'headless', '--port', '0', '--data', dir], {
    env: { ...process.env, VIBESYNC_DATA: '', VIBESYNC_LOG_LEVEL: 'warn' },
  });
  cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
  let out = '';
  let err = '';
  let stopping = false;
  child.stdout.on('data', (d) => {
    out += d;
    if (stopping || !/(First lead token|Lead token)[^\n]*\n.*\n/.test(out)) return;
    stopping = true;
    // it listens for SIGTERM once it has printed everything
    setTimeout(() => child.kill('SIGTERM'), 300);
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out, err })));
}

const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'vs-start-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
};

describe('start-up cut short, or on a disk that takes no writes', () => {
  it('a first start that dies before the first lead token is saved leaves no live lead token nobody was shown: the next start issues and prints one', async () => {
    const dir = tempDir();
    // Where first-lead-token.txt goes stands a folder: saving the token fails, as a kill -9 at that moment would.
    mkdirSync(join(dir, 'first-lead-token.txt'));
    const first = await headless(dir);
    expect(first.code).not.toBe(0);
    expect(new TokenStore(dir).list().filter((t) => t.role === 'lead' && t.revokedAt === null)).toEqual([]);

    rmSync(join(dir, 'first-lead-token.txt'), { recursive: true });
    const second = await headless(dir);
    expect(second.out).toMatch(/First lead token \(shown once/);
    const token = /vs_lead_[A-Za-z0-9_-]{43}/.exec(second.out)?.[0];
    expect(token).toBeDefined();
    expect(readFileSync(join(dir, 'first-lead-token.txt'), 'utf8').trim()).toBe(token);
    expect(new TokenStore(dir).verify(token!)?.role).toBe('lead');
  }, 60_000);

  // A full or read-only disk needs a file system of its own: a tmpfs, which only root may mount.
  const canMount = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;
  it.skipIf(!canMount)(
    'a full disk, then a read-only one: one sentence naming the cause and exit 1, never a stack trace; writable again, it starts with its data',
    async () => {
      const mnt = tempDir();
      expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', mnt]).status).toBe(0);
      cleanups.push(() => spawnSync('umount', ['-l', mnt]));
      const dir = join(mnt, 'data');
      const started = await headless(dir);
      expect(started.code).toBe(0);
      // stopped cleanly (no lock left), then the disk fills up: not even the lock file fits
      spawnSync('dd', ['if=/dev/zero', `of=${join(mnt, 'fill')}`, 'bs=64k', 'count=1000'], { stdio: 'ignore' });

      const full = await headless(dir);
      expect(full.code).toBe(1);
      expect(full.err.trim()).toMatch(
        /^VibeSync cannot write to .*: the disk is full \(ENOSPC\)\. Free some space or make it writable, then try again\.$/,
      );

      rmSync(join(mnt, 'fill'));
      writeFileSync(join(dir, 'wal', 'wal.lock'), '999999999');
      expect(spawnSync('mount', ['-o', 'remount,ro', mnt]).status).toBe(0);
      const readOnly = await headless(dir);
      expect(readOnly.code).toBe(1);
      expect(readOnly.err.trim()).toMatch(/^VibeSync cannot write to .*: the file system is read-only \(EROFS\)\. /);
      expect(readOnly.err).not.toMatch(/\n\s+at /);

      expect(spawnSync('mount', ['-o', 'remount,rw', mnt]).status).toBe(0);
      const again = await headless(dir);
      expect(again.code).toBe(0);
      expect(again.out).toMatch(/Lead token: in /);
    },
    60_000,
  );
});
