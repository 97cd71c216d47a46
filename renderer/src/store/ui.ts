// UI slice: the screen on view and transient notices (errors from actions, one-time secrets).
import type { StateCreator } from 'zustand';
import type { PanelStore } from './index.js';

export type Screen = 'health' | 'review' | 'quarantine' | 'overrides' | 'audit';

export interface Notice {
  id: number;
  tone: 'error' | 'ok';
  text: string;
}

/** Bulk approvals / rejections above this many rows ask for confirmation first (a lead can change it). */
export const DEFAULT_BULK_CONFIRM_ABOVE = 100;
const BULK_KEY = 'vibesync.bulkConfirmAbove';

function storedBulkLimit(): number {
  try {
    const v = Number(globalThis.localStorage?.getItem(BULK_KEY));
    return Number.isInteger(v) && v >= 1 ? v : DEFAULT_BULK_CONFIRM_ABOVE;
  } catch {
    return DEFAULT_BULK_CONFIRM_ABOVE;
  }
}

export interface UiSlice {
  screen: Screen;
  notices: Notice[];
  bulkConfirmAbove: number;
  setBulkConfirmAbove(n: number): void;
  setScreen(screen: Screen): void;
  notify(tone: Notice['tone'], text: string): void;
  dismiss(id: number): void;
}

let nextNotice = 1;

export const createUiSlice: StateCreator<PanelStore, [], [], UiSlice> = (set) => ({
  screen: 'health',
  notices: [],
  bulkConfirmAbove: storedBulkLimit(),
  setBulkConfirmAbove: (n) => {
    if (!Number.isInteger(n) || n < 1) return;
    try {
      globalThis.localStorage?.setItem(BULK_KEY, String(n));
    } catch {
      /* not persisted; still applies to this panel */
    }
    set({ bulkConfirmAbove: n });
  },
  setScreen: (screen) => set({ screen }),
  notify: (tone, text) => set((s) => ({ notices: [...s.notices.slice(-4), { id: nextNotice++, tone, text }] })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
});
