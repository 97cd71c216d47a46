// Runs in a worker thread (frame-decoder.ts starts it): strict JSON, the wire schema, the range and
// structure checks and every hash of a large frame, so none of it holds the orchestrator's event
// loop. A snapshot's parsed scene stays here until the main thread releases it; the main thread
// gets its hashes and, on request, the few objects it needs.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { makeHashing } from '../../../shared/canonical/index.js';
import { VibeSyncError, type Scene } from '../../../shared/protocol/index.js';
import { sceneBlobUses, sceneBlobs } from '../blobs/refs.js';
import { checkSceneStructure } from '../brain/scene-model.js';
import { decodeFrame } from '../transport/frame.js';
import type { WireError, WorkerReply, WorkerRequest } from './frame-protocol.js';

const hashing = makeHashing((text) => createHash('sha256').update(text).digest('hex'));
/** Parsed snapshots the main thread has not released yet (oldest first; a bound in case one is never released). */
const held = new Map<number, Scene>();
const MAX_HELD = 4;

const wire = (e: VibeSyncError): WireError => ({ code: e.code, reason: e.reason, ...(e.detail ? { detail: e.detail } : {}) });

function decode(id: number, text: string): WorkerReply {
  const frame = decodeFrame(text);
  if (!frame.ok) return { id, kind: 'refused', error: wire(frame.error), ref: frame.ref, type: frame.type };
  const msg = frame.msg;
  if (msg.type !== 'snapshot') return { id, kind: 'message', msg };
  const scene = msg.body.scene;
  // A structural problem is the brain's to refuse (after its hash check), so it travels as data.
  let structure: WireError | null = null;
  try {
    checkSceneStructure(scene);
  } catch (e) {
    if (!(e instanceof VibeSyncError)) throw e;
    structure = wire(e);
  }
  // Ids cannot hold a tab or a newline (the wire schema), so these lines split back unambiguously.
  const objectHashes = scene.objects.map((o) => `${o.id}\t${hashing.objectHash(o)}\n`).join('');
  const materialHashes = scene.materials.map((m) => `${m.id}\t${hashing.materialHash(m)}\n`).join('');
  held.set(id, scene);
  if (held.size > MAX_HELD) held.delete(held.keys().next().value!);
  return {
    id,
    kind: 'snapshot',
    msg: { ...msg, body: { ...msg.body, scene: { objects: [], materials: [] } } },
    sceneHash: hashing.sceneHash(scene),
    objectHashes,
    materialHashes,
    structure,
    blobs: [...sceneBlobs(scene)],
    blobUses: sceneBlobUses(scene),
  };
}

function handle(req: WorkerRequest): WorkerReply | null {
  switch (req.op) {
    case 'decode':
      return decode(req.id, Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength).toString('utf8'));
    case 'pick': {
      const scene = held.get(req.scene);
      if (!scene) return { id: req.id, kind: 'gone' };
      const o = new Set(req.objectIds);
      const m = new Set(req.materialIds);
      return {
        id: req.id,
        kind: 'scene',
        scene: { objects: scene.objects.filter((x) => o.has(x.id)), materials: scene.materials.filter((x) => m.has(x.id)) },
      };
    }
    case 'all': {
      const scene = held.get(req.scene);
      return scene ? { id: req.id, kind: 'scene-json', json: JSON.stringify(scene) } : { id: req.id, kind: 'gone' };
    }
    case 'release':
      held.delete(req.scene);
      return null;
  }
}

parentPort!.on('message', (req: WorkerRequest) => {
  let reply: WorkerReply | null;
  try {
    reply = handle(req);
  } catch (e) {
    reply = { id: req.id, kind: 'failed', message: e instanceof Error ? e.message : String(e) };
  }
  if (reply) parentPort!.postMessage(reply);
});
