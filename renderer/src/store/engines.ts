// Engines slice: one EngineView per live (or recently live) engine session.
import type { StateCreator } from 'zustand';
import type { EngineView } from '../../../shared/ipc/index.js';
import type { PanelStore } from './index.js';

export interface EnginesSlice {
  engines: EngineView[];
}

export const createEnginesSlice: StateCreator<PanelStore, [], [], EnginesSlice> = () => ({ engines: [] });
