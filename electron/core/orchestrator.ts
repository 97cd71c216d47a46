// The composition root of a running orchestrator: token store, brain, control service, the adapter
// WebSocket server and the one HTTP listener (with the panel gateway mounted), then the WAL
// replayed into the brain. The listener is up before replay starts, so /healthz can say REPLAYING;
// until replay ends adapters are refused (TRANSIENT, close 1013) and the panel answers 503.
// The Electron main process and the headless CLI both start it from here.
import { watch, type FSWatcher } from 'node:fs';
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { VibeSyncError } from '../../shared/protocol/index.js';
import { AuditCorruptionError, AuditStore } from './audit/index.js';
import { TokenStore } from './auth/tokens.js';
import { DigestPool } from './blobs/digest-pool.js';
import { BlobStore } from './blobs/store.js';
import { Brain } from './brain/brain.js';
import type { BrainConfig } from './brain/config.js';
import type { ScriptScanner } from './brain/context.js';
import type { ResourceLimits } from './brain/scene-model.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { createControlService, type ControlServiceHandle } from './control/index.js';
import { scanPython } from './security/scanner.js';
import type { ScriptRunner } from './scripts/dry-run.js';
import { networkIsolation, ScriptSandbox } from './scripts/sandbox.js';
import { createAdapterServer } from './transport/adapter-server.js';
import type { SchedulerLimits } from './transport/inbound-scheduler.js';
import { assertWalDirFree, openWal, WalCorruptionError, type DurableLog } from './wal/index.js';
// The composition root is the one core module that wires in the HTTP shell it is served by.
import { createHeadlessServer, healthFromState, unavailableWhile, type Health } from './http/server.js';
import { createPanelGateway } from './http/panel-gateway.js';
import { setupHints } from './http/setup-hints.js';

export interface OrchestratorOptions {
  dataDir: string;
  host?: string;
  port?: number;
  clock?: Clock;
  logger?: Logger;
  limits?: Partial<ResourceLimits>;
  config?: Partial<BrainConfig>;
  scanner?: ScriptScanner;
  /** the script sandbox; default a Pyodide worker (electron/core/scripts/sandbox.ts), started on the first script */
  sandbox?: ScriptRunner;
  /** built panel (dist/renderer); default: the repository's dist/renderer */
  staticDir?: string;
  allowedOrigins?: string[];
  rateLimit?: { perSecond: number; burst: number };
  /** adapter frame caps in bytes (defaults: FRAME_LIMITS in shared/protocol) */
  frameLimits?: { handshakeBytes?: number; frameBytes?: number; snapshotBytes?: number };
  /** inbound fair-sharing and backpressure bounds (defaults: DEFAULT_SCHEDULER_LIMITS) */
  scheduler?: Partial<SchedulerLimits>;
  /** frames at least this many bytes are decoded in a worker thread (default 1 MiB; electron/core/offload) */
  offloadBytes?: number;
  /** called once the listener is up, before the WAL is replayed */
  onListening?: (address: { host: string; port: number; url: string }) => void;
  /** opens the WAL (default `openWal`); tests use it to hold the orchestrator in REPLAYING */
  openWal?: typeof openWal;
  /** the largest blob accepted, bytes (Resource Limit; default 256 MiB) */
  maxBlobBytes?: number;
  /** how long an unreferenced blob is kept after it was stored (default 10 minutes) */
  blobGraceMs?: number;
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
  /** the adapter endpoint's inbound queue: bytes read and waiting for the brain, frames in flight */
  inbound(): { queuedBytes: number; inFlight: number };
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

/** Calls `changed` whenever tokens.json in `dataDir` may have changed; returns a stop function. */
function watchTokenFile(dataDir: string, changed: () => void, logger: Logger, pollMs = 1000): () => void {
  let watcher: FSWatcher | null = null;
  try {
    watcher = watch(dataDir, { persistent: false }, (_event, name) => {
      if (name === null || String(name).startsWith(TOKEN_FILE)) changed();
    });
    watcher.on('error', (err) => logger.debug({ err }, 'token file watch failed; polling only'));
  } catch (err) {
    logger.debug({ err }, 'token file watch unavailable; polling only');
  }
  const poll = setInterval(changed, pollMs);
  poll.unref();
  return () => {
    clearInterval(poll);
    watcher?.close();
  };
}

const TOKEN_FILE = 'tokens.json';
const defaultStaticDir = () => fileURLToPath(new URL('../../dist/renderer', import.meta.url));

export async function startOrchestrator(opts: OrchestratorOptions): Promise<Orchestrator> {
  const logger = opts.logger ?? pino({ name: 'vibesync', level: process.env.VIBESYNC_LOG_LEVEL ?? 'info' });
  const clock = opts.clock ?? systemClock;
  const walDir = join(opts.dataDir, 'wal');
  // A data folder another live orchestrator holds is refused before anything in it is touched (the
  // first lead token, the blob store's unfinished uploads); the WAL lock itself is taken on open.
  assertWalDirFree(walDir);
  const tokens = new TokenStore(opts.dataDir, clock);
  const firstLead = tokens.ensureFirstLead();
  // The whole audit log, hash-chained, beside the WAL; read (a torn last line cut) once the WAL is ours.
  const audit = AuditStore.unopened(join(opts.dataDir, 'audit'));
  const loadAudit = () => {
    try {
      audit.load();
    } catch (e) {
      if (e instanceof AuditCorruptionError) throw new VibeSyncError('INTERNAL', e.message);
      throw e;
    }
    if (audit.truncatedBytes > 0) logger.warn({ truncatedBytes: audit.truncatedBytes }, 'audit log torn tail dropped');
  };

  // Received blobs are hashed in a worker thread (started on the first blob), off the event loop.
  const digests = new DigestPool();
  const ownSandbox = opts.sandbox ? null : new ScriptSandbox();
  if (ownSandbox && !networkIsolation().isolated)
    logger.warn({ why: networkIsolation().why }, 'AI scripts will run without network isolation (docs/security.md)');
  const sandbox = opts.sandbox ?? ownSandbox!;
  // The brain is REPLAYING from the moment anyone can ask, until the WAL is applied.
  const brain = new Brain({
    log: brokenLog('not opened yet'),
    clock,
    logger,
    limits: opts.limits,
    config: opts.config,
    tokens,
    scanner: opts.scanner ?? { scan: (code) => scanPython(code).findings },
    blobStore: new BlobStore(join(opts.dataDir, 'blobs'), digests.create),
    ...(opts.maxBlobBytes !== undefined && { maxBlobBytes: opts.maxBlobBytes }),
    ...(opts.blobGraceMs !== undefined && { blobGraceMs: opts.blobGraceMs }),
    sandbox,
    audit,
    // What emergency unlock does about an unreadable WAL.
    reopenLog: async () => {
      const aside = `${walDir}.corrupt-${clock.now()}`;
      await rename(walDir, aside);
      logger.warn({ aside }, 'emergency unlock: unreadable WAL moved aside, starting an empty log');
      return (await openWal(walDir, { logger })).log;
    },
  });

  const replaying = 'the orchestrator is replaying its write-ahead log; reconnect in a moment';
  const control = createControlService(brain, clock);
  const adapter = createAdapterServer({
    brain,
    tokens,
    clock,
    logger,
    heartbeatMs: brain.config.heartbeatMs,
    heartbeatTimeoutMs: brain.config.heartbeatTimeoutMs,
    notReady: () => (brain.replaying ? new VibeSyncError('TRANSIENT', replaying) : null),
    ...(opts.allowedOrigins ? { allowedOrigins: opts.allowedOrigins } : {}),
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
    ...(opts.frameLimits?.handshakeBytes ? { maxHandshakeBytes: opts.frameLimits.handshakeBytes } : {}),
    ...(opts.frameLimits?.frameBytes ? { maxFrameBytes: opts.frameLimits.frameBytes } : {}),
    ...(opts.frameLimits?.snapshotBytes ? { maxSnapshotBytes: opts.frameLimits.snapshotBytes } : {}),
    ...(opts.scheduler ? { scheduler: opts.scheduler } : {}),
    ...(opts.offloadBytes !== undefined ? { offloadBytes: opts.offloadBytes } : {}),
  });
  const healthz = () => healthFromState(control.state({ name: 'healthz', role: 'viewer' }));
  const http = createHeadlessServer({ host: opts.host ?? '127.0.0.1', port: opts.port ?? 7420, logger, health: healthz, adapter });
  // The panel may neither read a half-replayed state nor write to a log that is not open yet.
  http.mount(unavailableWhile(() => brain.replaying, 'TRANSIENT', replaying));
  const gateway = createPanelGateway({
    control,
    tokens,
    staticDir: opts.staticDir ?? defaultStaticDir(),
    logger,
    clock,
    setupHints: setupHints({ dataDir: opts.dataDir }),
  });
  http.mount(gateway);
  // A revoked or reset token ends every open session of it at once (panel and adapter), whether the
  // CLI (another process) or this one wrote the token file: watched, with a slow poll as a backstop.
  const sweepRevoked = () => {
    try {
      gateway.closeRevoked();
      adapter.closeRevoked();
    } catch (err) {
      logger.warn({ err }, 'revocation sweep failed');
    }
  };
  const stopWatchingTokens = watchTokenFile(opts.dataDir, sweepRevoked, logger);
  let address: { host: string; port: number };
  try {
    address = await http.listen();
  } catch (e) {
    control.close();
    await http.close();
    await audit.close();
    throw e;
  }
  const { host, port } = address;
  opts.onListening?.({ host, port, url: `ws://${host}:${port}/adapter` });

  // Any WAL that cannot be replayed starts the orchestrator in PANIC, so a person can see why and
  // decide: damage found while reading, or a record that passes its CRC but cannot be applied.
  // PANIC is set while the brain still says REPLAYING, so no adapter is admitted in between.
  let unreadable: string | null = null;
  try {
    const { log, replay } = await (opts.openWal ?? openWal)(walDir, { logger });
    try {
      loadAudit();
    } catch (e) {
      await log.close().catch(() => {});
      throw e;
    }
    try {
      brain.replay(log, replay);
    } catch (e) {
      if (e instanceof WalCorruptionError) throw e;
      unreadable = `WAL record could not be applied on replay: ${e instanceof Error ? e.message : String(e)}`;
    }
  } catch (e) {
    if (!(e instanceof WalCorruptionError)) {
      await brain.abandonLog(brokenLog(e instanceof Error ? e.message : String(e)));
      control.close();
      await http.close();
      await audit.close();
      throw e;
    }
    unreadable = e.message;
  }
  if (unreadable !== null) {
    // The emergency unlock a person may make is audited too (an unreadable audit log fails that write).
    try {
      loadAudit();
    } catch (e) {
      logger.error({ err: String(e) }, 'audit log cannot be read');
    }
    brain.startInPanic(unreadable);
    // Close the opened log, so nothing is appended after the damage and emergency unlock can move
    // the folder aside (an open handle would stop that rename on Windows).
    await brain.abandonLog(brokenLog(unreadable));
  }

  // Blobs nothing references any more are collected after replay and then every ten minutes.
  const collectBlobs = () => {
    try {
      const n = brain.collectBlobs();
      if (n > 0) logger.info({ deleted: n }, 'unreferenced blobs collected');
    } catch (err) {
      logger.warn({ err }, 'blob collection failed');
    }
  };
  if (unreadable === null) collectBlobs();
  const blobTimer = setInterval(collectBlobs, 10 * 60 * 1000);
  blobTimer.unref();

  let closed = false;
  return {
    brain,
    control,
    tokens,
    firstLead,
    port,
    healthz,
    inbound: () => adapter.inbound(),
    url: `ws://${host}:${port}/adapter`,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(blobTimer);
      stopWatchingTokens();
      control.close();
      await http.close();
      await brain.close();
      await digests.close();
      await ownSandbox?.close();
      await audit.close();
    },
  };
}
