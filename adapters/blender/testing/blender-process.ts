// A headless Blender running the add-on through tests/driver.py: its adapter events as a stream
// the test can wait on, and Python the test runs inside Blender on the main thread.
import { spawn, type ChildProcess } from 'node:child_process';
import { BLENDER, REPO_ROOT } from './python.js';

export interface BlenderEvent {
  event: string;
  [k: string]: unknown;
}

export class BlenderProcess {
  readonly events: BlenderEvent[] = [];
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();
  private done = new Set<string>();
  private nextId = 0;
  output = '';
  exited: Promise<number | null>;

  constructor(env: Record<string, string>, blendFile?: string) {
    const args = ['-b', '--factory-startup', '-noaudio', ...(blendFile ? [blendFile] : []), '--python', 'adapters/blender/tests/driver.py'];
    this.child = spawn(BLENDER, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = '';
    const onData = (d: Buffer) => {
      this.output += d.toString();
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('VIBESYNC_EVENT ')) this.events.push(JSON.parse(line.slice(15)) as BlenderEvent);
        else if (line.startsWith('VIBESYNC_DONE ')) this.done.add(line.slice(14).trim());
      }
      for (const w of [...this.waiters]) w();
    };
    this.child.stdout!.on('data', onData);
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

  /** Resolves with the first event (from `from` on) matching `pred`; rejects after `ms`. */
  waitFor(pred: (e: BlenderEvent) => boolean, ms = 15_000, from = 0): Promise<BlenderEvent> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.events.slice(from).find(pred);
        if (hit) {
          cleanup();
          resolve(hit);
          return;
        }
        if (this.child.exitCode !== null) {
          cleanup();
          reject(new Error(`Blender exited:\n${this.output.slice(-3000)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for an event; output:\n${this.output.slice(-3000)}`));
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Runs Python inside Blender (globals: bpy, adapter, export, emit); resolves when it has run. */
  exec(code: string, ms = 15_000): Promise<void> {
    const id = String(++this.nextId);
    this.child.stdin!.write(JSON.stringify({ id, exec: code }) + '\n');
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.done.has(id)) {
          cleanup();
          resolve();
        } else if (this.child.exitCode !== null) {
          cleanup();
          reject(new Error(`Blender exited:\n${this.output.slice(-3000)}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error('exec timed out'));
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Evaluates a Python expression inside Blender and returns its JSON value. */
  async eval<T>(expr: string): Promise<T> {
    const tag = `eval-${++this.nextId}`;
    await this.exec(`emit({"event": "${tag}", "value": ${expr}})`);
    return (this.events.find((e) => e.event === tag) as BlenderEvent).value as T;
  }

  /** The VibeSync id the add-on gave a datablock, once it has one (ids are given on the add-on's next tick, not at creation). */
  async idOf(collection: 'objects' | 'materials', name: string, ms = 10_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const id = await this.eval<string | null>(`bpy.data.${collection}[${JSON.stringify(name)}].get("vibesync_id")`);
      if (id) return id;
      if (Date.now() > deadline) throw new Error(`${collection}["${name}"] got no vibesync_id within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.stdin!.end();
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(t);
  }

  kill(signal: NodeJS.Signals = 'SIGKILL') {
    this.child.kill(signal);
  }
}
