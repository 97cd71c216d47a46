// ControlApi over the browser view's WebSocket (/panel). Authenticates with the first message,
// correlates replies by id, and reconnects with back-off; a refused token is final (no retry loop).
// Reports the orchestrator's clock carried by each reply; update listeners get the push's serverNow.
import {
  CONTROL_METHODS,
  PANEL_CLOSE,
  PANEL_WS_PATH,
  type ControlApi,
  type ControlMethod,
  type ControlReply,
  type PanelServerMessage,
  type PanelUpdate,
  type PersonRole,
} from '../../../shared/ipc/index.js';
import type { ServerTimeSample } from '../store/index.js';
import { ControlError } from './control-error.js';

export interface WsClientEvents {
  onStatus(status: 'connecting' | 'live' | 'reconnecting' | 'refused', detail?: string): void;
  /** Called on every (re)connection once authenticated, so the caller can take a fresh snapshot. */
  onWelcome(me: { name: string; role: PersonRole }): void;
  /** The orchestrator's clock read from a reply, bracketed by when the call was sent and answered. */
  onServerTime?(sample: ServerTimeSample): void;
}

/** The part of the browser's WebSocket the client uses (tests pass a scripted one). */
export interface SocketLike {
  onopen: (() => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface WsClient {
  api: ControlApi;
  close(): void;
}

export const BACKOFF_MS = [500, 1000, 2000, 4000, 8000];
const browserSocket = (url: string) => new WebSocket(url) as unknown as SocketLike;

export function connectPanelSocket(
  url: string,
  token: string,
  events: WsClientEvents,
  openSocket: (url: string) => SocketLike = browserSocket,
): WsClient {
  const listeners = new Set<(u: PanelUpdate[], serverNow?: number) => void>();
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; sentAt: number }>();
  let socket: SocketLike | null = null;
  let live = false;
  let closed = false;
  let refused = false;
  let attempt = 0;
  let nextId = 1;

  const failAll = (why: string) => {
    for (const w of waiting.values()) w.reject(new ControlError('DISCONNECTED', why));
    waiting.clear();
  };

  const open = () => {
    events.onStatus(attempt === 0 ? 'connecting' : 'reconnecting');
    const ws = openSocket(url);
    socket = ws;
    ws.onopen = () => ws.send(JSON.stringify({ t: 'auth', token }));
    ws.onmessage = (ev) => {
      const msg = JSON.parse(String(ev.data)) as PanelServerMessage;
      if (msg.t === 'welcome') {
        live = true;
        attempt = 0;
        events.onStatus('live');
        events.onWelcome(msg.me);
      } else if (msg.t === 'updates') for (const l of listeners) l(msg.updates, msg.serverNow);
      else if (msg.t === 'reply') {
        const w = waiting.get(msg.id);
        waiting.delete(msg.id);
        if (w && typeof msg.reply.serverNow === 'number')
          events.onServerTime?.({ serverNow: msg.reply.serverNow, sentAt: w.sentAt, receivedAt: Date.now() });
        if (w) {
          if (msg.reply.ok) w.resolve(msg.reply.value);
          else w.reject(new ControlError(msg.reply.error.code, msg.reply.error.message));
        }
      } else if (msg.t === 'refused') {
        closed = true;
        refused = true;
        events.onStatus('refused', `${msg.error.code}: ${msg.error.message}`);
      }
    };
    ws.onclose = (ev) => {
      live = false;
      failAll('connection to the orchestrator lost');
      if (ev.code === PANEL_CLOSE.authFailed || ev.code === PANEL_CLOSE.forbiddenOrigin) closed = true;
      // A `refused` message already said why; the close reason would only repeat its code.
      if (closed) {
        if (ev.code !== 1000 && !refused) events.onStatus('refused', ev.reason || 'connection refused');
        return;
      }
      const delay = BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)];
      events.onStatus('reconnecting');
      setTimeout(open, delay);
    };
  };

  const call = (method: ControlMethod, input: unknown) =>
    new Promise((resolve, reject) => {
      if (!socket || !live) {
        reject(new ControlError('DISCONNECTED', 'not connected to the orchestrator'));
        return;
      }
      const id = nextId++;
      waiting.set(id, { resolve, reject, sentAt: Date.now() });
      socket.send(JSON.stringify({ t: 'call', id, method, input }));
    });

  const api: Record<string, unknown> = {
    onUpdate(listener: (u: PanelUpdate[], serverNow?: number) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  for (const method of CONTROL_METHODS) api[method] = (input: unknown) => call(method, input);
  open();
  return {
    api: api as ControlApi,
    close() {
      closed = true;
      failAll('closed');
      socket?.close(1000, 'bye');
    },
  };
}

/** The /panel URL on the same origin that served the page. */
export const panelSocketUrl = (loc: Location = window.location) =>
  `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}${PANEL_WS_PATH}`;

export type { ControlReply };
