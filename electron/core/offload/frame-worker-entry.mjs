// The frame worker run from source: load TypeScript through tsx, then the worker itself.
// (A bundled build runs dist/electron/frame-worker.cjs instead; see scripts/build-panel.ts.)
import { register } from 'tsx/esm/api';

register();
await import('./frame-worker.ts');
