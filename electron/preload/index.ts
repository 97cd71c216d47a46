// The preload bridge: one method per control capability on window.vibesync (one for each of
// CONTROL_METHODS), each bound to its own channel. ipcRenderer itself is never exposed, and there
// is no generic invoke.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { UPDATES_CHANNEL, controlChannel, type ControlBridge, type UpdateBatch } from '../../shared/ipc/bridge.js';
import type { PanelUpdate } from '../../shared/ipc/index.js';
import { CONTROL_METHODS, type ControlMethod } from '../../shared/ipc/methods.js';

const call = (method: ControlMethod) => (input: unknown) => ipcRenderer.invoke(controlChannel(method), input);
const methods = Object.fromEntries(CONTROL_METHODS.map((method) => [method, call(method)])) as Pick<ControlBridge, ControlMethod>;

const bridge: ControlBridge = {
  kind: 'electron',
  ...methods,
  onUpdate(listener: (updates: PanelUpdate[], serverNow?: number) => void) {
    const handler = (_event: IpcRendererEvent, batch: UpdateBatch) => listener(batch.updates, batch.serverNow);
    ipcRenderer.on(UPDATES_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(UPDATES_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('vibesync', bridge);
