// An agent's trust as it is now: the engines view is pushed whenever trust changes, while a
// pending row carries the value it had when the proposal arrived. Every row and the detail pane
// read it from here, so the same agent shows one number everywhere.
import { useCallback, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { PendingView } from '../../../shared/ipc/index.js';
import { usePanel } from '../store/index.js';

export function useLiveTrust(): (item: Pick<PendingView, 'agent' | 'trust'>) => number {
  const pairs = usePanel(useShallow((s) => s.engines.map((e) => `${e.name}\u0000${e.trust}`)));
  const byName = useMemo(() => new Map(pairs.map((p) => p.split('\u0000') as [string, string]).map(([n, t]) => [n, Number(t)])), [pairs]);
  return useCallback((item) => byName.get(item.agent) ?? item.trust, [byName]);
}
