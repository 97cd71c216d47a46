// A snapshot decoded off the event loop (frame-worker.ts) reaches the brain without its scene: the
// scene stays parsed in the worker, and the brain sees its hashes. It asks for objects only when
// they differ from its own, or for the whole scene when it adopts it. The delivered message's
// `body.scene` is empty; `offloadedScene(body)` is the only way to its content.
import type { Scene, VibeSyncError } from '../../../shared/protocol/index.js';
import type { BlobUse } from '../blobs/refs.js';

export interface OffloadedScene {
  /** sha256 of the snapshot's canonical scene, computed in the worker from the scene it parsed */
  readonly sceneHash: string;
  /** id → objectHash / materialHash of every object and material the snapshot holds (built a slice at a time) */
  hashes(): Promise<{ objects: ReadonlyMap<string, string>; materials: ReadonlyMap<string, string> }>;
  /** the mesh blob hashes the snapshot references */
  readonly blobs: ReadonlySet<string>;
  /** every blob reference with how it is used (checked against the blobs' bytes) */
  readonly blobUses: readonly BlobUse[];
  /** what the structural check (duplicate ids, dangling references, cycles) found in the worker, or null */
  readonly structureProblem: VibeSyncError | null;
  /** These objects and materials, as sent (an id the snapshot lacks is left out). */
  pick(objectIds: readonly string[], materialIds: readonly string[]): Promise<Scene>;
  /** The whole scene (to adopt it): one plain JSON.parse on this thread, the only full copy made here. */
  all(): Promise<Scene>;
  /** The worker may forget the scene. Called once the brain is done with the message. */
  release(): void;
}

const registry = new WeakMap<object, OffloadedScene>();

export function attachOffloadedScene(body: object, scene: OffloadedScene): void {
  registry.set(body, scene);
}

/** The off-loop scene behind a snapshot body, or undefined when the body carries its scene itself. */
export function offloadedScene(body: object): OffloadedScene | undefined {
  return registry.get(body);
}
