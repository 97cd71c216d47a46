// Connection slice: which transport the panel talks through and whether it is live.
import type { StateCreator } from 'zustand';
import type { ControlApi } from '../../../shared/ipc/index.js';
import type { PanelStore } from './index.js';

/** Failure notices that only said the panel was not connected. */
const STALE_ONCE_LIVE = /DISCONNECTED|not connected to the orchestrator/;

export type ConnectionStatus = 'idle' | 'connecting' | 'live' | 'reconnecting' | 'refused';

export interface ConnectionSlice {
  connection: { status: ConnectionStatus; transport: 'electron' | 'browser' | null; error: string | null };
  api: ControlApi | null;
  setConnection(patch: Partial<ConnectionSlice['connection']>): void;
  setApi(api: ControlApi | null): void;
}

export const createConnectionSlice: StateCreator<PanelStore, [], [], ConnectionSlice> = (set) => ({
  connection: { status: 'idle', transport: null, error: null },
  api: null,
  // Once live again, a failure that only said "not connected" is stale: it is dropped.
  setConnection: (patch) =>
    set((s) => ({
      connection: { ...s.connection, ...patch },
      ...(patch.status === 'live' && s.connection.status !== 'live'
        ? { notices: s.notices.filter((n) => !(n.tone === 'error' && STALE_ONCE_LIVE.test(n.text))) }
        : {}),
    })),
  setApi: (api) => set({ api }),
});
