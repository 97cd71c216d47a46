// Messages between frame-decoder.ts (main thread) and frame-worker.ts (its worker thread).
import type { AdapterMessage, ErrorCode, Scene } from '../../../shared/protocol/index.js';
import type { BlobUse } from '../blobs/refs.js';

/** A VibeSyncError as it crosses the thread boundary. */
export interface WireError {
  code: ErrorCode;
  reason: string;
  detail?: Record<string, unknown>;
}

export type WorkerRequest =
  | { op: 'decode'; id: number; bytes: Uint8Array }
  | { op: 'pick'; id: number; scene: number; objectIds: string[]; materialIds: string[] }
  | { op: 'all'; id: number; scene: number }
  | { op: 'release'; id: number; scene: number };

export type WorkerReply =
  | { id: number; kind: 'message'; msg: AdapterMessage }
  | { id: number; kind: 'refused'; error: WireError; ref: string | null; type: string | null }
  | {
      id: number;
      kind: 'snapshot';
      msg: AdapterMessage;
      sceneHash: string;
      /** `id\thash\n` per object, then per material (one string crosses threads as one copy, not 200k objects) */
      objectHashes: string;
      materialHashes: string;
      /** the mesh blob hashes the scene references (each must be held before the snapshot is taken) */
      blobs: string[];
      /** each blob reference with how it is used (a mesh's counts, a texture's size) */
      blobUses: BlobUse[];
      /** why the scene is not one the brain could hold (cycle, dangling reference, duplicate id), or null */
      structure: WireError | null;
    }
  | { id: number; kind: 'scene'; scene: Scene }
  | { id: number; kind: 'scene-json'; json: string }
  | { id: number; kind: 'gone' }
  | { id: number; kind: 'failed'; message: string };
