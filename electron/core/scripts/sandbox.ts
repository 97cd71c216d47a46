// The orchestrator's script sandbox: Pyodide in one child process, started lazily and kept warm,
// running one script at a time. Every run is checked against the allow-list policy first (the same
// check as the scanner), then executed with a time limit the host enforces by killing the process,
// which stops even a script stuck inside one C call; a killed or exhausted interpreter is replaced.
// The process makes no code from strings and runs under Node's permission model with an empty
// environment (see forkHost): code that got from Python to JS there reads no file but Pyodide's,
// writes none, starts nothing, sees no secret. On Linux it also runs in a network namespace of its own
// (networkIsolation): no interface, so no socket reaches anything, loopback included.
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Material, SceneObject } from '../../../shared/protocol/index.js';
import { ALLOWED_ATTRIBUTES, BUILTINS, DUNDER_METHODS, MODULES, RESERVED_ATTRIBUTE, SCRIPT_LIMITS, type ScriptLimits } from './language.js';
import { checkPolicy } from './policy.js';
import type { ScanFinding } from '../../../shared/ipc/index.js';

export type SandboxFailure =
  'POLICY_REFUSED' | 'TIME_LIMIT' | 'MEMORY_LIMIT' | 'STEP_LIMIT' | 'OUTPUT_LIMIT' | 'CHANGE_LIMIT' | 'SCRIPT_ERROR' | 'SANDBOX_FAILED';

export interface SceneData {
  objects: readonly SceneObject[];
  materials: readonly Material[];
}

/** What a run changed: each touched id's final value (null = deleted), plus what it printed. */
export type SandboxResult =
  | {
      ok: true;
      objects: Record<string, SceneObject | null>;
      materials: Record<string, Material | null>;
      output: string;
      steps: number;
    }
  | { ok: false; code: SandboxFailure; message: string; output: string; findings?: ScanFinding[] };

type Reply = { type: 'ready' } | { type: 'result'; id: number; reply: SandboxResult; spent?: boolean; heapBytes: number };

/** Recycle an interpreter whose heap grew past this share of its cap: WebAssembly memory never shrinks. */
const RECYCLE_SHARE = 0.75;

/** The host script, the Python prelude it imports (inlined in the bundle, so absent there) and Pyodide's
 * package directory: the only files the sandbox process may read. Real paths, so no symlink on the way
 * needs a grant of its own. Beside this module in the sources; beside main.cjs in dist/electron. */
function hostFiles() {
  const host = realpathSync(fileURLToPath(new URL('./sandbox-worker.mjs', import.meta.url)));
  const prelude = fileURLToPath(new URL('./sandbox-prelude.mjs', import.meta.url));
  const pyodideDir = realpathSync(dirname(createRequire(import.meta.url).resolve('pyodide/package.json')));
  return { host, pyodideDir, reads: [pyodideDir, host, ...(existsSync(prelude) ? [realpathSync(prelude)] : [])] };
}

/** Node 20 names the permission model --experimental-permission; newer Node (and Electron's) --permission. */
const PERMISSION = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

export interface NetworkIsolation {
  /** true: the sandbox process runs in a network namespace of its own, with no interface up */
  isolated: boolean;
  /** the wrapper: unshare's absolute path and its arguments before the runtime (empty when not isolated) */
  wrapper: string[];
  /** why not, when not isolated */
  why?: string;
}

let isolation: NetworkIsolation | undefined;

/** Whether util-linux `unshare` can give a process a network namespace here: as root directly (-n),
 * otherwise inside a user namespace of its own (-r -n), where the kernel allows unprivileged ones.
 * Probed once, by running `unshare … true`. Node 20's permission model has no scope for sockets; this
 * is the OS's. Elsewhere (macOS, Windows, a container that forbids namespaces) the sandbox runs without
 * it, and the orchestrator says so in its log at start-up (docs/security.md). */
export function networkIsolation(): NetworkIsolation {
  if (isolation) return isolation;
  if (process.platform !== 'linux')
    return (isolation = { isolated: false, wrapper: [], why: `no network namespaces on ${process.platform}` });
  // an absolute path: the sandbox's environment is empty, so no PATH would find it there
  const unshare = (process.env.PATH ?? '/usr/bin:/bin')
    .split(delimiter)
    .map((d) => join(d, 'unshare'))
    .find((p) => existsSync(p));
  if (!unshare) return (isolation = { isolated: false, wrapper: [], why: 'unshare (util-linux) is not installed' });
  const flags = process.getuid?.() === 0 ? ['-n'] : ['-r', '-n'];
  const probe = spawnSync(unshare, [...flags, 'true'], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5_000, encoding: 'utf8' });
  if (probe.status === 0) return (isolation = { isolated: true, wrapper: [unshare, ...flags, '--'] });
  const why = `${unshare} ${flags.join(' ')} failed: ${probe.error?.message ?? (probe.stderr.trim() || `exit ${probe.status}`)}`;
  return (isolation = { isolated: false, wrapper: [], why });
}

/** The sandbox's process: no code generation from strings (eval, new Function), Node's permission model
 * with reads limited to hostFiles() (no --allow-fs-write, --allow-child-process or --allow-worker), no
 * inherited environment (tokens, keys, the data dir's path), its own network namespace where the OS
 * gives one (networkIsolation), cwd the temp dir, a 256 MB JS heap. stdout is dropped and the last 2 KB of stderr kept for the error
 * of a process that died. Under Electron, fork runs the Electron binary as plain Node (it sets
 * ELECTRON_RUN_AS_NODE itself; through unshare it is set here). Exported for the isolation tests. */
export function forkHost(
  memoryBytes: number,
  testOnly: { allowCodeGeneration?: boolean } = {},
): ChildProcess & { stderrTail: () => string } {
  const { host, pyodideDir, reads } = hostFiles();
  const net = networkIsolation();
  // fork runs execPath with execArgv, then the module: with isolation, execPath is unshare and the
  // runtime its first argument. The IPC channel is an inherited socketpair, which no namespace cuts.
  const child = fork(host, [JSON.stringify({ memoryBytes, pyodideDir })], {
    ...(net.isolated ? { execPath: net.wrapper[0] } : {}),
    execArgv: [
      ...(net.isolated ? [...net.wrapper.slice(1), process.execPath] : []),
      PERMISSION,
      ...reads.map((path) => `--allow-fs-read=${path}`),
      '--max-old-space-size=256',
      // no eval / new Function: a JS proxy's constructor no longer turns a string into code. The
      // isolation test turns it back on, only to reach JS and prove the permission model on its own.
      ...(testOnly.allowCodeGeneration ? [] : ['--disallow-code-generation-from-strings']),
      '--disable-warning=ExperimentalWarning',
    ],
    // Electron's fork sets ELECTRON_RUN_AS_NODE for its own binary; through unshare it must be said
    env: net.isolated && process.versions.electron ? { ELECTRON_RUN_AS_NODE: '1' } : {},
    cwd: tmpdir(),
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let tail = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (tail = (tail + d).slice(-2000)));
  return Object.assign(child, { stderrTail: () => tail.trim() });
}

export class ScriptSandbox {
  readonly limits: ScriptLimits;
  private child: ReturnType<typeof forkHost> | null = null;
  private ready: Promise<void> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 0;
  private pending: { id: number; resolve: (r: SandboxResult) => void } | null = null;
  /** how many interpreters were started (a killed one is replaced): tests and the bench read it */
  started = 0;

  constructor(limits: Partial<ScriptLimits> = {}) {
    this.limits = { ...SCRIPT_LIMITS, ...limits };
  }

  /** Starts the interpreter now (cold start), instead of on the first run. */
  warm(): Promise<void> {
    if (this.ready) return this.ready;
    let child: ReturnType<typeof forkHost>;
    try {
      child = forkHost(this.limits.memoryMb * 1024 * 1024);
    } catch (e) {
      return Promise.reject(e as Error); // pyodide or the host script not found: nothing was started
    }
    this.child = child;
    this.started++;
    this.ready = new Promise<void>((resolve, reject) => {
      child.on('message', (m: Reply) => {
        if (m.type === 'ready') return resolve();
        if (this.pending?.id === m.id) {
          const { resolve: done } = this.pending;
          this.pending = null;
          const spent = m.spent || (!m.reply.ok && (m.reply.code === 'MEMORY_LIMIT' || m.reply.code === 'SANDBOX_FAILED'));
          if (spent || m.heapBytes > this.limits.memoryMb * 1024 * 1024 * RECYCLE_SHARE) this.discard(child);
          done(m.reply);
        }
      });
      child.on('error', (e) => {
        if (this.child !== child) return;
        this.discard(child);
        reject(e);
        this.settle('SANDBOX_FAILED', `the sandbox failed: ${e.message}`);
      });
      // 'close', not 'exit': by then stderr is read to its end, so the message has the host's last words
      child.on('close', (code, signal) => {
        if (this.child !== child) return;
        this.discard(child);
        const why = `the sandbox process exited (${signal ?? `code ${code}`})${child.stderrTail() ? `: ${child.stderrTail()}` : ''}`;
        reject(new Error(why));
        this.settle('SANDBOX_FAILED', why);
      });
    });
    this.ready.catch(() => {});
    return this.ready;
  }

  /** Checks `code` against the policy, then runs it once over `scene`. Runs are serialised. */
  run(code: string, scene: SceneData): Promise<SandboxResult> {
    const next = this.queue.then(() => this.runNow(code, scene));
    this.queue = next.catch(() => {});
    return next;
  }

  async close() {
    const c = this.child;
    this.discard(c);
    if (c && c.exitCode === null && c.signalCode === null) await new Promise((done) => c.once('exit', done));
  }

  private async runNow(code: string, scene: SceneData): Promise<SandboxResult> {
    const verdict = checkPolicy(code);
    if (verdict.blocked) {
      const first = verdict.findings.find((f) => f.severity === 'block')!;
      return {
        ok: false,
        code: 'POLICY_REFUSED',
        message: `line ${first.line}: ${first.message}`,
        output: '',
        findings: verdict.findings,
      };
    }
    try {
      await this.warm();
    } catch (e) {
      return { ok: false, code: 'SANDBOX_FAILED', message: `the sandbox did not start: ${(e as Error).message}`, output: '' };
    }
    const child = this.child!;
    const id = ++this.nextId;
    const { steps, outputBytes, changes, recursion } = this.limits;
    const seed = createHash('sha256').update(code).digest('hex').slice(0, 16);
    const config = {
      steps,
      outputBytes,
      changes,
      recursion,
      seed,
      builtins: BUILTINS,
      modules: MODULES,
      attributes: [...ALLOWED_ATTRIBUTES],
      reserved: RESERVED_ATTRIBUTE.source,
      dunders: [...DUNDER_METHODS],
    };
    return new Promise<SandboxResult>((resolve) => {
      const timer = setTimeout(() => {
        if (this.pending?.id !== id) return;
        this.pending = null;
        this.discard(child); // SIGKILL: stops even a script inside one long C call
        resolve({
          ok: false,
          code: 'TIME_LIMIT',
          message: `the script ran longer than ${this.limits.timeMs} ms and was stopped`,
          output: '',
        });
      }, this.limits.timeMs);
      this.pending = {
        id,
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
      };
      child.send({ id, code, scene: { objects: scene.objects, materials: scene.materials }, config }, (e) => {
        if (!e || this.child !== child) return; // a process that died is reported by its exit
        this.discard(child);
        this.settle('SANDBOX_FAILED', `the sandbox failed: ${e.message}`);
      });
    });
  }

  private settle(code: SandboxFailure, message: string) {
    const p = this.pending;
    this.pending = null;
    p?.resolve({ ok: false, code, message, output: '' });
  }

  /** Forgets an interpreter (killed, failed or grown too big) and kills its process: the next run starts a fresh one. */
  private discard(child: ChildProcess | null) {
    if (!child || this.child !== child) return;
    this.child = null;
    this.ready = null;
    child.kill('SIGKILL');
  }
}
