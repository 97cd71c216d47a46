// The orchestrator is REPLAYING, visibly, while it reads its WAL at start: the listener is up,
// /healthz says so (HTTP 503), adapters are refused with a typed TRANSIENT and close 1013 (try
// again later), the panel answers 503; once replay ends everything opens on the replayed state.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { startOrchestrator, type Orchestrator, type OrchestratorOptions } from '../electron/core/orchestrator.js';
import { openWal } from '../electron/core/wal/index.js';

let dir: string;
const open: Array<Orchestrator | SimAdapter> = [];

const options = (more: Partial<OrchestratorOptions> = {}): OrchestratorOptions => ({
  dataDir: dir,
  host: '127.0.0.1',
  port: 0,
  logger: pino({ level: 'silent' }),
  staticDir: join(dir, 'no-panel'),
  ...more,
});

async function until<T>(get: () => T | null | undefined | false, what: string, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`not reached within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vs-replaying-'));
});
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await (x instanceof SimAdapter ? x.close() : x.close());
  rmSync(dir, { recursive: true, force: true });
});

describe('orchestrator start: REPLAYING is observable', () => {
  it('/healthz says REPLAYING (503), adapters get TRANSIENT + close 1013 and the panel 503 until the WAL is replayed; then RUNNING on the replayed scene', async () => {
    // A first run leaves a scene in the WAL.
    const first = await startOrchestrator(options());
    const token = first.tokens.issue('adapter', 'blender').token;
    const source = new SimAdapter({ url: first.url, token, name: 'blender', roles: ['source'], targets: ['unity'], objects: 12, seed: 3 });
    await source.connect();
    await until(() => first.brain.state.sceneAdopted, 'scene adopted');
    await first.brain.whenDurable();
    const scene = JSON.stringify(first.brain.exportState().scene);
    await source.close();
    await first.close();

    // The second start is held inside WAL opening, after the listener is up.
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let address: { port: number; url: string } | null = null;
    const starting = startOrchestrator(
      options({
        onListening: (a) => {
          address = a;
        },
        openWal: async (walDir, o) => {
          await held;
          return openWal(walDir, o);
        },
      }),
    );
    const { port, url } = await until(() => address, 'listening');
    const base = `http://127.0.0.1:${port}`;

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    expect(health.headers.get('retry-after')).toBe('1');
    expect(await health.json()).toMatchObject({ status: 'replaying', orchestrator: 'REPLAYING', panic: false, engines: 0 });

    const early = new SimAdapter({ url, token, name: 'blender', roles: ['source'], targets: ['unity'], objects: 12, seed: 3 });
    await expect(early.connect()).rejects.toThrow(/^TRANSIENT: .*replaying its write-ahead log/);
    await early.until(() => early.closed !== null, 'closed');
    expect(early.closed?.code).toBe(1013);

    const panel = await fetch(`${base}/`);
    expect(panel.status).toBe(503);
    expect(panel.headers.get('x-vibesync-error')).toBe('TRANSIENT');

    release();
    const orch = await starting;
    open.push(orch);
    const after = await fetch(`${base}/healthz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toMatchObject({ status: 'ok', orchestrator: 'RUNNING', walRecordsReplayed: expect.any(Number) });
    expect(orch.healthz().walRecordsReplayed).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(orch.brain.exportState().scene)).toBe(scene);

    const later = new SimAdapter({ url, token, name: 'blender', roles: ['source'], targets: ['unity'], objects: 12, seed: 3 });
    open.push(later);
    await expect(later.connect()).resolves.toMatchObject({ type: 'welcome' });
  });

  it('a data folder another orchestrator holds is refused (WAL_LOCKED) before anything listens; a WAL that fails to open closes the listener it opened and rethrows', async () => {
    const first = await startOrchestrator(options());
    open.push(first);
    let port = 0;
    const onListening = (a: { port: number }) => {
      port = a.port;
    };
    await expect(startOrchestrator(options({ onListening }))).rejects.toMatchObject({ code: 'WAL_LOCKED' });
    expect(port).toBe(0);
    await first.close();
    open.length = 0;

    const broken = Object.assign(new Error('EIO: i/o error, open wal'), { code: 'EIO' });
    await expect(startOrchestrator(options({ onListening, openWal: () => Promise.reject(broken) }))).rejects.toBe(broken);
    expect(port).toBeGreaterThan(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
