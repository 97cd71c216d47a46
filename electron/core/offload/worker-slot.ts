// One worker thread, started on first use and replaced if it dies, with each reply matched to its
// request by id. A worker that dies answers every request it held with INTERNAL; the next request
// starts a new one. Shared by the frame decoder and the blob digest pool.
import { Worker } from 'node:worker_threads';
import { VibeSyncError } from '../../../shared/protocol/index.js';

type Waiting<Reply> = { resolve: (r: Reply) => void; reject: (e: Error) => void };

export class WorkerSlot<Reply extends { id: number }> {
  private worker: Worker | null = null;
  private readonly waiting = new Map<number, Waiting<Reply>>();
  private closed = false;
  /** Workers started so far: a run of messages that must reach one worker compares it. */
  generation = 0;

  /** `what` names the worker in the error its death gives ("the frame decoder"). */
  constructor(
    private readonly url: URL,
    private readonly what: string,
  ) {}

  /** Posts `msg` and resolves with the reply whose id is `id`. */
  call(id: number, msg: unknown, transfer: ArrayBuffer[] = []): Promise<Reply> {
    if (this.closed) return Promise.reject(new VibeSyncError('INTERNAL', 'the orchestrator is shutting down'));
    const worker = this.ensure();
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      send(worker, msg, transfer);
    });
  }

  /** Posts `msg`, starting a worker if none runs; returns the generation of the worker it reached. */
  post(msg: unknown, transfer: ArrayBuffer[] = []): number {
    if (this.closed) throw new VibeSyncError('INTERNAL', 'the orchestrator is shutting down');
    send(this.ensure(), msg, transfer);
    return this.generation;
  }

  /** Whether the worker of `generation` still runs. */
  running(generation: number): boolean {
    return this.worker !== null && this.generation === generation;
  }

  /** Posts `msg` only to the worker of `generation`, if it still runs (a message a new worker would not understand). */
  postTo(generation: number, msg: unknown): void {
    if (this.running(generation)) this.worker!.postMessage(msg);
  }

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.url);
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const w = this.waiting.get(reply.id);
      if (!w) return;
      this.waiting.delete(reply.id);
      w.resolve(reply);
    });
    const fail = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.rejectAll(`${this.what} stopped (${why})`);
    };
    worker.on('error', (e) => fail(e.message));
    worker.on('exit', (code) => fail(`exit ${code}`));
    this.worker = worker;
    this.generation++;
    return worker;
  }

  private rejectAll(reason: string) {
    const error = new VibeSyncError('INTERNAL', reason);
    for (const w of this.waiting.values()) w.reject(error);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    this.rejectAll('the orchestrator is shutting down');
    if (w) await w.terminate();
  }
}

/** postMessage; memory Node will not hand over (a pooled allocation) is cloned instead of moved. */
function send(worker: Worker, msg: unknown, transfer: ArrayBuffer[]) {
  try {
    worker.postMessage(msg, transfer);
  } catch (e) {
    if (transfer.length === 0) throw e;
    worker.postMessage(msg);
  }
}
