// Objects slice: the objects that are not CLEAN, and counts by state.
import type { StateCreator } from 'zustand';
import type { PanelState } from '../../../shared/ipc/index.js';
import type { PanelStore } from './index.js';

export interface ObjectsSlice {
  objects: PanelState['objects'];
}

export const emptyObjects = (): PanelState['objects'] => ({ notClean: [], counts: { CLEAN: 0, PENDING: 0, DIRTY: 0, LOCKED: 0 } });

export const createObjectsSlice: StateCreator<PanelStore, [], [], ObjectsSlice> = () => ({ objects: emptyObjects() });
