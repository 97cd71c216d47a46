// The `vibesync` command as a person runs it: spawned as a child process, reading what it prints.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ensurePanelBuilt, probeElectron } from '../electron/headless/start-command.js';

const bin = fileURLToPath(new URL('../bin/vibesync.mjs', import.meta.url));
const repo = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
let dir: string;
const children: ChildProcessWithoutNullStreams[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vs-cli-'));
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(args: string[], env: Record<string, string> = {}): Run {
  // run from the data folder with a PATH holding no `vibesync`, as a newcomer would
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: dir,
    env: { ...process.env, VIBESYNC_DATA: '', PATH: dirname(process.execPath), ...env },
  });
  children.push(child);
  let out = '',
    err = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    err += d;
  });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exit };
}

async function waitForOutput(r: Run, pattern: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = r.stdout().match(pattern);
    if (m) return m;
    if (r.child.exitCode !== null) throw new Error(`exited ${r.child.exitCode} before printing ${pattern}:\n${r.stdout()}\n${r.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${r.stdout()}\n${r.stderr()}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

describe('vibesync CLI', () => {
  it('token issue prints the token once on stdout and explains on stderr; the file holds only its digest', async () => {
    const r = run(['token', 'issue', '--role', 'adapter', '--name', 'blender', '--data', dir]);
    expect(await r.exit).toBe(0);
    const token = r.stdout().trim();
    expect(token).toMatch(/^vs_adapter_[A-Za-z0-9_-]{43}$/);
    expect(r.stderr()).toMatch(/Issued adapter token "blender" .* shown only this once/);
    expect(readFileSync(join(dir, 'tokens.json'), 'utf8')).not.toContain(token);
  });

  it('a bad flag is one sentence and exit code 2, not a stack trace', async () => {
    const r = run(['token', 'issue', '--role', 'root', '--name', 'x', '--data', dir]);
    expect(await r.exit).toBe(2);
    expect(r.stderr().trim()).toBe('--role must be one of adapter, agent, viewer, reviewer, lead (got "root").');
    expect(r.stderr()).not.toMatch(/\n\s+at /);
  });

  it('headless prints its addresses and the first lead token, serves /healthz, and stops cleanly on SIGINT', async () => {
    const r = run(['headless', '--port', '0', '--data', dir]);
    const [, base] = await waitForOutput(r, /Health:\s+(http:\/\/127\.0\.0\.1:\d+)\/healthz/);
    expect(r.stdout()).toMatch(/Adapters: ws:\/\/127\.0\.0\.1:\d+\/adapter/);
    expect(r.stdout()).toMatch(/Panel:\s+http:\/\/127\.0\.0\.1:\d+\//);
    const token = (await waitForOutput(r, /^\s+(vs_lead_\S+)$/m))[1]!;
    expect(readFileSync(join(dir, 'first-lead-token.txt'), 'utf8').trim()).toBe(token);
    const health = await (await fetch(`${base}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', orchestrator: 'RUNNING', engines: 0, panic: false });
    expect(JSON.stringify(health)).not.toContain('vs_');
    expect(r.stderr()).toMatch(/"msg":"listening"/); // structured logs go to stderr
    r.child.kill('SIGINT');
    expect(await r.exit).toBe(0);
    expect(r.stdout()).toContain('VibeSync orchestrator stopped.');

    // Second start: the lead token is not printed again, but where it is and how to get a new one are.
    const again = run(['headless', '--port', '0', '--data', dir]);
    await waitForOutput(again, /Lost it\?/);
    expect(again.stdout()).not.toContain('vs_lead_');
    expect(again.stdout()).toContain(`Lead token: in ${join(dir, 'first-lead-token.txt')} (written on the first start`);
    // exactly as it must be typed here: `vibesync` is not on this PATH, so through npx
    expect(again.stdout()).toContain(`Lost it? \`npx --prefix ${repo} vibesync token reset --name lead --data ${dir}\``);
    again.child.kill('SIGTERM');
    expect(await again.exit).toBe(0);

    // Once the file is deleted, the reset command is still there.
    rmSync(join(dir, 'first-lead-token.txt'));
    const third = run(['headless', '--port', '0', '--data', dir]);
    await waitForOutput(third, /Lost it\?/);
    expect(third.stdout()).toContain('Lead token: issued on the first start');
    expect(third.stdout()).toContain(`vibesync token reset --name lead --data ${dir}`);
    third.child.kill('SIGTERM');
    expect(await third.exit).toBe(0);
  });

  it('a second headless on the same data folder says why in one sentence and exits 1', async () => {
    const first = run(['headless', '--port', '0', '--data', dir]);
    await waitForOutput(first, /Health:/);
    const second = run(['headless', '--port', '0', '--data', dir]);
    expect(await second.exit).toBe(1);
    expect(second.stderr()).toMatch(
      /^Another VibeSync orchestrator \(pid \d+\) is using .+; stop it or pick another folder with --data\.$/m,
    );
    expect(second.stderr()).not.toMatch(/\n\s+at /);
    first.child.kill('SIGINT');
    expect(await first.exit).toBe(0);
  });

  it('sim connects a simulated engine to a running headless orchestrator', async () => {
    const orch = run(['headless', '--port', '0', '--data', dir]);
    const [, port] = await waitForOutput(orch, /Adapters: ws:\/\/127\.0\.0\.1:(\d+)\/adapter/);
    const issue = run(['token', 'issue', '--role', 'adapter', '--name', 'unity', '--data', dir]);
    await issue.exit;
    const sim = run(['sim', '--url', `ws://127.0.0.1:${port}/adapter`, '--engine', 'unity', '--role', 'target'], {
      VIBESYNC_TOKEN: issue.stdout().trim(),
    });
    const deadline = Date.now() + 20_000;
    while (!sim.stderr().includes('"msg":"connected"')) {
      if (sim.child.exitCode !== null || Date.now() > deadline) throw new Error(`sim did not connect:\n${sim.stderr()}`);
      await new Promise((res) => setTimeout(res, 50));
    }
    sim.child.kill('SIGINT');
    expect(await sim.exit).toBe(0);
    orch.child.kill('SIGINT');
    expect(await orch.exit).toBe(0);
  });

  it.skipIf(probeElectron().ok)(
    'start without the Electron binary says so in one sentence and runs headless',
    async () => {
      const r = run(['start', '--port', '0', '--data', dir]);
      // a first start on a machine without a build builds the panel first
      await waitForOutput(r, /Health:/, 180_000);
      expect(r.stdout()).toMatch(/Panel:\s+http:\/\/127\.0\.0\.1:\d+\/\s+\(sign in/);
      const line = r
        .stdout()
        .split('\n')
        .find((l) => l.startsWith('Electron'))!;
      expect(line).toMatch(
        /^Electron's binary is not installed here \(scripts\/setup\.sh skips its download\), so VibeSync runs headless: open .+ in a browser\.$/,
      );
      // Electron's own install message is not ours to print: the missing binary is expected here
      expect(r.stdout() + r.stderr()).not.toMatch(/failed to install|delete node_modules/i);
      expect(r.stderr()).not.toMatch(/\n\s+at /);
      r.child.kill('SIGINT');
      expect(await r.exit).toBe(0);
    },
    200_000,
  );
});

describe('first start', () => {
  const io = () => {
    const lines: string[] = [];
    return { lines, io: { out: (t: string) => lines.push(t), err: (t: string) => lines.push(`ERR ${t}`) } };
  };
  it('builds a missing panel once, saying so', async () => {
    const { lines, io: out } = io();
    let builds = 0;
    expect(await ensurePanelBuilt(out, { built: () => builds > 0, build: async () => void builds++ })).toBe(true);
    expect(builds).toBe(1);
    expect(lines).toEqual(['First start: building the panel (once; takes about a minute)…', 'Panel built.']);
    expect(await ensurePanelBuilt(out, { built: () => builds > 0, build: async () => void builds++ })).toBe(true);
    expect(builds).toBe(1);
  });
  it('a failed build is one sentence of ours, and start goes on', async () => {
    const { lines, io: out } = io();
    const failing = async () => {
      throw new Error('vite: out of memory\n    at x (y.js:1:1)');
    };
    expect(await ensurePanelBuilt(out, { built: () => false, build: failing })).toBe(false);
    expect(lines.at(-1)).toBe('ERR The panel could not be built (vite: out of memory); run `npx vibesync build-panel` to see why.');
  });
});
