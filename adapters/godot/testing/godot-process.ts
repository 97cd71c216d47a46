// A headless Godot 3 (godot3-server) running the add-on through tests/run_adapter.gd: its adapter
// events as a stream the test waits on, and commands written to a file the runner polls.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GODOT } from './find-godot.js';

export const GODOT_PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface GodotEvent {
  event: string;
  [k: string]: unknown;
}

const BASE_ENV = { LC_ALL: 'C.UTF-8' };

/** Runs a GDScript SceneTree script to completion; returns its exit code and output. */
export function runGodotScript(script: string, args: string[] = []): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(GODOT, ['--no-window', '--path', GODOT_PROJECT, '--script', script, '--', ...args], {
    env: { ...process.env, ...BASE_ENV },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

export class GodotProcess {
  readonly events: GodotEvent[] = [];
  output = '';
  exited: Promise<number | null>;
  private readonly child: ChildProcess;
  private readonly dir: string;
  private readonly commands: string;
  private readonly waiters = new Set<() => void>();
  private nextId = 0;

  constructor(env: Record<string, string>) {
    this.dir = mkdtempSync(join(tmpdir(), 'vibesync-godot-'));
    this.commands = join(this.dir, 'commands.jsonl');
    writeFileSync(this.commands, '');
    this.child = spawn(GODOT, ['--no-window', '--path', GODOT_PROJECT, '--script', 'res://tests/run_adapter.gd'], {
      env: { ...process.env, ...BASE_ENV, ...env, VIBESYNC_COMMANDS: this.commands },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buf = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      this.output += d.toString();
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('VIBESYNC_EVENT ')) this.events.push(JSON.parse(line.slice(15)) as GodotEvent);
      }
      for (const w of [...this.waiters]) w();
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    this.exited = new Promise((r) =>
      this.child.on('exit', (code) => {
        for (const w of [...this.waiters]) w();
        r(code);
      }),
    );
  }

  get pid() {
    return this.child.pid!;
  }

  waitFor(pred: (e: GodotEvent) => boolean, ms = 15_000, from = 0): Promise<GodotEvent> {
    return new Promise((resolvePromise, reject) => {
      const check = () => {
        const hit = this.events.slice(from).find(pred);
        if (hit) {
          cleanup();
          resolvePromise(hit);
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          cleanup();
          reject(new Error(`Godot exited:\n${this.output.slice(-3000)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for a Godot event; output:\n${this.output.slice(-3000)}`));
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Sends one command to the runner; resolves with its `done` event. */
  command(op: string, args: Record<string, unknown> = {}): Promise<GodotEvent> {
    const id = ++this.nextId;
    const from = this.events.length;
    appendFileSync(this.commands, JSON.stringify({ id, op, ...args }) + '\n');
    return this.waitFor((e) => e.event === 'done' && e.id === id, 15_000, from);
  }

  async hash(): Promise<string> {
    return (await this.command('hash')).hash as string;
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGTERM');
      await this.exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
