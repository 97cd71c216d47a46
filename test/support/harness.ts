// Test support: a real orchestrator on 127.0.0.1 port 0 in a fresh data folder, plus simulators
// connected to it with their own tokens. Everything started here is closed by `stopAll()`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SimAdapter, type SimOptions } from '../../adapters/sim/sim-adapter.js';
import type { Clock } from '../../shared/clock.js';
import { startOrchestrator, type Orchestrator, type OrchestratorOptions } from '../../electron/core/orchestrator.js';

export interface Harness {
  dir: string;
  orch: Orchestrator;
  sims: SimAdapter[];
  sim(opts: Omit<SimOptions, 'url' | 'token'> & { tokenRole?: 'adapter' | 'agent' }): Promise<SimAdapter>;
  restart(extra?: Partial<OrchestratorOptions>): Promise<Orchestrator>;
  stopAll(): Promise<void>;
}

export async function startHarness(extra: Partial<OrchestratorOptions> & { clock?: Clock } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-brain-'));
  const base = (): OrchestratorOptions => ({
    dataDir: dir,
    port: 0,
    logger: pino({ level: 'silent' }),
    staticDir: join(dir, 'no-panel'),
    ...extra,
  });
  const h: Harness = {
    dir,
    orch: await startOrchestrator(base()),
    sims: [],
    async sim(opts) {
      const { token } = h.orch.tokens.issue(opts.tokenRole ?? (opts.roles.includes('agent') ? 'agent' : 'adapter'), opts.name);
      const s = new SimAdapter({ ...opts, url: h.orch.url, token });
      h.sims.push(s);
      await s.connect();
      return s;
    },
    async restart(more = {}) {
      h.orch = await startOrchestrator({ ...base(), ...more });
      return h.orch;
    },
    async stopAll() {
      for (const s of h.sims) s.crash();
      await h.orch.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Resolves once `pred()` holds, polling on the event loop (no fixed sleeps). */
export async function eventually(pred: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`not reached within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}
