// The browser view's gateway, mounted on the headless server: serves the built renderer and the
// /panel WebSocket carrying the control contract. A socket is bound to one person, from a
// viewer / reviewer / lead token (first message, or the Sec-WebSocket-Protocol header); every
// call is validated here and again, with the role check, by the core.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  PANEL_CLOSE,
  PANEL_MAX_PAYLOAD,
  PANEL_WS_PATH,
  PanelClientMessage,
  PersonRole,
  SETUP_HINTS_PATH,
  DEFAULT_SETUP_HINTS,
  type SetupHints,
  TOKEN_SUBPROTOCOL_PREFIX,
  type PanelServerMessage,
  type PanelUpdate,
} from '../../../shared/ipc/index.js';
import { systemClock, type Clock } from '../../../shared/clock.js';
import { answerCall, type Actor, type ControlService } from '../control/index.js';
import { SECURITY_HEADERS, createStaticFiles } from './static-files.js';

export interface PanelTokens {
  verify(token: string): { id: string; name: string; role: string } | null;
}

export interface PanelGatewayOptions {
  control: ControlService;
  tokens: PanelTokens;
  /** dist/renderer; when it holds no build, only the WebSocket is served. */
  staticDir: string;
  logger: Logger;
  clock?: Clock;
  maxPayload?: number;
  authTimeoutMs?: number;
  /** Host names (without port) a browser may reach us by; defends against DNS rebinding. */
  allowedHosts?: string[];
  /** A client that falls this far behind on updates is dropped (it reconnects and re-snapshots). */
  maxBufferedBytes?: number;
  /** what the panel prints for a newcomer to type (GET /setup-hints.json) */
  setupHints?: SetupHints;
}

export interface PanelGateway {
  http(req: IncomingMessage, res: ServerResponse): boolean;
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): Promise<void>;
  /** Authenticated panel sockets right now. */
  readonly clients: number;
  /** Closes, at once, every socket whose token no longer verifies (revoked or reset); returns how many. */
  closeRevoked(): number;
}

const PANEL_SUBPROTOCOL = 'vibesync.panel';
const pathOf = (req: IncomingMessage) => new URL(req.url ?? '/', 'http://panel.invalid').pathname;
const hostName = (host: string) =>
  host
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** What `/` answers while dist/renderer holds no build: how to build it, never a bare "not found". */
export function notBuiltPage(hints: SetupHints): string {
  const cmd = escapeHtml(`${hints.cli} build-panel`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>VibeSync: panel not built</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5">
<h1>The VibeSync panel is not built yet</h1>
<p>The orchestrator is running, but the browser panel has not been built on this machine.
Build it with</p>
<pre><code>${cmd}</code></pre>
<p>(<code>bash scripts/setup.sh</code> and <code>npm start</code> build it too), then reload this page.</p>
</body></html>
`;
}

function refuseUpgrade(socket: Duplex, status: number, text: string) {
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

export function createPanelGateway(opts: PanelGatewayOptions): PanelGateway {
  const log = opts.logger.child({ component: 'panel-gateway' });
  const clock = opts.clock ?? systemClock;
  const files = createStaticFiles(opts.staticDir);
  const hints = opts.setupHints ?? DEFAULT_SETUP_HINTS;
  const allowedHosts = new Set((opts.allowedHosts ?? ['127.0.0.1', 'localhost', '::1']).map((h) => h.toLowerCase()));
  const maxBuffered = opts.maxBufferedBytes ?? 8 * 1024 * 1024;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: opts.maxPayload ?? PANEL_MAX_PAYLOAD,
    handleProtocols: (protocols) => (protocols.has(PANEL_SUBPROTOCOL) ? PANEL_SUBPROTOCOL : false),
  });
  // Each socket keeps its token so a revoked one stops working at the next call, not at reconnect.
  const live = new Map<WebSocket, { actor: Actor; token: string }>();

  const personFor = (token: string): Actor | null => {
    const info = opts.tokens.verify(token);
    const role = PersonRole.safeParse(info?.role);
    return info && role.success ? { name: info.name, role: role.data } : null;
  };

  const send = (ws: WebSocket, msg: PanelServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };

  const unsubscribe = opts.control.subscribe((updates: PanelUpdate[]) => {
    if (live.size === 0 || updates.length === 0) return;
    const frame = JSON.stringify({ t: 'updates', updates, serverNow: clock.now() } satisfies PanelServerMessage);
    for (const ws of live.keys()) {
      if (ws.bufferedAmount > maxBuffered) {
        log.warn('panel client too slow; dropping it');
        ws.close(1013, 'too far behind; reconnect');
        continue;
      }
      if (ws.readyState === ws.OPEN) ws.send(frame);
    }
  });

  const admit = (ws: WebSocket, actor: Actor, token: string) => {
    live.set(ws, { actor, token });
    log.info({ person: actor.name, role: actor.role }, 'panel connected');
    send(ws, { t: 'welcome', me: actor });
  };

  const refuse = (ws: WebSocket, code: string, message: string, close: number) => {
    send(ws, { t: 'refused', error: { code, message } });
    ws.close(close, code);
  };

  const onCall = async (ws: WebSocket, actor: Actor, id: number, method: string, input: unknown) => {
    send(ws, { t: 'reply', id, reply: await answerCall(opts.control, actor, method, input, log, () => clock.now()) });
  };

  wss.on('connection', (ws: WebSocket, _req: IncomingMessage, preAuth: { actor: Actor; token: string } | null) => {
    let actor = preAuth?.actor ?? null;
    const timer = actor
      ? null
      : clock.setTimeout(() => {
          if (!actor) refuse(ws, 'AUTH_FAILED', 'no token within the time allowed', PANEL_CLOSE.authFailed);
        }, opts.authTimeoutMs ?? 5000);
    if (preAuth) admit(ws, preAuth.actor, preAuth.token);
    ws.on('message', (data, isBinary) => {
      let msg: PanelClientMessage;
      try {
        if (isBinary) throw new Error('binary');
        const parsed = PanelClientMessage.safeParse(JSON.parse(String(data)));
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'bad message');
        msg = parsed.data;
      } catch (e) {
        return refuse(ws, 'SCHEMA_VIOLATION', `not a panel message: ${(e as Error).message}`, PANEL_CLOSE.badMessage);
      }
      if (msg.t === 'auth') {
        if (actor) return refuse(ws, 'SCHEMA_VIOLATION', 'already authenticated', PANEL_CLOSE.badMessage);
        if (timer) clock.clearTimeout(timer);
        const person = personFor(msg.token);
        if (!person)
          return refuse(ws, 'AUTH_FAILED', 'token unknown, revoked, or not a viewer/reviewer/lead token', PANEL_CLOSE.authFailed);
        actor = person;
        return admit(ws, person, msg.token);
      }
      const session = live.get(ws);
      if (!actor || !session) return refuse(ws, 'AUTH_FAILED', 'authenticate first', PANEL_CLOSE.authFailed);
      if (!personFor(session.token)) return refuse(ws, 'AUTH_FAILED', 'token revoked', PANEL_CLOSE.authFailed);
      void onCall(ws, actor, msg.id, msg.method, msg.input);
    });
    ws.on('close', () => {
      if (timer) clock.clearTimeout(timer);
      live.delete(ws);
    });
    ws.on('error', (err) => log.debug({ err }, 'panel socket error'));
  });

  return {
    http(req, res) {
      if (pathOf(req) === PANEL_WS_PATH) {
        res.writeHead(426, { 'Content-Type': 'text/plain' }).end('WebSocket only\n');
        return true;
      }
      const path = pathOf(req);
      if (path === SETUP_HINTS_PATH && (req.method === 'GET' || req.method === 'HEAD')) {
        res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(hints));
        return true;
      }
      if (files.handle(req, res)) return true;
      if ((path === '/' || path === '/index.html') && (req.method === 'GET' || req.method === 'HEAD')) {
        const body = notBuiltPage(hints);
        res.writeHead(503, {
          ...SECURITY_HEADERS,
          'Content-Type': 'text/html; charset=utf-8',
          'Cache-Control': 'no-store',
          'Retry-After': '5',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
        return true;
      }
      return false;
    },
    upgrade(req, socket, head) {
      if (pathOf(req) !== PANEL_WS_PATH) return false;
      const host = req.headers.host ?? '';
      // A rebinding attack reaches us under its own host *name*; the address we were reached on
      // (LAN browser view) or a loopback name is fine.
      const local = (req.socket.localAddress ?? '').replace(/^::ffff:/, '').toLowerCase();
      if (!allowedHosts.has(hostName(host)) && hostName(host) !== local) {
        refuseUpgrade(socket, 403, 'Forbidden host');
        return true;
      }
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${host}` && origin !== `https://${host}`) {
        log.warn({ origin }, 'panel upgrade refused: cross-origin');
        refuseUpgrade(socket, 403, 'Forbidden origin');
        return true;
      }
      const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
      const tokenProto = offered.find((p) => p.startsWith(TOKEN_SUBPROTOCOL_PREFIX));
      let preAuth: { actor: Actor; token: string } | null = null;
      if (tokenProto) {
        const token = tokenProto.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
        const actor = personFor(token);
        if (!actor) {
          refuseUpgrade(socket, 401, 'Unauthorized');
          return true;
        }
        preAuth = { actor, token };
        if (!offered.includes(PANEL_SUBPROTOCOL)) {
          refuseUpgrade(socket, 400, `Offer ${PANEL_SUBPROTOCOL} with the token`);
          return true;
        }
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req, preAuth));
      return true;
    },
    async close() {
      unsubscribe();
      for (const ws of wss.clients) ws.close(1001, 'orchestrator shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const ws of wss.clients) ws.terminate();
    },
    get clients() {
      return live.size;
    },
    closeRevoked() {
      let n = 0;
      for (const [ws, session] of live) {
        if (personFor(session.token)) continue;
        live.delete(ws);
        n++;
        log.info({ person: session.actor.name }, 'panel token revoked: session closed');
        refuse(ws, 'AUTH_FAILED', 'token revoked: this session was closed; sign in with a live token', PANEL_CLOSE.authFailed);
      }
      return n;
    },
  };
}
