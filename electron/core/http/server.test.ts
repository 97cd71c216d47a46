import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { EngineView, PanelState, PendingView } from '../../../shared/ipc/index.js';
import { TokenStore } from '../auth/tokens.js';
import { ManualClock } from '../../../test/support/manual-clock.js';
import { createAdapterServer } from '../transport/adapter-server.js';
import { RawClient } from '../../../test/support/raw-client.js';
import { RecordingBrain } from '../../../test/support/recording-brain.js';
import { createHeadlessServer, healthFromState, type HeadlessServer } from './server.js';

const engine = (name: string, state: EngineView['state']): EngineView => ({
  name,
  kind: 'blender',
  version: '3.4',
  roles: ['source'],
  state,
  generation: 1,
  lastHeartbeatAt: 1,
  latencyMs: 1,
  throughput: [],
  breaker: 'closed',
  trust: 50,
  quarantineUntil: null,
  panic: null,
  cannotHold: null,
});
const pendingItem: PendingView = {
  pid: 'p-secret-1',
  agent: 'claude',
  trust: 40,
  kind: 'edit',
  createdAt: 1,
  rationale: 'move the secret lamp',
  targets: ['unity'],
  subject: 'lamp',
  changes: [],
  script: null,
};

function panelState(over: Partial<PanelState['orchestrator']> = {}): PanelState {
  return {
    orchestrator: { state: 'RUNNING', panic: null, walRecordsReplayed: 12, trustThreshold: 100, startedAt: 1, version: '0.1.0', ...over },
    engines: [
      engine('blender-studio-7', 'HEALTHY'),
      { ...engine('unity', 'BUSY'), cannotHold: { message: 'rig: an armature', at: 1 } },
      engine('godot', 'DISCONNECTED'),
    ],
    pending: [pendingItem],
    objects: {
      notClean: [],
      counts: { CLEAN: 1, PENDING: 0, DIRTY: 0, LOCKED: 0 },
      notSynced: {
        total: 1,
        byKind: { armature: 1 },
        items: [{ id: 'rig', name: 'Rig', kind: 'armature', reason: 'armature: bones not synced' }],
      },
    },
    audit: [],
    me: { name: 'healthz', role: 'viewer' },
  };
}

let dir: string;
let server: HeadlessServer;
let state: PanelState;
let tokens: TokenStore;
let base: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vs-http-'));
  tokens = new TokenStore(dir);
  state = panelState();
  const logger = pino({ level: 'silent' });
  const adapter = createAdapterServer({ brain: new RecordingBrain(), tokens, clock: new ManualClock(), logger });
  server = createHeadlessServer({ host: '127.0.0.1', port: 0, logger, adapter, health: () => healthFromState(state) });
  const { port } = await server.listen();
  base = `http://127.0.0.1:${port}`;
});
afterEach(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('headless HTTP server', () => {
  it('GET /healthz reports state and counts', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'ok',
      orchestrator: 'RUNNING',
      engines: 2,
      pending: 1,
      panic: false,
      walRecordsReplayed: 12,
      version: '0.1.0',
      notSynced: { objects: 1, byKind: { armature: 1 } }, // counts only: no names or ids without authentication
      targetsNotHolding: 1,
    });
  });

  it('/healthz says panic when the orchestrator is in PANIC', async () => {
    state = panelState({ state: 'PANIC' });
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ status: 'panic', orchestrator: 'PANIC', panic: true });
  });

  it('/healthz carries no secrets: no token, engine name, proposal id or rationale', async () => {
    const lead = tokens.ensureFirstLead()!.token;
    const text = await (await fetch(`${base}/healthz`)).text();
    for (const secret of [lead, 'vs_', 'blender-studio-7', 'p-secret-1', 'secret lamp', 'claude']) expect(text).not.toContain(secret);
  });

  it('answers 404 for unknown paths and unknown upgrade paths', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    await expect(RawClient.open(`${base.replace('http', 'ws')}/elsewhere`)).rejects.toMatchObject({ status: 404 });
  });

  it('routes /adapter upgrades to the adapter server', async () => {
    const c = await RawClient.open(`${base.replace('http', 'ws')}/adapter`);
    c.send({ v: 1, id: 'x', session: null, gen: 0, ts: 0, type: 'ready', body: {} });
    expect((await c.next('error')).body.code).toBe('NOT_HANDSHAKEN');
    await c.waitClosed();
  });

  it('lets a mounted handler take its own HTTP paths and WebSocket upgrades', async () => {
    const wss = new WebSocketServer({ noServer: true });
    wss.on('connection', (ws) => ws.send(JSON.stringify({ type: 'hello-panel' })));
    server.mount({
      http(req, res) {
        if (!req.url?.startsWith('/panel')) return false;
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<h1>panel</h1>');
        return true;
      },
      upgrade(req, socket, head) {
        if (req.url !== '/panel/ws') return false;
        wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
        return true;
      },
      close: () =>
        new Promise<void>((r) => {
          for (const c of wss.clients) c.terminate();
          wss.close(() => r());
        }),
    });
    expect(await (await fetch(`${base}/panel/`)).text()).toBe('<h1>panel</h1>');
    const c = await RawClient.open(`${base.replace('http', 'ws')}/panel/ws`);
    await c.until(() => c.received.length === 1);
    expect(c.received[0]).toEqual({ type: 'hello-panel' });
    c.ws.terminate();
  });
});
