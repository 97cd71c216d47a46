// The preload bridge: one method per control capability on window.vibesync, each bound to its own
// channel. ipcRenderer itself is never exposed, and there is no generic invoke.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { UPDATES_CHANNEL, controlChannel, type ControlBridge, type UpdateBatch } from '../../shared/ipc/bridge.js';
import type { ControlMethod, PanelUpdate } from '../../shared/ipc/index.js';

const call = (method: ControlMethod) => (input: unknown) => ipcRenderer.invoke(controlChannel(method), input);

const bridge: ControlBridge = {
  kind: 'electron',
  getState: call('getState'),
  approve: call('approve'),
  reject: call('reject'),
  emergencyUnlock: call('emergencyUnlock'),
  resetToken: call('resetToken'),
  resetBreaker: call('resetBreaker'),
  forceResync: call('forceResync'),
  requestResnapshot: call('requestResnapshot'),
  setTrustThreshold: call('setTrustThreshold'),
  queryAudit: call('queryAudit'),
  onUpdate(listener: (updates: PanelUpdate[], serverNow?: number) => void) {
    const handler = (_event: IpcRendererEvent, batch: UpdateBatch) => listener(batch.updates, batch.serverNow);
    ipcRenderer.on(UPDATES_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(UPDATES_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('vibesync', bridge);
