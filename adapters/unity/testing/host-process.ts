// The C# headless host (vibesync-unity-host.exe under Mono) as a peer the test drives: line
// commands on stdin, JSON events on stdout that the test waits on.
import { spawn, type ChildProcess } from 'node:child_process';

export interface HostEvent {
  event: string;
  [k: string]: unknown;
}

export interface HostState extends HostEvent {
  hash: string;
  objects: number;
  gen: number;
  live: boolean;
  committed: number;
  rolledBack: number;
  purged: number;
  open: number;
  unacked: number;
  errors: string[];
}

export class UnityHost {
  readonly events: HostEvent[] = [];
  output = '';
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();
  /** Resolves when the process has exited (by itself, by `stop`, or by a signal). */
  readonly exited: Promise<void>;
  private hasExited = false;

  constructor(exe: string, env: Record<string, string>) {
    this.child = spawn('mono', ['--debug', exe], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = '';
    this.child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        this.output += line + '\n';
        if (line.startsWith('{')) this.events.push(JSON.parse(line) as HostEvent);
      }
      for (const w of [...this.waiters]) w();
    });
    this.child.stderr!.on('data', (d: Buffer) => {
      this.output += d.toString();
    });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', () => {
        this.hasExited = true;
        for (const w of [...this.waiters]) w();
        resolve();
      }),
    );
  }

  /** The first event from index `from` on that matches; rejects with the host's output after `ms`. */
  waitFor(pred: (e: HostEvent) => boolean, from = 0, ms = 15_000): Promise<HostEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.events.slice(from).find(pred);
        if (hit) {
          done();
          resolve(hit);
        } else if (this.hasExited) {
          done();
          reject(new Error(`host exited ${this.child.exitCode}:\n${this.output.slice(-3000)}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`host: no matching event within ${ms} ms; output:\n${this.output.slice(-3000)}`));
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Sends one command and resolves with the event it answers with (rejects after `ms`). */
  async command(
    line: string,
    answer = (e: HostEvent) => e.event === 'ok' || e.event === 'error' || e.event === 'sent',
    ms = 15_000,
  ): Promise<HostEvent> {
    const from = this.events.length;
    this.child.stdin!.write(line + '\n');
    const e = await this.waitFor(answer, from, ms);
    if (e.event === 'error') throw new Error(`host: ${String(e.message)}`);
    return e;
  }

  state(): Promise<HostState> {
    return this.command('state', (e) => e.event === 'state') as Promise<HostState>;
  }

  /** Polls the host's state until `pred` holds. */
  async until(pred: (s: HostState) => boolean, what: string, ms = 15_000): Promise<HostState> {
    const end = Date.now() + ms;
    for (;;) {
      const s = await this.state();
      if (pred(s)) return s;
      if (Date.now() > end) throw new Error(`host: ${what} not reached within ${ms} ms; last state ${JSON.stringify(s)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    if (this.hasExited) return;
    this.child.stdin!.write('stop\n');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
  }
}
