// Decodes large frames in a worker thread so the event loop keeps answering heartbeats, /healthz
// and the panel while a 100 MB snapshot is parsed, validated and hashed (frame-worker.ts). One
// worker, started on first use and replaced if it dies; requests are answered in order.
import { VibeSyncError, type Scene } from '../../../shared/protocol/index.js';
import type { FrameResult } from '../transport/frame.js';
import type { WireError, WorkerReply, WorkerRequest } from './frame-protocol.js';
import { attachOffloadedScene, type OffloadedScene } from './offloaded-scene.js';
import { WorkerSlot } from './worker-slot.js';

/** Frames at least this big are decoded off the event loop (default; `offloadBytes` in the server options). */
export const DEFAULT_OFFLOAD_BYTES = 1024 * 1024;

const fromWire = (e: WireError) => new VibeSyncError(e.code, e.reason, e.detail);

/** Lines between two yields to the event loop while a large snapshot's hash list is read. */
const LINES_PER_SLICE = 20_000;

/** `id\thash\n` lines into a map, yielding to the event loop between slices so heartbeats and the panel go on. */
async function hashMap(lines: string): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  let at = 0;
  let n = 0;
  while (at < lines.length) {
    const tab = lines.indexOf('\t', at);
    const end = lines.indexOf('\n', tab);
    map.set(lines.slice(at, tab), lines.slice(tab + 1, end));
    at = end + 1;
    if (++n % LINES_PER_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
  }
  return map;
}

/** Where the worker's code is: beside a bundle (dist/electron/*.cjs), or the TypeScript source run through tsx. */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.cjs') ? new URL('./frame-worker.cjs', here) : new URL('./frame-worker-entry.mjs', here);
}

export class FrameDecoder {
  // Every frame a dead worker held is answered: INTERNAL for its sender, and the next frame starts a new worker.
  private readonly slot = new WorkerSlot<WorkerReply>(workerUrl(), 'the frame decoder');
  private next = 1;

  /** Decodes one frame as decodeFrame would; a snapshot comes back with its scene held in the worker. */
  async decode(bytes: Buffer): Promise<FrameResult> {
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    const id = this.next++;
    const reply = await this.call({ op: 'decode', id, bytes: copy }, [copy.buffer]);
    switch (reply.kind) {
      case 'message':
        return { ok: true, msg: reply.msg };
      case 'refused':
        return { ok: false, error: fromWire(reply.error), ref: reply.ref, type: reply.type };
      case 'snapshot': {
        if (reply.msg.type !== 'snapshot') throw new Error('frame worker: snapshot reply without a snapshot');
        attachOffloadedScene(reply.msg.body, this.handle(id, reply));
        return { ok: true, msg: reply.msg };
      }
      default:
        throw new VibeSyncError('INTERNAL', `the frame decoder failed: ${reply.kind === 'failed' ? reply.message : reply.kind}`);
    }
  }

  private handle(scene: number, reply: Extract<WorkerReply, { kind: 'snapshot' }>): OffloadedScene {
    let released = false;
    const fetch = async (req: WorkerRequest): Promise<WorkerReply> => {
      if (released) throw new VibeSyncError('INTERNAL', 'the snapshot was already released');
      return this.call(req);
    };
    const structure = reply.structure;
    return {
      sceneHash: reply.sceneHash,
      hashes: async () => ({ objects: await hashMap(reply.objectHashes), materials: await hashMap(reply.materialHashes) }),
      structureProblem: structure ? fromWire(structure) : null,
      blobs: new Set(reply.blobs),
      blobUses: reply.blobUses,
      pick: async (objectIds, materialIds) => {
        const r = await fetch({ op: 'pick', id: this.next++, scene, objectIds: [...objectIds], materialIds: [...materialIds] });
        if (r.kind !== 'scene') throw new VibeSyncError('INTERNAL', 'the snapshot is no longer held');
        return r.scene;
      },
      all: async () => {
        const r = await fetch({ op: 'all', id: this.next++, scene });
        if (r.kind !== 'scene-json') throw new VibeSyncError('INTERNAL', 'the snapshot is no longer held');
        return JSON.parse(r.json) as Scene;
      },
      release: () => {
        if (released) return;
        released = true;
        this.slot.postTo(this.slot.generation, { op: 'release', id: this.next++, scene } satisfies WorkerRequest);
      },
    };
  }

  private call(req: WorkerRequest, transfer: ArrayBuffer[] = []): Promise<WorkerReply> {
    return this.slot.call(req.id, req, transfer);
  }

  close(): Promise<void> {
    return this.slot.close();
  }
}
