// Desktop settings kept between runs with electron-store: the trust threshold the lead chose,
// resource limits, the orchestrator's port and the window bounds. Values are checked by the
// store's JSON schema; a hand-edited file with bad values falls back to defaults.
import Store from 'electron-store';

export interface DesktopSettings {
  trustThreshold: number;
  limits: { maxVertices: number; maxTextureSize: number; maxObjects: number };
  port: number;
  window: { x?: number; y?: number; width: number; height: number; maximized: boolean };
}

const DEFAULTS: DesktopSettings = {
  trustThreshold: 100,
  limits: { maxVertices: 2_000_000, maxTextureSize: 8192, maxObjects: 200_000 },
  port: 7420,
  window: { width: 1440, height: 900, maximized: false },
};

const int = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum }) as const;

export function setupSettings(): Store<DesktopSettings> {
  return new Store<DesktopSettings>({
    name: 'settings',
    defaults: DEFAULTS,
    clearInvalidConfig: true,
    schema: {
      trustThreshold: int(0, 100),
      limits: {
        type: 'object',
        properties: { maxVertices: int(1, 50_000_000), maxTextureSize: int(1, 65_536), maxObjects: int(1, 1_000_000) },
        required: ['maxVertices', 'maxTextureSize', 'maxObjects'],
      },
      port: int(0, 65_535),
      window: {
        type: 'object',
        properties: { x: { type: 'integer' }, y: { type: 'integer' }, width: int(640, 10_000), height: int(480, 10_000), maximized: { type: 'boolean' } },
        required: ['width', 'height', 'maximized'],
      },
    },
  });
}
