// Every active PANIC the panel must show: the orchestrator's own first, then each engine's.
import { useShallow } from 'zustand/react/shallow';
import type { PanicView } from '../../../shared/ipc/index.js';
import { usePanel } from '../store/index.js';

export function usePanics(): PanicView[] {
  return usePanel(
    useShallow((s) => {
      const list: PanicView[] = [];
      if (s.orchestrator?.panic) list.push(s.orchestrator.panic);
      const key = (p: PanicView) => `${p.failure}|${p.engine ?? ''}|${p.at}`;
      const seen = new Set(list.map(key));
      for (const e of s.engines)
        if (e.panic && !seen.has(key(e.panic))) {
          seen.add(key(e.panic));
          list.push(e.panic);
        }
      return list;
    }),
  );
}
