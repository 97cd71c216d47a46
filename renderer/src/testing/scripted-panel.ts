// Connects the real browser-view client (connectBrowser → ws-client → store) to a scripted /panel
// server that answers the snapshot with `state`, stamped with the orchestrator's clock `serverNow`.
import { act, waitFor } from '@testing-library/react';
import type { PanelState, PanelUpdate } from '../../../shared/ipc/index.js';
import { connectBrowser } from '../api/connect.js';
import { usePanel } from '../store/index.js';
import { fakeServer } from './fake-socket.js';

export async function connectScripted(state: PanelState, serverNow: number) {
  const server = fakeServer();
  const disconnect = connectBrowser('vs_viewer_TOKEN', server.open);
  const socket = server.last;
  act(() => {
    socket.accept();
    socket.say({ t: 'welcome', me: state.me });
  });
  const call = socket.lastCall();
  if (call?.method !== 'getState') throw new Error('the client did not ask for a snapshot');
  await act(async () => {
    socket.say({ t: 'reply', id: call.id, reply: { ok: true, value: state, serverNow } });
  });
  await waitFor(() => {
    if (usePanel.getState().connection.status !== 'live') throw new Error('not live yet');
  });
  return {
    socket,
    disconnect,
    push: (updates: PanelUpdate[], at: number) => act(() => socket.say({ t: 'updates', updates, serverNow: at })),
  };
}
