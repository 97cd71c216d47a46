// The MCP server's connection to the orchestrator, as an `agent` (protocol v1 over a WebSocket).
// It reconnects with exponential back-off for as long as it runs; while it is down every call fails
// at once with a sentence that says so (the MCP tool turns it into an error result), never a hang.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import {
  OrchestratorMessage,
  PROTOCOL_VERSION,
  type AdapterMessage,
  type BodyOf,
  type OrchestratorMessage as Incoming,
} from '../../shared/protocol/index.js';

export type Log = (level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) => void;

export interface LinkOptions {
  url: string;
  token: string;
  /** the agent's engine name (the token is bound to it) */
  name: string;
  log?: Log;
  /** back-off: first delay and cap, ms */
  minDelayMs?: number;
  maxDelayMs?: number;
  /** how long a call waits for a connection that is not up yet, before it fails as unreachable */
  connectWaitMs?: number;
  /** how long one request waits for its answer */
  requestTimeoutMs?: number;
}

export type ScenePage = BodyOf<Incoming, 'scene_page'>;
export interface ProposalState {
  status: BodyOf<Incoming, 'proposal_status'>['status'];
  reason: string;
}

/** A refusal from the orchestrator, with its typed code. */
export class RefusedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}
/** The orchestrator cannot be reached now (the link keeps retrying). */
export class UnreachableError extends Error {}

type Waiter = { match: (m: Incoming) => boolean; resolve: (m: Incoming) => void; reject: (e: Error) => void };

export class AgentLink {
  private ws: WebSocket | null = null;
  private session: string | null = null;
  private connected = false;
  private closed = false;
  private attempt = 0;
  private seq = 0;
  private lastError = 'not connected yet';
  private heartbeat: NodeJS.Timeout | null = null;
  private retry: NodeJS.Timeout | null = null;
  private readonly waiters = new Set<Waiter>();
  /** the latest status of every proposal this server sent or re-sent, by pid */
  readonly proposals = new Map<string, ProposalState>();
  private readonly statusListeners = new Set<(pid: string) => void>();
  private readonly connectListeners = new Set<() => void>();

  constructor(private readonly opts: LinkOptions) {}

  get isConnected() {
    return this.connected;
  }

  start() {
    this.closed = false;
    this.open();
  }

  close() {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.drop('closed');
    this.ws?.terminate();
  }

  private log(level: 'info' | 'warn' | 'error', msg: string, data?: Record<string, unknown>) {
    this.opts.log?.(level, msg, data);
  }

  private open() {
    if (this.closed) return;
    const ws = new WebSocket(this.opts.url);
    this.ws = ws;
    ws.on('open', () => {
      this.sendRaw(ws, 'handshake', {
        token: this.opts.token,
        name: this.opts.name,
        engine: { kind: 'mcp', version: '1' },
        roles: ['agent'],
        capabilities: [],
        generation: 0,
      });
    });
    ws.on('message', (data) => this.onFrame(ws, String(data)));
    ws.on('error', (e) => {
      this.lastError = e.message;
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      if (this.connected) this.log('warn', 'orchestrator connection lost', { code, reason: String(reason) });
      this.drop(`connection closed (${code}${reason.length ? ` ${String(reason)}` : ''})`);
      this.schedule();
    });
  }

  private schedule() {
    if (this.closed) return;
    const min = this.opts.minDelayMs ?? 200;
    const max = this.opts.maxDelayMs ?? 10_000;
    const delay = Math.min(max, min * 2 ** this.attempt++) * (0.8 + Math.random() * 0.4);
    this.retry = setTimeout(() => this.open(), delay);
  }

  private drop(why: string) {
    if (this.connected) this.lastError = why;
    this.connected = false;
    this.session = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const w of this.waiters) w.reject(new UnreachableError(`the orchestrator connection dropped: ${why}`));
    this.waiters.clear();
  }

  private onFrame(ws: WebSocket, text: string) {
    let m: Incoming;
    try {
      const parsed = OrchestratorMessage.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(parsed.error.message);
      m = parsed.data;
    } catch (e) {
      this.log('warn', 'unreadable frame from the orchestrator', { err: String(e).slice(0, 200) });
      return;
    }
    if (m.type === 'welcome') {
      this.session = m.session;
      this.connected = true;
      this.attempt = 0;
      this.log('info', 'connected to the orchestrator', { url: this.opts.url, name: m.body.name });
      let beat = 0;
      this.heartbeat = setInterval(() => this.sendRaw(ws, 'heartbeat', { seq: ++beat }), m.body.heartbeatMs);
      this.heartbeat.unref();
      for (const l of this.connectListeners) l();
      return;
    }
    if (m.type === 'error' && !this.connected) {
      this.lastError = `${m.body.code}: ${m.body.message}`;
      this.log('error', 'the orchestrator refused the handshake', { code: m.body.code, message: m.body.message });
    }
    if (m.type === 'proposal_status') {
      this.proposals.set(m.body.pid, { status: m.body.status, reason: m.body.reason });
      for (const l of this.statusListeners) l(m.body.pid);
    }
    for (const w of [...this.waiters])
      if (w.match(m)) {
        this.waiters.delete(w);
        w.resolve(m);
      }
  }

  private sendRaw<T extends AdapterMessage['type']>(ws: WebSocket, type: T, body: BodyOf<AdapterMessage, T>): string {
    const id = `mcp-${++this.seq}`;
    const msg = { v: PROTOCOL_VERSION, id, session: type === 'handshake' ? null : this.session, gen: 0, ts: Date.now(), type, body };
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
    return id;
  }

  private unreachable(): UnreachableError {
    return new UnreachableError(
      `the VibeSync orchestrator at ${this.opts.url} is not reachable now (${this.lastError}); this server reconnects on its own, try again shortly`,
    );
  }

  /** Waits up to `ms` for the link to be up (a call right after start, or during a reconnect). */
  private whenConnected(ms: number): Promise<void> {
    if (this.connected || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.connectListeners.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.connectListeners.add(done);
    });
  }

  /** Sends `type` and resolves with the first answer `match` accepts, or rejects with the typed error naming it. */
  private async request<T extends AdapterMessage['type']>(
    type: T,
    body: BodyOf<AdapterMessage, T>,
    match: (m: Incoming, id: string) => boolean,
  ): Promise<Incoming> {
    await this.whenConnected(this.opts.connectWaitMs ?? 3000);
    const ws = this.ws;
    if (!this.connected || !ws) return Promise.reject(this.unreachable());
    return new Promise((resolve, reject) => {
      let id = '';
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new UnreachableError(`the orchestrator did not answer ${type} within ${this.opts.requestTimeoutMs ?? 10_000} ms`));
      }, this.opts.requestTimeoutMs ?? 10_000);
      const w: Waiter = {
        match: (m) => (m.type === 'error' && m.body.ref === id) || match(m, id),
        resolve: (m) => {
          clearTimeout(timer);
          if (m.type === 'error') reject(new RefusedError(m.body.code, m.body.message));
          else resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
      this.waiters.add(w);
      id = this.sendRaw(ws, type, body as never);
    });
  }

  async scenePage(objectIds: string[] | null, cursor: string | null, limit: number): Promise<ScenePage> {
    const m = await this.request('scene_request', { objectIds, cursor, limit }, (x, id) => x.type === 'scene_page' && x.body.ref === id);
    return (m as Extract<Incoming, { type: 'scene_page' }>).body;
  }

  /** The orchestrator scanner's verdict on a script; nothing is recorded. */
  async checkScript(code: string): Promise<BodyOf<Incoming, 'script_verdict'>> {
    const m = await this.request('script_check', { language: 'python', code }, (x, id) => x.type === 'script_verdict' && x.body.ref === id);
    return (m as Extract<Incoming, { type: 'script_verdict' }>).body;
  }

  /** Sends a proposal; resolves with its first status (pending, or the current one of an idempotent re-send). */
  async propose(body: BodyOf<AdapterMessage, 'proposal'>): Promise<ProposalState> {
    const m = await this.request('proposal', body, (x) => x.type === 'proposal_status' && x.body.pid === body.pid);
    const b = (m as Extract<Incoming, { type: 'proposal_status' }>).body;
    return { status: b.status, reason: b.reason };
  }

  /** Resolves when `pid` reaches a status `done` accepts, or with its latest status after `timeoutMs`. */
  waitFor(pid: string, done: (s: ProposalState) => boolean, timeoutMs: number): Promise<ProposalState | undefined> {
    const now = this.proposals.get(pid);
    if (now && done(now)) return Promise.resolve(now);
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(timer);
        this.statusListeners.delete(listener);
        resolve(this.proposals.get(pid));
      };
      const listener = (p: string) => {
        const s = this.proposals.get(pid);
        if (p === pid && s && done(s)) finish();
      };
      const timer = setTimeout(finish, timeoutMs);
      this.statusListeners.add(listener);
    });
  }

  static newPid(prefix: string): string {
    return `${prefix}-${randomUUID().slice(0, 12)}`;
  }
}
