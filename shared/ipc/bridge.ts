// The Electron preload bridge, derived from the control contract: one IPC channel and one bridge
// method per method of CONTROL_METHODS (methods.ts; never a generic invoke), replies as ControlReply
// so errors stay typed across the context boundary. Kept free of zod so the sandboxed preload bundle stays tiny.
import type { ControlInput, ControlMethod, ControlReply } from './contract.js';
import type { PanelUpdate } from './view.js';

export const controlChannel = (method: ControlMethod) => `vibesync:control:${method}` as const;
export const UPDATES_CHANNEL = 'vibesync:updates';
/** What travels on UPDATES_CHANNEL: a batch, stamped with the orchestrator's clock when sent. */
export interface UpdateBatch {
  updates: PanelUpdate[];
  serverNow: number;
}

/** What `window.vibesync` holds in the Electron renderer. */
export type ControlBridge = { [M in ControlMethod]: (input: ControlInput<M>) => Promise<ControlReply<M>> } & {
  onUpdate(listener: (updates: PanelUpdate[], serverNow?: number) => void): () => void;
  readonly kind: 'electron';
};
