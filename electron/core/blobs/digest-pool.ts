// Where a received blob's SHA-256 is computed. `inThreadDigest` hashes on the calling thread (tests,
// tools); `DigestPool` hashes in one worker thread (digest-worker.mjs), started on first use and
// replaced if it dies, so a 100 MB blob's hashing never stalls heartbeats or the panel. A chunk is
// handed over after it has been written to disk: its memory moves to the worker without a copy
// when the chunk owns it whole, and is copied otherwise.
import { createHash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { VibeSyncError } from '../../../shared/protocol/index.js';

/** The running SHA-256 of one blob. `update` takes the chunk: the caller must not read it afterwards. */
export interface BlobDigest {
  update(chunk: Uint8Array): void;
  /** The hex digest of everything updated so far; rejects with INTERNAL if the hashing thread died. */
  digest(): Promise<string>;
  /** Forgets the blob (an aborted transfer). */
  drop(): void;
}

export type DigestFactory = () => BlobDigest;

export const inThreadDigest: DigestFactory = () => {
  const h = createHash('sha256');
  return { update: (chunk) => void h.update(chunk), digest: async () => h.digest('hex'), drop: () => undefined };
};

const WORKER_URL = new URL('./digest-worker.mjs', import.meta.url);

/** The most bytes before a chunk in its frame's memory that still let the memory move (the frame's headers). */
const MAX_HEADER_BYTES = 128;
/** Chunks smaller than this are cloned: moving their memory saves nothing. */
const MIN_MOVED_BYTES = 64 * 1024;

type Reply = { id: number; hex: string };

export class DigestPool {
  private worker: Worker | null = null;
  private next = 1;
  /** digests asked for and not answered yet */
  private readonly waiting = new Map<number, { resolve: (hex: string) => void; reject: (e: Error) => void }>();
  /** blobs with updates in the current worker (a new worker knows none of them) */
  private readonly live = new Map<number, Worker>();
  private closed = false;

  readonly create: DigestFactory = () => {
    const id = this.next++;
    let failed: Error | null = null;
    const post = (msg: object, transfer: ArrayBuffer[] = []) => {
      if (failed) return;
      try {
        const w = this.ensure();
        const had = this.live.get(id);
        // A worker that died mid-blob lost its running hash: that blob can no longer be verified.
        if (had && had !== w) throw new VibeSyncError('INTERNAL', 'the blob digest worker stopped during this blob');
        this.live.set(id, w);
        try {
          w.postMessage(msg, transfer);
        } catch (e) {
          // memory Node will not hand over (a pooled allocation): cloned instead
          if (transfer.length === 0) throw e;
          w.postMessage(msg);
        }
      } catch (e) {
        failed = e instanceof Error ? e : new Error(String(e));
      }
    };
    return {
      update: (chunk) => {
        const ab = chunk.buffer;
        // A received frame's memory holds its headers (already read), then the chunk to its very end.
        const own =
          ab instanceof ArrayBuffer && chunk.byteOffset <= MAX_HEADER_BYTES && chunk.byteOffset + chunk.byteLength === ab.byteLength;
        const bytes = own || chunk.byteLength < MIN_MOVED_BYTES ? chunk : chunk.slice();
        post({ op: 'update', id, bytes }, own ? [ab] : bytes !== chunk ? [bytes.buffer as ArrayBuffer] : []);
      },
      digest: () => {
        if (!this.live.has(id)) post({ op: 'update', id, bytes: new Uint8Array(0) });
        post({ op: 'digest', id });
        this.live.delete(id);
        if (failed) return Promise.reject(failed);
        return new Promise<string>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
      },
      drop: () => {
        if (this.live.get(id) === this.worker) this.worker?.postMessage({ op: 'drop', id });
        this.live.delete(id);
      },
    };
  };

  private ensure(): Worker {
    if (this.closed) throw new VibeSyncError('INTERNAL', 'the orchestrator is shutting down');
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_URL);
    worker.unref();
    worker.on('message', (r: Reply) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      w?.resolve(r.hex);
    });
    const fail = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = null;
      const error = new VibeSyncError('INTERNAL', `the blob digest worker stopped (${why})`);
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
    };
    worker.on('error', (e) => fail(e.message));
    worker.on('exit', (code) => fail(`exit ${code}`));
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    for (const p of this.waiting.values()) p.reject(new VibeSyncError('INTERNAL', 'the orchestrator is shutting down'));
    this.waiting.clear();
    this.live.clear();
    if (w) await w.terminate();
  }
}
