// The browser view's gateway over real loopback sockets. Transport behaviour (auth, origin, framing,
// payload caps) is tested against a small in-test ControlService that answers the way the core
// does; what a role may do is tested against the real core (startOrchestrator) at the end.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  ControlInputs,
  REQUIRED_ROLE,
  roleAllows,
  type ControlMethod,
  type PanelServerMessage,
  type PanelState,
  type PanelUpdate,
} from '../../../shared/ipc/index.js';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import { ManualClock } from '../../../test/support/manual-clock.js';
import { TokenStore } from '../auth/tokens.js';
import type { Actor, ControlService } from '../control/index.js';
import { startOrchestrator, type Orchestrator } from '../orchestrator.js';
import { createPanelGateway, type PanelGateway } from './panel-gateway.js';

class FakeControl implements ControlService {
  pending = ['p1', 'p2'];
  listeners = new Set<(u: PanelUpdate[]) => void>();
  async call<M extends ControlMethod>(actor: Actor, method: M, input: unknown) {
    const parsed = ControlInputs[method].safeParse(input);
    if (!parsed.success) throw new VibeSyncError('SCHEMA_VIOLATION', parsed.error.issues[0]?.message ?? 'bad');
    if (!roleAllows(actor.role, REQUIRED_ROLE[method]))
      throw new VibeSyncError('FORBIDDEN_ROLE', `${method} needs the ${REQUIRED_ROLE[method]} role`);
    if (method === 'approve') {
      const pids = (parsed.data as { pids: string[] }).pids;
      const approved = pids.filter((p) => this.pending.includes(p));
      this.pending = this.pending.filter((p) => !approved.includes(p));
      return { approved, missing: pids.filter((p) => !approved.includes(p)) } as never;
    }
    if (method === 'getState') return this.state(actor) as never;
    throw new VibeSyncError('INTERNAL', 'not in this fake');
  }
  state(actor: Actor): PanelState {
    return {
      orchestrator: { state: 'RUNNING', panic: null, walRecordsReplayed: 0, trustThreshold: 80, startedAt: 0, version: 't' },
      engines: [],
      pending: [],
      objects: { notClean: [], counts: { CLEAN: 0, PENDING: 0, DIRTY: 0, LOCKED: 0 } },
      audit: [],
      me: actor,
    };
  }
  subscribe(l: (u: PanelUpdate[]) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

let dir: string;
let server: Server;
let gateway: PanelGateway;
let control: FakeControl;
let tokens: TokenStore;
let clock: ManualClock;
let port: number;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vs-gw-'));
  mkdirSync(join(dir, 'renderer', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>VibeSync</title>');
  writeFileSync(join(dir, 'renderer', 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'do not serve');
  tokens = new TokenStore(join(dir, 'data'));
  control = new FakeControl();
  clock = new ManualClock();
  gateway = createPanelGateway({
    control,
    tokens,
    staticDir: join(dir, 'renderer'),
    logger: pino({ level: 'silent' }),
    clock,
    maxPayload: 64 * 1024,
  });
  server = createServer((req, res) => {
    if (!gateway.http(req, res)) res.writeHead(404).end();
  });
  server.on('upgrade', (req, socket, head) => {
    if (!gateway.upgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await gateway.close();
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

/** A client that queues every server message, so a test can await the next one. */
function client(opts: { origin?: string; protocols?: string[]; host?: string; port?: number } = {}) {
  const headers: Record<string, string> = {};
  if (opts.origin) headers.origin = opts.origin;
  if (opts.host) headers.host = opts.host;
  const ws = new WebSocket(`ws://127.0.0.1:${opts.port ?? port}/panel`, opts.protocols ?? [], { headers });
  sockets.push(ws);
  const inbox: PanelServerMessage[] = [];
  const waiters: ((m: PanelServerMessage) => void)[] = [];
  ws.on('message', (d) => {
    const m = JSON.parse(String(d)) as PanelServerMessage;
    const w = waiters.shift();
    if (w) w(m);
    else inbox.push(m);
  });
  const next = () =>
    new Promise<PanelServerMessage>((r) => {
      const m = inbox.shift();
      if (m) r(m);
      else waiters.push(r);
    });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
  const closed = new Promise<{ code: number; reason: string }>((r) =>
    ws.once('close', (code, reason) => r({ code, reason: String(reason) })),
  );
  let id = 0;
  const call = async (method: string, input: unknown) => {
    ws.send(JSON.stringify({ t: 'call', id: ++id, method, input }));
    return next();
  };
  return { ws, next, opened, closed, call };
}

async function signedIn(role: 'viewer' | 'reviewer' | 'lead', at: { tokens: TokenStore; port: number } = { tokens, port }) {
  const { token } = at.tokens.issue(role, `${role}-1`);
  const c = client({ origin: `http://127.0.0.1:${at.port}`, port: at.port });
  await c.opened;
  c.ws.send(JSON.stringify({ t: 'auth', token }));
  expect(await c.next()).toEqual({ t: 'welcome', me: { name: `${role}-1`, role } });
  return { ...c, token };
}

describe('panel gateway /panel', () => {
  it('hands the core’s FORBIDDEN_ROLE back to the viewer as a typed reply and keeps the session', async () => {
    const c = await signedIn('viewer');
    expect(await c.call('approve', { pids: ['p1'] })).toEqual({
      t: 'reply',
      id: 1,
      reply: { ok: false, error: { code: 'FORBIDDEN_ROLE', message: 'approve needs the reviewer role' }, serverNow: clock.now() },
    });
    expect(control.pending).toEqual(['p1', 'p2']);
    const state = await c.call('getState', {});
    expect(state.t === 'reply' && state.reply.ok && (state.reply.value as PanelState).me).toEqual({ name: 'viewer-1', role: 'viewer' });
  });

  it('lets a reviewer approve and pushes update batches to every signed-in client', async () => {
    const reviewer = await signedIn('reviewer');
    const viewer = await signedIn('viewer');
    expect(await reviewer.call('approve', { pids: ['p1', 'zz'] })).toEqual({
      t: 'reply',
      id: 1,
      reply: { ok: true, value: { approved: ['p1'], missing: ['zz'] }, serverNow: clock.now() },
    });
    for (const l of control.listeners) l([{ kind: 'pending_removed', pids: ['p1'] }]);
    expect(await viewer.next()).toEqual({ t: 'updates', updates: [{ kind: 'pending_removed', pids: ['p1'] }], serverNow: clock.now() });
    expect(await reviewer.next()).toEqual({ t: 'updates', updates: [{ kind: 'pending_removed', pids: ['p1'] }], serverNow: clock.now() });
  });

  it('stamps every reply and update with the orchestrator’s clock, not the caller’s', async () => {
    const c = await signedIn('viewer');
    clock.advance(3_600_000);
    expect(await c.call('getState', {})).toMatchObject({ t: 'reply', reply: { ok: true, serverNow: 1_700_003_600_000 } });
    expect(await c.call('approve', { pids: ['p1'] })).toMatchObject({ t: 'reply', reply: { ok: false, serverNow: 1_700_003_600_000 } });
    clock.advance(250);
    for (const l of control.listeners) l([{ kind: 'pending_removed', pids: ['p2'] }]);
    expect(await c.next()).toMatchObject({ t: 'updates', serverNow: 1_700_003_600_250 });
  });

  it('refuses a bad token with AUTH_FAILED and closes', async () => {
    const c = client();
    await c.opened;
    c.ws.send(JSON.stringify({ t: 'auth', token: 'vs_lead_' + 'A'.repeat(43) }));
    expect(await c.next()).toMatchObject({ t: 'refused', error: { code: 'AUTH_FAILED' } });
    expect((await c.closed).code).toBe(4401);
    expect(gateway.clients).toBe(0);
  });

  it('refuses adapter and agent tokens: the panel is for people', async () => {
    const { token } = tokens.issue('adapter', 'blender');
    const c = client();
    await c.opened;
    c.ws.send(JSON.stringify({ t: 'auth', token }));
    expect(await c.next()).toMatchObject({ t: 'refused', error: { code: 'AUTH_FAILED' } });
  });

  it('refuses a call before authentication, and a silent client after the auth timeout', async () => {
    const a = client();
    await a.opened;
    a.ws.send(JSON.stringify({ t: 'call', id: 1, method: 'getState', input: {} }));
    expect(await a.next()).toMatchObject({ t: 'refused', error: { code: 'AUTH_FAILED', message: 'authenticate first' } });
    const b = client();
    await b.opened;
    clock.advance(5000);
    expect(await b.next()).toMatchObject({ t: 'refused', error: { code: 'AUTH_FAILED', message: 'no token within the time allowed' } });
  });

  it('accepts the token in Sec-WebSocket-Protocol and refuses a bad one before upgrading', async () => {
    const { token } = tokens.issue('lead', 'lena');
    const good = client({ protocols: ['vibesync.panel', `vibesync.token.${token}`] });
    await good.opened;
    expect(good.ws.protocol).toBe('vibesync.panel');
    expect(await good.next()).toEqual({ t: 'welcome', me: { name: 'lena', role: 'lead' } });
    const bad = client({ protocols: ['vibesync.panel', `vibesync.token.vs_lead_${'B'.repeat(43)}`] });
    await expect(bad.opened).rejects.toThrow('HTTP 401');
  });

  it('refuses a cross-origin page and a rebinding host name with 403', async () => {
    await expect(client({ origin: 'http://evil.example' }).opened).rejects.toThrow('HTTP 403');
    await expect(client({ origin: `http://evil.example:${port}`, host: `evil.example:${port}` }).opened).rejects.toThrow('HTTP 403');
    expect(gateway.clients).toBe(0);
  });

  it('answers bad input with a typed error and keeps the session', async () => {
    const c = await signedIn('reviewer');
    expect(await c.call('approve', { pids: [] })).toMatchObject({ reply: { ok: false, error: { code: 'SCHEMA_VIOLATION' } } });
    expect(await c.call('approve', { pids: ['p1'], extra: 1 })).toMatchObject({
      reply: { ok: false, error: { code: 'SCHEMA_VIOLATION' } },
    });
    expect(await c.call('reject', { pids: ['p1'], reason: '' })).toMatchObject({
      reply: { ok: false, error: { code: 'SCHEMA_VIOLATION', message: expect.stringContaining('reason') } },
    });
    expect(await c.call('__proto__', {})).toMatchObject({
      reply: { ok: false, error: { code: 'SCHEMA_VIOLATION', message: 'unknown method "__proto__"' } },
    });
    expect(control.pending).toEqual(['p1', 'p2']);
    expect(((await c.call('approve', { pids: ['p2'] })) as { reply: unknown }).reply).toEqual({
      ok: true,
      value: { approved: ['p2'], missing: [] },
      serverNow: clock.now(),
    });
  });

  it('closes a socket that sends a frame that is not a panel message, or one over maxPayload', async () => {
    const a = await signedIn('viewer');
    a.ws.send('{"t":"call","id":1,');
    expect(await a.next()).toMatchObject({ t: 'refused', error: { code: 'SCHEMA_VIOLATION' } });
    expect((await a.closed).code).toBe(4400);
    const b = await signedIn('viewer');
    b.ws.send(JSON.stringify({ t: 'call', id: 1, method: 'queryAudit', input: { text: 'x'.repeat(70 * 1024), limit: 1 } }));
    expect((await b.closed).code).toBe(1009);
  });

  it('stops a socket whose token was revoked at its next call', async () => {
    const c = await signedIn('lead');
    tokens.revokeByName('lead-1');
    expect(await c.call('getState', {})).toMatchObject({ t: 'refused', error: { code: 'AUTH_FAILED', message: 'token revoked' } });
  });
});

describe('panel gateway against the real core', () => {
  let orch: Orchestrator;
  let data: string;
  beforeEach(async () => {
    data = mkdtempSync(join(tmpdir(), 'vs-gw-core-'));
    orch = await startOrchestrator({ dataDir: data, port: 0, staticDir: join(data, 'no-build'), logger: pino({ level: 'silent' }) });
  });
  afterEach(async () => {
    await orch.close();
    rmSync(data, { recursive: true, force: true });
  });

  it('lets a viewer watch, refuses its reviewer and lead calls (FORBIDDEN_ROLE) and changes nothing', async () => {
    const at = { tokens: orch.tokens, port: orch.port };
    const viewer = await signedIn('viewer', at);
    const before = orch.control.state({ name: 't', role: 'viewer' });
    expect(await viewer.call('approve', { pids: ['p-any'] })).toMatchObject({ reply: { ok: false, error: { code: 'FORBIDDEN_ROLE' } } });
    expect(await viewer.call('setTrustThreshold', { value: 10, reason: 'a viewer tries its luck' })).toMatchObject({
      reply: { ok: false, error: { code: 'FORBIDDEN_ROLE' } },
    });
    expect(await viewer.call('resetToken', { engine: 'blender', reason: 'a viewer tries its luck' })).toMatchObject({
      reply: { ok: false, error: { code: 'FORBIDDEN_ROLE' } },
    });
    const after = orch.control.state({ name: 't', role: 'viewer' });
    expect(after.orchestrator.trustThreshold).toBe(before.orchestrator.trustThreshold);
    expect(after.audit.map((e) => e.seq)).toEqual(before.audit.map((e) => e.seq));
    const state = await viewer.call('getState', {});
    expect(state.t === 'reply' && state.reply.ok && (state.reply.value as PanelState).me).toEqual({ name: 'viewer-1', role: 'viewer' });
  });

  it('lets a lead change the trust threshold, audited under the token’s name, and pushes it to a watching viewer', async () => {
    const at = { tokens: orch.tokens, port: orch.port };
    const viewer = await signedIn('viewer', at);
    const lead = await signedIn('lead', at);
    expect(await lead.call('setTrustThreshold', { value: 65, reason: 'the layout agent earned it' })).toMatchObject({
      reply: { ok: true, value: { value: 65 } },
    });
    let pushed: PanelUpdate[] = [];
    while (!pushed.some((u) => u.kind === 'orchestrator' && u.orchestrator.trustThreshold === 65)) {
      const m = await viewer.next();
      if (m.t === 'updates') pushed = m.updates;
    }
    expect(orch.control.state({ name: 't', role: 'viewer' }).audit[0]).toMatchObject({
      actor: 'lead-1',
      reason: 'the layout agent earned it',
    });
  });
});

describe('panel gateway static files', () => {
  const get = (path: string) =>
    new Promise<{ status: number; type?: string; csp?: string; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
        let body = '';
        res.on('data', (d) => {
          body += d;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers['content-type'],
            csp: res.headers['content-security-policy'] as string | undefined,
            body,
          }),
        );
      });
      req.on('error', reject);
      req.end();
    });

  it('serves the renderer with its CSP and content types', async () => {
    const index = await get('/');
    expect([index.status, index.type, index.body]).toEqual([200, 'text/html; charset=utf-8', '<!doctype html><title>VibeSync</title>']);
    expect(index.csp).toContain("default-src 'self'");
    expect(index.csp).toContain("frame-ancestors 'none'");
    const js = await get('/assets/app.js');
    expect([js.status, js.type]).toEqual([200, 'text/javascript; charset=utf-8']);
  });

  it('never serves a file outside the build, however the path is spelled', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/assets',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('do not serve');
    }
  });
});
