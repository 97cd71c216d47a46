// The one HTTP listener of a headless orchestrator: /healthz, the /adapter WebSocket upgrade,
// and whatever other handlers are mounted (the panel gateway: /panel WebSocket + static files).
import { Socket } from 'node:net';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import type { PanelState } from '../../../shared/ipc/index.js';
import type { ErrorCode } from '../../../shared/protocol/index.js';

/** What /healthz reports: state and counts only, never names, tokens or scene data. */
export interface Health {
  /** `replaying` while the WAL is replayed at start (answered with HTTP 503: not ready yet) */
  status: 'ok' | 'panic' | 'replaying';
  orchestrator: PanelState['orchestrator']['state'];
  /** live engine and agent sessions */
  engines: number;
  /** proposals waiting for a reviewer */
  pending: number;
  panic: boolean;
  walRecordsReplayed: number;
  version: string;
  /** objects their source could not send as they are, counted by kind (the panel lists each with its reason) */
  notSynced: { objects: number; byKind: Record<string, number> };
  /** targets that said, after their last resync, they could not hold all of the scene (the panel says what) */
  targetsNotHolding: number;
}

/** Health from the panel's view of the orchestrator (the agreed ControlService seam). */
export function healthFromState(state: PanelState): Health {
  const panic = state.orchestrator.state === 'PANIC';
  return {
    status: panic ? 'panic' : state.orchestrator.state === 'REPLAYING' ? 'replaying' : 'ok',
    orchestrator: state.orchestrator.state,
    // connected engines: those listed only because they still need a person (no roles) are not
    engines: state.engines.filter((e) => e.state !== 'DISCONNECTED' && e.roles.length > 0).length,
    pending: state.pending.length,
    panic,
    walRecordsReplayed: state.orchestrator.walRecordsReplayed,
    version: state.orchestrator.version,
    notSynced: { objects: state.objects.notSynced?.total ?? 0, byKind: state.objects.notSynced?.byKind ?? {} },
    targetsNotHolding: state.engines.filter((e) => e.cannotHold !== null).length,
  };
}

/** A mounted handler answers `true` when it took the request. */
export interface MountedHandler {
  http?(req: IncomingMessage, res: ServerResponse): boolean;
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close?(): Promise<void> | void;
}

/**
 * While `busy()` holds, answers every request and upgrade that reaches it with 503, a
 * `Retry-After`, and the typed error (header `X-VibeSync-Error` and a JSON body). Mounted first,
 * it keeps the panel out while the orchestrator replays its WAL; /healthz and /adapter never reach it.
 */
export function unavailableWhile(busy: () => boolean, code: ErrorCode, message: string): MountedHandler {
  const body = JSON.stringify({ code, message });
  const head = { 'Content-Type': 'application/json', 'Retry-After': '1', 'Cache-Control': 'no-store', 'X-VibeSync-Error': code };
  return {
    http(_req, res) {
      if (!busy()) return false;
      res.writeHead(503, head).end(body);
      return true;
    },
    upgrade(_req, socket) {
      if (!busy()) return false;
      socket.end(
        `HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n${Object.entries(head)
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}` + `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return true;
    },
  };
}

export interface HeadlessServerOptions {
  host?: string;
  port?: number;
  logger: Logger;
  health(): Health;
  /** Takes /adapter upgrades (the adapter server). */
  adapter: { handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void; close(): Promise<void> };
}

export interface HeadlessServer {
  mount(handler: MountedHandler): void;
  listen(): Promise<{ host: string; port: number }>;
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

export const DEFAULT_HOST = '127.0.0.1';
/** an HTTP connection with no traffic for this long is closed (before any WebSocket upgrade) */
export const IDLE_CONNECTION_MS = 10_000;
export const DEFAULT_PORT = 7420;

const pathOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://localhost').pathname;

export function createHeadlessServer(opts: HeadlessServerOptions): HeadlessServer {
  const log = opts.logger.child({ component: 'http' });
  const host = opts.host ?? DEFAULT_HOST;
  const mounted: MountedHandler[] = [];
  let port = opts.port ?? DEFAULT_PORT;

  // Slow or idle clients cannot hold connections open: headers within 10 s, a whole request within
  // 30 s, 5 s of keep-alive, and no connection idle for 10 s before it upgrades to a WebSocket
  // (after the upgrade, the WebSocket's own handshake timer and heartbeats take over).
  const server = createServer(
    { headersTimeout: 10_000, requestTimeout: 30_000, keepAliveTimeout: 5_000, connectionsCheckingInterval: 1_000 },
    (req, res) => {
      res.setHeader('X-Content-Type-Options', 'nosniff');
      if (pathOf(req) === '/healthz') {
        if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        const health = opts.health();
        const body = JSON.stringify(health);
        // Not ready while replaying: load balancers and scripts can wait on the status code alone.
        const ready = health.status !== 'replaying';
        res.writeHead(ready ? 200 : 503, {
          'Content-Type': 'application/json',
          'Cache-Control': 'no-store',
          ...(ready ? {} : { 'Retry-After': '1' }),
        });
        return void res.end(req.method === 'HEAD' ? undefined : body);
      }
      for (const h of mounted) if (h.http?.(req, res)) return;
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
    },
  );

  server.on('connection', (socket) => {
    socket.setTimeout(IDLE_CONNECTION_MS, () => socket.destroy());
  });
  server.on('upgrade', (req, socket, head) => {
    if (socket instanceof Socket) socket.setTimeout(0);
    socket.on('error', (err) => log.debug({ err }, 'upgrade socket error'));
    if (pathOf(req) === '/adapter') return opts.adapter.handleUpgrade(req, socket, head);
    for (const h of mounted) if (h.upgrade?.(req, socket, head)) return;
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
  });

  return {
    mount(handler) {
      mounted.push(handler);
    },
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          port = (server.address() as AddressInfo).port;
          log.info({ host, port }, 'listening');
          resolve({ host, port });
        });
      });
    },
    get port() {
      return port;
    },
    host,
    async close() {
      for (const h of mounted) await h.close?.();
      await opts.adapter.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
