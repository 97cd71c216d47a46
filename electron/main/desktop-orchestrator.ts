// The orchestrator the desktop runs in-process: the same core as `vibesync headless`, on the data
// folder the desktop was given, with the resource limits from the desktop settings; if the port
// is taken it listens on a free one. Electron-free, so it is tested under Node. What the WAL says
// (trust threshold, pending proposals) is never overridden from the desktop's own files.
import type { Logger } from 'pino';
import { startOrchestrator, type Orchestrator } from '../core/orchestrator.js';
import type { DesktopSettings } from './settings.js';

export interface DesktopOrchestratorOptions {
  dataDir: string;
  host: string;
  /** `--port` / VIBESYNC_PORT; else the settings' port. */
  port?: number;
  settings: Pick<DesktopSettings, 'limits' | 'port'>;
  staticDir: string;
  logger: Logger;
}

export async function startDesktopOrchestrator(o: DesktopOrchestratorOptions): Promise<Orchestrator> {
  const base = { dataDir: o.dataDir, host: o.host, limits: o.settings.limits, staticDir: o.staticDir, logger: o.logger };
  const port = o.port ?? o.settings.port;
  try {
    return await startOrchestrator({ ...base, port });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    o.logger.warn({ port }, 'port in use; the orchestrator listens on a free port instead');
    return startOrchestrator({ ...base, port: 0 });
  }
}
