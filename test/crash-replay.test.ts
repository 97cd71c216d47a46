// Orchestrator Crash, for real: a headless orchestrator in its own process is killed with SIGKILL
// at a random moment while a source streams batches, then restarted on the same data folder,
// again and again. After every restart the recovered scene (what a fresh target is resynced
// with) must hold every acknowledged batch, or a later one, and no batch only in part.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mutation, Scene } from '../shared/protocol/index.js';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { prng } from '../adapters/sim/scene-gen.js';

const CHILD = new URL('./crash-child.ts', import.meta.url).pathname;
/** the objects every batch moves, all together: a batch half applied would leave them disagreeing */
const MOVED = ['obj_1', 'obj_2', 'obj_3', 'obj_4', 'obj_5'];
const ROUNDS = Number(process.env.CRASH_ROUNDS ?? 25);
/** every other round snapshots and compacts every this many records, so kills land in those too */
const SMALL_COMPACT_EVERY = 20;

let dir: string;
const children: ChildProcess[] = [];
const sims: SimAdapter[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vs-crash-'));
});
afterEach(() => {
  for (const s of sims.splice(0)) s.crash();
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Child {
  proc: ChildProcess;
  url: string;
  tokens: { source: string; target: string };
}

async function startChild(compactEvery?: number): Promise<Child> {
  const args = ['--import', 'tsx', CHILD, dir, ...(compactEvery ? [String(compactEvery)] : [])];
  const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let stderr = '';
  proc.stderr!.on('data', (d) => {
    stderr += d;
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: proc.stdout! }).once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`orchestrator child exited ${code}:\n${stderr}`)));
  });
  const info = JSON.parse(line) as { port: number; tokens: Child['tokens'] };
  return { proc, url: `ws://127.0.0.1:${info.port}/adapter`, tokens: info.tokens };
}

const batchOf = (n: number): Mutation[] =>
  MOVED.map((objectId, j) => ({
    mid: `b${n}-${j}`,
    targets: ['unity'],
    op: 'set_transform',
    objectId,
    transform: { position: [n, j, 0.5] },
  }));

describe('Orchestrator Crash (kill -9)', () => {
  it(
    `Orchestrator Crash: kill -9 mid-stream, ${ROUNDS} times: after each restart no acknowledged mutation is missing and none is half-applied`,
    async () => {
      const random = prng(20240611);
      let nextBatch = 1;
      let maxAcked = 0;
      let totalAcked = 0;
      const kills: number[] = [];
      const snapshots = new Set<string>();
      for (let round = 1; round <= ROUNDS + 1; round++) {
        const child = await startChild(round % 2 === 0 ? SMALL_COMPACT_EVERY : undefined);
        const target = new SimAdapter({ url: child.url, token: child.tokens.target, name: 'unity', roles: ['target'] });
        sims.push(target);
        await target.connect();
        if (round > 1) {
          // The recovered state, as the orchestrator resyncs a fresh target with it.
          const { body } = await target.waitFor('resync');
          const positions = MOVED.map((id) => body.scene.objects.find((o) => o.id === id)!.transform.position);
          const batch = positions[0]![0];
          const context = `round ${round}, kills after ${kills.join(', ')} ms; last acknowledged batch ${maxAcked}, last sent ${nextBatch - 1}`;
          expect(positions, `all-or-nothing: ${context}`).toEqual(MOVED.map((_, j) => [batch, j, 0.5]));
          expect(batch, `acknowledged batch lost: ${context}`).toBeGreaterThanOrEqual(maxAcked);
          expect(batch, context).toBeLessThan(nextBatch);
          checkScene(body.scene);
          if (process.env.CRASH_DEBUG) console.log({ round, recovered: batch, maxAcked, lastSent: nextBatch - 1 });
        }
        if (round === ROUNDS + 1) break;

        // Bounds-only meshes: its snapshot goes out on welcome, before the first batch (blob uploads: electron/core/blobs).
        const source = new SimAdapter({
          url: child.url,
          token: child.tokens.source,
          name: 'blender',
          roles: ['source'],
          targets: ['unity'],
          geometry: false,
        });
        sims.push(source);
        await source.connect();
        if (round === 1) await target.waitFor('resync');
        const sent = new Map<string, number>();
        source.on('message', (m: { type: string; body: { ref?: string } }) => {
          const n = m.type === 'ack' ? sent.get(m.body.ref!) : undefined;
          if (n !== undefined) {
            maxAcked = Math.max(maxAcked, n);
            totalAcked++;
          }
        });
        const exited = new Promise((r) => child.proc.once('exit', r));
        const killAfter = Math.round(40 + random() * 300);
        kills.push(killAfter);
        setTimeout(() => child.proc.kill('SIGKILL'), killAfter);
        while (child.proc.exitCode === null && child.proc.signalCode === null && source.closed === null) {
          const n = nextBatch++;
          sent.set(source.send('batch', { mutations: batchOf(n) }), n);
          await new Promise((r) => setTimeout(r, 1));
        }
        await exited;
        for (const f of readdirSync(join(dir, 'wal'))) if (/^snapshot-\d+\.json$/.test(f)) snapshots.add(f);
        await source.until(() => source.closed !== null && target.closed !== null, 'sockets closed by the kill');
      }
      expect(kills).toHaveLength(ROUNDS);
      expect(totalAcked).toBeGreaterThan(ROUNDS); // the kills really fell in the middle of acknowledged streams
      expect(snapshots.size).toBeGreaterThan(ROUNDS / 4); // and compactions ran between them (every other round)
    },
    Math.max(120_000, ROUNDS * 5_000),
  );
});

/** The rest of the scene is the source's initial one: a crash left no stray object behind. */
function checkScene(scene: Scene) {
  expect(scene.objects.map((o) => o.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `obj_${i}`).sort());
}
