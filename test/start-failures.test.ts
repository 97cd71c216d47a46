// What `vibesync headless` does when a start is cut short or its disk will not take writes: the
// real command in a child process, reading what it prints.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
});
