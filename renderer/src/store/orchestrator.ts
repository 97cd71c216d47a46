// Orchestrator slice: RUNNING / REPLAYING / PANIC, the trust threshold and who "me" is.
import type { StateCreator } from 'zustand';
import type { PanelState } from '../../../shared/ipc/index.js';
import type { PanelStore } from './index.js';

export interface OrchestratorSlice {
  orchestrator: PanelState['orchestrator'] | null;
  me: PanelState['me'] | null;
}

export const createOrchestratorSlice: StateCreator<PanelStore, [], [], OrchestratorSlice> = () => ({
  orchestrator: null,
  me: null,
});
