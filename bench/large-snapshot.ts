// A large snapshot that contradicts the scene (issue 9 item 8): how long the orchestrator's event
// loop is held while it is read, parsed, validated, hashed and answered (a resync), decoded inline
// on the event loop (the ceiling: offloadBytes = Infinity) and in the frame worker (the default).
// The sender is a child process (snapshot-sender.ts), so the figures are the orchestrator's alone.
// Run: node --import tsx bench/run.ts large-snapshot   (BENCH_SNAPSHOT_OBJECTS, default 100000)
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { eventually, startHarness } from '../test/support/harness.js';
import type { Figure } from './stats.js';
import { round } from './stats.js';

interface Run {
  maxStallMs: number;
  p99StallMs: number;
  toResyncMs: number;
  megabytes: number;
}

async function once(objects: number, offloadBytes: number): Promise<Run> {
  const h = await startHarness({ offloadBytes });
  try {
    await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects: 100, seed: 3 });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'the initial scene adopted');
    await h.orch.brain.whenDurable();
    const { token } = h.orch.tokens.issue('adapter', 'unity');
    const child = fork(new URL('./snapshot-sender.ts', import.meta.url), {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, VS_URL: h.orch.url, VS_TOKEN: token, VS_OBJECTS: String(objects) },
    });
    const next = () => new Promise<{ ready?: number; resynced?: boolean }>((resolve) => child.once('message', resolve as never));
    const ready = await next();
    const histogram = monitorEventLoopDelay({ resolution: 5 });
    const start = performance.now();
    histogram.enable();
    child.send('go');
    await next();
    histogram.disable();
    const toResyncMs = performance.now() - start;
    child.kill();
    return { maxStallMs: histogram.max / 1e6, p99StallMs: histogram.percentile(99) / 1e6, toResyncMs, megabytes: (ready.ready ?? 0) / 1e6 };
  } finally {
    await h.stopAll();
  }
}

export async function benchLargeSnapshot(): Promise<Figure[]> {
  const objects = Number(process.env.BENCH_SNAPSHOT_OBJECTS ?? 100_000);
  const inline = await once(objects, Number.POSITIVE_INFINITY);
  const worker = await once(objects, 1024 * 1024);
  const tag = `${Math.round(objects / 1000)}k`;
  return [
    { name: `snapshot_${tag}_size`, value: round(worker.megabytes, 1), unit: 'MB' },
    { name: `snapshot_${tag}_inline_event_loop_stall_max`, value: round(inline.maxStallMs, 0), unit: 'ms' },
    { name: `snapshot_${tag}_inline_to_resync`, value: round(inline.toResyncMs, 0), unit: 'ms' },
    { name: `snapshot_${tag}_worker_event_loop_stall_max`, value: round(worker.maxStallMs, 0), unit: 'ms' },
    { name: `snapshot_${tag}_worker_event_loop_stall_p99`, value: round(worker.p99StallMs, 1), unit: 'ms' },
    { name: `snapshot_${tag}_worker_to_resync`, value: round(worker.toResyncMs, 0), unit: 'ms' },
    { name: `snapshot_${tag}_stall_worker_vs_inline`, value: round(worker.maxStallMs / inline.maxStallMs, 3), unit: 'ratio' },
  ];
}
