// Where a received blob's SHA-256 is computed. `inThreadDigest` hashes on the calling thread (tests,
// tools); `DigestPool` hashes in one worker thread (digest-worker.mjs), started on first use and
// replaced if it dies, so a 100 MB blob's hashing never stalls heartbeats or the panel. A chunk is
// handed over after it has been written to disk: its memory moves to the worker without a copy
// when the chunk owns it whole, and is copied otherwise.
import { createHash } from 'node:crypto';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import { WorkerSlot } from '../offload/worker-slot.js';

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
  private readonly slot = new WorkerSlot<Reply>(WORKER_URL, 'the blob digest worker');
  private next = 1;

  readonly create: DigestFactory = () => {
    const id = this.next++;
    /** the worker holding this blob's running hash (a new worker knows none of it) */
    let generation: number | null = null;
    let failed: Error | null = null;
    /** A worker that died mid-blob lost its running hash: that blob can no longer be verified. */
    const lost = () => generation !== null && !this.slot.running(generation);
    const post = (msg: object, transfer: ArrayBuffer[] = []) => {
      if (failed) return;
      try {
        if (lost()) throw new VibeSyncError('INTERNAL', 'the blob digest worker stopped during this blob');
        generation = this.slot.post(msg, transfer);
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
      digest: async () => {
        if (generation === null) post({ op: 'update', id, bytes: new Uint8Array(0) });
        else if (lost()) failed ??= new VibeSyncError('INTERNAL', 'the blob digest worker stopped during this blob');
        if (failed) throw failed;
        // the worker holding the hash runs now; if it dies before answering, the call fails INTERNAL
        return (await this.slot.call(id, { op: 'digest', id })).hex;
      },
      drop: () => {
        if (generation !== null) this.slot.postTo(generation, { op: 'drop', id });
      },
    };
  };

  close(): Promise<void> {
    return this.slot.close();
  }
}
