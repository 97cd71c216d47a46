// Wires a ControlApi to the store: snapshot on (re)connect, update batches after, and (browser
// view only) every reading of the orchestrator's clock into the clock estimate. The Electron
// window shares the orchestrator's process and clock: its offset stays 0.
import type { ControlApi } from '../../../shared/ipc/index.js';
import { usePanel, type ServerTimeSample } from '../store/index.js';
import { applySnapshot, applyUpdates } from '../store/mirror.js';
import { describeError } from './control-error.js';
import { electronApi } from './electron-api.js';
import { connectPanelSocket, panelSocketUrl, type SocketLike } from './ws-client.js';

const observeServerTime = (sample: ServerTimeSample) => usePanel.getState().observeServerTime(sample);

/** Takes a fresh snapshot; used on every (re)connection. */
export async function refreshSnapshot(api: ControlApi): Promise<void> {
  try {
    applySnapshot(await api.getState({}));
    usePanel.getState().setConnection({ status: 'live', error: null });
  } catch (e) {
    usePanel.getState().setConnection({ status: 'refused', error: describeError(e) });
  }
}

export function attachApi(api: ControlApi, transport: 'electron' | 'browser'): () => void {
  const store = usePanel.getState();
  store.setApi(api);
  store.setConnection({ transport });
  const sample = transport === 'browser';
  return api.onUpdate((updates, serverNow) => {
    if (sample && serverNow !== undefined) observeServerTime({ serverNow, receivedAt: Date.now() });
    applyUpdates(updates);
  });
}

export function connectElectron(): () => void {
  const bridge = window.vibesync;
  if (!bridge) throw new Error('no preload bridge');
  const api = electronApi(bridge);
  const detach = attachApi(api, 'electron');
  usePanel.getState().setConnection({ status: 'connecting' });
  void refreshSnapshot(api);
  return detach;
}

/** `openSocket` is for tests (a scripted server); the browser's WebSocket otherwise. */
export function connectBrowser(token: string, openSocket?: (url: string) => SocketLike): () => void {
  const set = usePanel.getState().setConnection;
  const client = connectPanelSocket(
    panelSocketUrl(),
    token,
    {
      onStatus: (status, detail) => set(status === 'live' ? { error: null } : { status, error: detail ?? null }),
      onWelcome: () => void refreshSnapshot(client.api),
      onServerTime: observeServerTime,
    },
    openSocket,
  );
  const detach = attachApi(client.api, 'browser');
  return () => {
    detach();
    client.close();
  };
}
