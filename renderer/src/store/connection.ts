// Connection slice: which transport the panel talks through and whether it is live.
import type { StateCreator } from 'zustand';
import type { ControlApi } from '../../../shared/ipc/index.js';
import type { PanelStore } from './index.js';

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
  setConnection: (patch) => set((s) => ({ connection: { ...s.connection, ...patch } })),
  setApi: (api) => set({ api }),
});
