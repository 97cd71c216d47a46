// The orchestrator's "now", ticking, for ages and countdowns against orchestrator timestamps:
// this machine's clock corrected by the estimated offset (store/clock.ts). One interval per
// mounted consumer, cleared on unmount.
import { useEffect, useState } from 'react';
import { usePanel } from '../store/index.js';

export function useOrchestratorNow(everyMs = 1000): number {
  const offset = usePanel((s) => s.clock.offsetMs);
  const [local, setLocal] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setLocal(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return local + offset;
}
