// UI slice: the screen on view and transient notices (errors from actions, one-time secrets).
import type { StateCreator } from 'zustand';
import type { PanelStore } from './index.js';

export type Screen = 'health' | 'review' | 'quarantine' | 'overrides' | 'audit';

export interface Notice {
  id: number;
  tone: 'error' | 'ok';
  text: string;
}

export interface UiSlice {
  screen: Screen;
  notices: Notice[];
  setScreen(screen: Screen): void;
  notify(tone: Notice['tone'], text: string): void;
  dismiss(id: number): void;
}

let nextNotice = 1;

export const createUiSlice: StateCreator<PanelStore, [], [], UiSlice> = (set) => ({
  screen: 'health',
  notices: [],
  setScreen: (screen) => set({ screen }),
  notify: (tone, text) => set((s) => ({ notices: [...s.notices.slice(-4), { id: nextNotice++, tone, text }] })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
});
