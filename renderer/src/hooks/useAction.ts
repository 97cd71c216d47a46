// Runs a control call, reports failure as a notice (typed code + message) and tracks "busy".
import { useCallback, useState } from 'react';
import type { ControlApi } from '../../../shared/ipc/index.js';
import { describeError } from '../api/control-error.js';
import { usePanel } from '../store/index.js';

export function useAction() {
  const [busy, setBusy] = useState(false);
  const run = useCallback(async <T,>(label: string, fn: (api: ControlApi) => Promise<T>): Promise<T | undefined> => {
    const { api, notify } = usePanel.getState();
    if (!api) { notify('error', `${label}: not connected to the orchestrator`); return undefined; }
    setBusy(true);
    try {
      return await fn(api);
    } catch (e) {
      notify('error', `${label} failed — ${describeError(e)}`);
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, run };
}
