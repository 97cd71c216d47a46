// End to end through the real orchestrator (WAL, brain, adapter server, HTTP) on loopback:
// a source simulator and a target simulator converge on the same scene, byte for byte.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashing } from '../shared/canonical/index.js';
import { startOrchestrator, type Orchestrator } from '../electron/core/orchestrator.js';
import { toScene } from '../electron/core/brain/scene-model.js';
import { SimAdapter, type SimOptions } from '../adapters/sim/sim-adapter.js';

let dir: string;
let orch: Orchestrator;
const sims: SimAdapter[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vs-e2e-'));
  orch = await startOrchestrator({
    dataDir: dir,
    host: '127.0.0.1',
    port: 0,
    logger: pino({ level: 'silent' }),
    staticDir: join(dir, 'no-panel'),
  });
});
afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
  await orch.close();
  rmSync(dir, { recursive: true, force: true });
});

function sim(name: string, over: Partial<SimOptions>): SimAdapter {
  const token = over.token ?? orch.tokens.issue(over.roles?.includes('agent') ? 'agent' : 'adapter', name).token;
  const s = new SimAdapter({ url: orch.url, name, roles: ['target'], objects: 30, seed: 1, ...over, token });
  sims.push(s);
  return s;
}

const brainSceneHash = () => hashing.sceneHash(toScene(orch.brain.state.scene));

describe('headless orchestrator with simulators', () => {
  it('source mutations reach the target and commit: source, target and orchestrator hold the same scene', async () => {
    const target = sim('unity', { seed: 2 }); // starts with a different scene: the orchestrator must resync it
    const source = sim('blender', { roles: ['source'], targets: ['unity'], moving: 6 });
    await target.connect();
    await source.connect();
    await target.waitFor('resync');
    expect(target.sceneHash).toBe(source.sceneHash);

    for (let i = 0; i < 5; i++) source.streamFrame();
    await source.until(() => source.stats.acked >= 5, 'acks for 5 batches');
    await target.until(() => target.sceneHash === source.sceneHash && target.scene.openTransactions === 0, 'target converged');
    expect(target.committed).toBeGreaterThanOrEqual(1);
    expect(target.stats.rolledBack).toBe(0);
    expect(brainSceneHash()).toBe(source.sceneHash);
    expect(orch.healthz()).toMatchObject({ status: 'ok', orchestrator: 'RUNNING', engines: 2 });
  });

  it('a hash-mismatch target is rolled back and keeps the last good scene', async () => {
    const target = sim('unity', { scenario: 'hash-mismatch' });
    const source = sim('blender', { roles: ['source'], targets: ['unity'], moving: 3 });
    await target.connect();
    await source.connect();
    await target.waitFor('resync');
    const good = target.sceneHash;
    source.streamFrame();
    await target.waitFor('tx_rollback');
    expect(target.committed).toBe(0);
    expect(target.sceneHash).toBe(good);
  });

  it('a malformed frame from a handshaken adapter: typed error, PANIC for that engine, token revoked', async () => {
    const token = orch.tokens.issue('adapter', 'godot').token;
    const bad = sim('godot', { scenario: 'malformed', token });
    await bad.connect();
    const err = await bad.waitFor('error', (m) => m.body.code === 'MALFORMED_JSON');
    expect(err.body.code).toBe('MALFORMED_JSON');
    await bad.until(() => bad.closed !== null, 'closed by the orchestrator');
    const again = sim('godot', { token });
    await expect(again.connect()).rejects.toThrow(/AUTH_FAILED|PANIC/);
  });
});
