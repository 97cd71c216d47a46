// Wires a ControlApi to the store: snapshot on (re)connect, update batches after.
import type { ControlApi } from '../../../shared/ipc/index.js';
import { usePanel } from '../store/index.js';
import { applySnapshot, applyUpdates } from '../store/mirror.js';
import { describeError } from './control-error.js';
import { electronApi } from './electron-api.js';
import { connectPanelSocket, panelSocketUrl } from './ws-client.js';

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
  return api.onUpdate(applyUpdates);
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

export function connectBrowser(token: string): () => void {
  const set = usePanel.getState().setConnection;
  const client = connectPanelSocket(panelSocketUrl(), token, {
    onStatus: (status, detail) => set(status === 'live' ? { error: null } : { status, error: detail ?? null }),
    onWelcome: () => void refreshSnapshot(client.api),
  });
  const detach = attachApi(client.api, 'browser');
  return () => { detach(); client.close(); };
}
