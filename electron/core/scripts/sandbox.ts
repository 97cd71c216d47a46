// The orchestrator's script sandbox: Pyodide in one worker thread, started lazily and kept warm,
// running one script at a time. Every run is checked against the allow-list policy first (the same
// check as the scanner), then executed with a time limit the host enforces by terminating the thread,
// which stops even a script stuck inside one C call; a killed or exhausted worker is replaced.
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
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

const WORKER_URL = new URL('./sandbox-worker.mjs', import.meta.url);

/** Recycle a worker whose heap grew past this share of its cap: WebAssembly memory never shrinks. */
const RECYCLE_SHARE = 0.75;

export class ScriptSandbox {
  readonly limits: ScriptLimits;
  private worker: Worker | null = null;
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
    const worker = new Worker(WORKER_URL, {
      execArgv: [],
      workerData: { memoryBytes: this.limits.memoryMb * 1024 * 1024 },
      resourceLimits: { maxOldGenerationSizeMb: 256, stackSizeMb: 8 },
      stdout: true,
      stderr: true,
    });
    this.worker = worker;
    this.started++;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: Reply) => {
        if (m.type === 'ready') return resolve();
        if (this.pending?.id === m.id) {
          const { resolve: done } = this.pending;
          this.pending = null;
          const spent = m.spent || (!m.reply.ok && (m.reply.code === 'MEMORY_LIMIT' || m.reply.code === 'SANDBOX_FAILED'));
          if (spent || m.heapBytes > this.limits.memoryMb * 1024 * 1024 * RECYCLE_SHARE) this.discard(worker);
          done(m.reply);
        }
      });
      worker.on('error', (e) => {
        if (this.worker !== worker) return;
        this.discard(worker);
        reject(e);
        this.settle('SANDBOX_FAILED', `the sandbox failed: ${e.message}`);
      });
      worker.on('exit', () => {
        if (this.worker !== worker) return;
        this.discard(worker);
        reject(new Error('the sandbox worker exited while starting'));
        this.settle('SANDBOX_FAILED', 'the sandbox worker exited');
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
    const w = this.worker;
    this.discard(w);
    await w?.terminate();
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
    const worker = this.worker!;
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
        this.discard(worker);
        void worker.terminate();
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
      worker.postMessage({ id, code, scene: { objects: scene.objects, materials: scene.materials }, config });
    });
  }

  private settle(code: SandboxFailure, message: string) {
    const p = this.pending;
    this.pending = null;
    p?.resolve({ ok: false, code, message, output: '' });
  }

  /** Forgets a worker (killed, failed or grown too big): the next run starts a fresh one. */
  private discard(worker: Worker | null) {
    if (!worker || this.worker !== worker) return;
    this.worker = null;
    this.ready = null;
    void worker.terminate();
  }
}
