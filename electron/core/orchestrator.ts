// The composition root of a running orchestrator: WAL (replayed into the brain), token store,
// brain, control service, the adapter WebSocket server and the one HTTP listener (with the panel
// gateway mounted). The Electron main process and the headless CLI both start it from here.
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { TokenStore } from './auth/tokens.js';
import { Brain, type BrainConfig, type ScriptScanner } from './brain/brain.js';
import type { ResourceLimits } from './brain/scene-model.js';
import { systemClock, type Clock } from './clock.js';
import { createControlService, type ControlServiceHandle } from './control.js';
import { scanPython } from './security/scanner.js';
import { createAdapterServer } from './transport/adapter-server.js';
import { openWal, WalCorruptionError, type DurableLog } from './wal/index.js';
// The composition root is the one core module that wires in the HTTP shell it is served by.
import { createHeadlessServer, healthFromState, type Health } from './http/server.js';
import { createPanelGateway } from './http/panel-gateway.js';

export interface OrchestratorOptions {
  dataDir: string;
  host?: string;
  port?: number;
  clock?: Clock;
  logger?: Logger;
  limits?: Partial<ResourceLimits>;
  config?: Partial<BrainConfig>;
  scanner?: ScriptScanner;
  /** built panel (dist/renderer); default: the repository's dist/renderer */
  staticDir?: string;
  allowedOrigins?: string[];
  rateLimit?: { perSecond: number; burst: number };
}

export interface Orchestrator {
  brain: Brain;
  control: ControlServiceHandle;
  tokens: TokenStore;
  /** ws://host:port/adapter */
  url: string;
  port: number;
  /** set when this start created the first lead token (shown once) */
  firstLead: { token: string; file: string } | null;
  healthz(): Health;
  close(): Promise<void>;
}

/** A log that refuses every write: the brain runs on it while the real WAL is unreadable. */
const brokenLog = (cause: string): DurableLog => ({
  append: () => Promise.reject(new Error(cause)),
  appendMany: () => Promise.reject(new Error(cause)),
  snapshot: () => Promise.reject(new Error(cause)),
  lastSeq: 0,
  close: async () => {},
});

const defaultStaticDir = () => fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export async function startOrchestrator(opts: OrchestratorOptions): Promise<Orchestrator> {
  const logger = opts.logger ?? pino({ name: 'vibesync', level: process.env.VIBESYNC_LOG_LEVEL ?? 'info' });
  const clock = opts.clock ?? systemClock;
  const tokens = new TokenStore(opts.dataDir, clock);
  const firstLead = tokens.ensureFirstLead();
  const walDir = join(opts.dataDir, 'wal');

  const brain = new Brain({ log: brokenLog('not opened yet'), clock, logger, limits: opts.limits, config: opts.config, tokens, scanner: opts.scanner ?? { scan: (code) => scanPython(code).findings } });
  try {
    const { log, replay } = await openWal(walDir, { logger });
    brain.log = log;
    brain.replay(replay);
  } catch (e) {
    if (!(e instanceof WalCorruptionError)) throw e;
    // Terminal, but the brain still starts so a person can see why and decide.
    brain.startInPanic(e.message);
  }
  brain.onEmergencyUnlock = async () => {
    const aside = `${walDir}.corrupt-${clock.now()}`;
    await rename(walDir, aside);
    logger.warn({ aside }, 'emergency unlock: unreadable WAL moved aside, starting an empty log');
    const { log } = await openWal(walDir, { logger });
    brain.log = log;
  };

  const control = createControlService(brain, clock);
  const adapter = createAdapterServer({
    brain, tokens, clock, logger,
    heartbeatMs: brain.config.heartbeatMs, heartbeatTimeoutMs: brain.config.heartbeatTimeoutMs,
    ...(opts.allowedOrigins ? { allowedOrigins: opts.allowedOrigins } : {}),
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
  });
  const healthz = () => healthFromState(control.state({ name: 'healthz', role: 'viewer' }));
  const http = createHeadlessServer({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 7420, logger, health: healthz, adapter });
  http.mount(createPanelGateway({ control, tokens, staticDir: opts.staticDir ?? defaultStaticDir(), logger, clock }));
  const { host, port } = await http.listen();

  let closed = false;
  return {
    brain, control, tokens, firstLead, port, healthz,
    url: `ws://${host}:${port}/adapter`,
    async close() {
      if (closed) return;
      closed = true;
      control.close();
      await http.close();
      await brain.close();
    },
  };
}
