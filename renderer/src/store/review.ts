// Review queue slice: PENDING AI mutations, the cursor, the multi-selection.
// Pending items are kept in arrival order; removal is by pid set, so 10,000 removals stay O(n).
import type { StateCreator } from 'zustand';
import type { PendingView } from '../../../shared/ipc/index.js';
import type { PanelStore } from './index.js';

export interface ReviewSlice {
  pending: PendingView[];
  cursor: number;
  selected: ReadonlySet<string>;
  moveCursor(delta: number): void;
  setCursor(index: number): void;
  toggleSelected(pid: string): void;
  selectAll(): void;
  clearSelection(): void;
  removePending(pids: readonly string[]): void;
}

const clamp = (i: number, n: number) => (n === 0 ? 0 : Math.min(Math.max(i, 0), n - 1));

export const createReviewSlice: StateCreator<PanelStore, [], [], ReviewSlice> = (set) => ({
  pending: [],
  cursor: 0,
  selected: new Set<string>(),
  moveCursor: (delta) => set((s) => ({ cursor: clamp(s.cursor + delta, s.pending.length) })),
  setCursor: (index) => set((s) => ({ cursor: clamp(index, s.pending.length) })),
  toggleSelected: (pid) =>
    set((s) => {
      const next = new Set(s.selected);
      if (next.has(pid)) next.delete(pid);
      else next.add(pid);
      return { selected: next };
    }),
  selectAll: () => set((s) => ({ selected: new Set(s.pending.map((p) => p.pid)) })),
  clearSelection: () => set({ selected: new Set<string>() }),
  removePending: (pids) => set((s) => removeFromQueue(s, pids)),
});

/**
 * The queue after `pids` left it; the selection drops the gone. The cursor follows its row, not its
 * index: it stays on the same proposal if that one is still pending, else moves to the next one
 * still pending after it (the first the reviewer has not seen), so no row is skipped unseen.
 */
export function removeFromQueue(s: Pick<ReviewSlice, 'pending' | 'cursor' | 'selected'>, pids: readonly string[]) {
  if (pids.length === 0) return {};
  const gone = new Set(pids);
  const pending = s.pending.filter((p) => !gone.has(p.pid));
  if (pending.length === s.pending.length) return {};
  let selected = s.selected;
  if ([...s.selected].some((pid) => gone.has(pid))) selected = new Set([...s.selected].filter((pid) => !gone.has(pid)));
  let before = 0;
  for (let i = 0; i < s.cursor && i < s.pending.length; i++) if (!gone.has(s.pending[i]!.pid)) before++;
  return { pending, selected, cursor: clamp(before, pending.length) };
}
