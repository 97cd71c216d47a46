// The commands the panel shows a newcomer, as the running orchestrator says they must be typed
// (its data folder; `npx` where `vibesync` is not on PATH). Falls back to generic ones.
import { useEffect, useState } from 'react';
import { DEFAULT_SETUP_HINTS, SETUP_HINTS_PATH, type SetupHints } from '../../../shared/ipc/index.js';

let cached: Promise<SetupHints> | null = null;
/** Set by the browser view's entry (main.tsx): only a page the orchestrator served asks it. */
let served = false;

export function enableSetupHints(on = true): void {
  served = on;
}

function isHints(v: unknown): v is SetupHints {
  const o = v as Record<string, unknown> | null;
  return !!o && ['cli', 'dataFlag', 'blenderZip', 'blenderBuild'].every((k) => typeof o[k] === 'string');
}

export function loadSetupHints(fetcher: typeof fetch = fetch): Promise<SetupHints> {
  if (!served || typeof window === 'undefined' || !window.location.protocol.startsWith('http')) return Promise.resolve(DEFAULT_SETUP_HINTS);
  cached ??= fetcher(`.${SETUP_HINTS_PATH}`, { cache: 'no-store' })
    .then((r) => (r.ok ? r.json() : null))
    .then((v: unknown) => (isHints(v) ? v : DEFAULT_SETUP_HINTS))
    .catch(() => DEFAULT_SETUP_HINTS);
  return cached;
}

/** Test seam: forget what was fetched. */
export function resetSetupHints(): void {
  cached = null;
}

export function useSetupHints(): SetupHints {
  const [hints, setHints] = useState<SetupHints>(DEFAULT_SETUP_HINTS);
  useEffect(() => {
    let live = true;
    void loadSetupHints().then((h) => live && setHints(h));
    return () => {
      live = false;
    };
  }, []);
  return hints;
}
