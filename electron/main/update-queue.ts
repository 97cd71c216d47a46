// Update batches for one renderer: queued while its page loads (capped — past the cap the
// renderer's own snapshot on load makes them redundant, so they are dropped), delivered in order
// once it is ready, never sent once it is destroyed. Electron-free, so it is tested under Node.
import type { PanelUpdate } from '../../shared/ipc/index.js';

export interface UpdateQueue {
  push(updates: PanelUpdate[]): void;
  loaded(): void;
  loading(): void;
  readonly queued: number;
}

export function createUpdateQueue(deliver: (u: PanelUpdate[]) => void, isDestroyed: () => boolean, maxQueued = 500): UpdateQueue {
  let ready = false;
  let queue: PanelUpdate[][] = [];
  return {
    push(updates) {
      if (isDestroyed()) {
        queue = [];
        return;
      }
      if (ready) deliver(updates);
      else if (queue.length < maxQueued) queue.push(updates);
      else queue = [];
    },
    loaded() {
      ready = true;
      const q = queue;
      queue = [];
      for (const u of q) if (!isDestroyed()) deliver(u);
    },
    loading() {
      ready = false;
    },
    get queued() {
      return queue.length;
    },
  };
}
