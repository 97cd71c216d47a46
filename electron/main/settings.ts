// Desktop settings kept between runs with electron-store, in `<userData>/settings.json`: the
// orchestrator's port, the resource limits it enforces, and the window bounds. Values are checked
// by the store's JSON schema; a hand-edited file with a bad value falls back to the defaults.
// The trust threshold is not here: the orchestrator's WAL owns it (a lead may change it from a
// browser view on the same data folder), so the desktop keeps no copy that could undo that.
import Store from 'electron-store';
import type { WindowBounds } from './window-policy.js';

export interface DesktopSettings {
  limits: { maxVertices: number; maxTextureSize: number; maxObjects: number };
  port: number;
  window: WindowBounds & { maximized: boolean };
}

export const SETTINGS_DEFAULTS: DesktopSettings = {
  limits: { maxVertices: 2_000_000, maxTextureSize: 8192, maxObjects: 200_000 },
  port: 7420,
  window: { width: 1440, height: 900, maximized: false },
};

/** Keys earlier versions wrote that must no longer be read: the trust threshold now lives only in the WAL. */
const RETIRED_KEYS = ['trustThreshold'];

const int = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum }) as const;

/** Opens the settings file; `cwd` defaults to Electron's userData folder (tests pass their own). */
export function openSettings(opts: { cwd?: string } = {}): Store<DesktopSettings> {
  const store = new Store<DesktopSettings>({
    name: 'settings',
    ...(opts.cwd !== undefined && { cwd: opts.cwd }),
    defaults: SETTINGS_DEFAULTS,
    clearInvalidConfig: true,
    schema: {
      limits: {
        type: 'object',
        properties: { maxVertices: int(1, 50_000_000), maxTextureSize: int(1, 65_536), maxObjects: int(1, 1_000_000) },
        required: ['maxVertices', 'maxTextureSize', 'maxObjects'],
      },
      port: int(0, 65_535),
      window: {
        type: 'object',
        properties: {
          x: { type: 'integer' },
          y: { type: 'integer' },
          width: int(640, 10_000),
          height: int(480, 10_000),
          maximized: { type: 'boolean' },
        },
        required: ['width', 'height', 'maximized'],
      },
    },
  });
  const raw = store as unknown as Store<Record<string, unknown>>;
  for (const key of RETIRED_KEYS) if (raw.has(key)) raw.delete(key);
  return store;
}
