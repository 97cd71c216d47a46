// Test and bench support: valid flooders beside a healthy source → target pair, on one real
// orchestrator. Each flooder is an honest-looking source that sends valid `batch` frames back to
// back (within the rate limit's burst) to a sink target; the pair streams one frame every
// `pairIntervalMs`. Reports what each side got, the inbound queue's high-water mark and RSS.
import type { Mutation } from '../../shared/protocol/index.js';
import type { OrchestratorOptions } from '../../electron/core/orchestrator.js';
import { fork } from 'node:child_process';
import type { SimAdapter } from '../../adapters/sim/sim-adapter.js';
import { eventually, startHarness, type Harness } from './harness.js';

export interface FloodOptions {
  flooders: number;
  /** valid batch frames each flooder sends */
  framesEach: number;
  /** set_transforms per flooder frame */
  mutationsPerFrame: number;
  /** frames the healthy source streams, one every pairIntervalMs */
  pairFrames: number;
  pairIntervalMs: number;
  orchestrator?: Partial<OrchestratorOptions>;
  /** run the flooders and their sink in a child process, as remote peers (the bench); default: in this process */
  flooderProcess?: boolean;
}

export interface FloodResult {
  /** ms from send to ack, per healthy frame */
  pairAckMs: number[];
  pairCommitted: number;
  /** acks each flooder received */
  floodAcks: number[];
  /** the largest inbound queue seen, in bytes */
  maxQueuedBytes: number;
  maxRssMiB: number;
  /** trust of each flooder at the end */
  floodTrust: number[];
  h: Harness;
}

export async function runFlood(o: FloodOptions): Promise<FloodResult> {
  const h = await startHarness(o.orchestrator ?? {});
  const objects = 20;
  const unity = await h.sim({ name: 'unity', roles: ['target'] });
  if (!o.flooderProcess) await h.sim({ name: 'sink', roles: ['target'] });
  const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'], objects, seed: 7, moving: 10 });
  await eventually(() => h.orch.brain.state.scene.objects.size === objects, 'scene adopted', 10_000);
  if (o.flooderProcess) return runWithFlooderProcess(o, h, source, unity, objects);
  const flooders = [];
  for (let i = 0; i < o.flooders; i++) {
    // The same scene as the healthy source, so their initial snapshots agree with the orchestrator.
    flooders.push(await h.sim({ name: `flood-${i}`, roles: ['source'], targets: ['sink'], objects, seed: 7 }));
  }
  await h.orch.brain.whenDurable();

  let maxQueuedBytes = 0;
  let maxRss = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    maxQueuedBytes = Math.max(maxQueuedBytes, h.orch.inbound().queuedBytes);
    maxRss = Math.max(maxRss, process.memoryUsage.rss());
  }, 5);

  // Flooders: every frame is valid, each sent as soon as the socket takes it.
  const frame = (f: number, n: number): Mutation[] =>
    Array.from({ length: o.mutationsPerFrame }, (_, k) => ({
      mid: `fl-${f}-${n}-${k}`,
      targets: ['sink'],
      op: 'set_transform' as const,
      objectId: `obj_${k % objects}`,
      transform: { position: [n % 97, k, f] as [number, number, number] },
    }));
  flooders.forEach((fl, f) => {
    for (let n = 0; n < o.framesEach; n++) fl.send('batch', { mutations: frame(f, n) });
  });

  // The healthy pair streams at its own pace meanwhile.
  for (let i = 0; i < o.pairFrames; i++) {
    source.streamFrame();
    await new Promise((r) => setTimeout(r, o.pairIntervalMs));
  }
  await source.until(() => source.stats.acked >= o.pairFrames, 'every healthy frame acked', 120_000);
  await unity.until(() => unity.stats.committed > 0, 'the target committed', 60_000);
  clearInterval(sampler);
  return {
    pairAckMs: source.stats.ackLatencyMs.slice(),
    pairCommitted: unity.stats.committed,
    floodAcks: flooders.map((f) => f.stats.acked),
    maxQueuedBytes,
    maxRssMiB: maxRss / 1024 / 1024,
    floodTrust: flooders.map((f) => h.orch.brain.state.engines.get(f.name)?.trust ?? 50),
    h,
  };
}

async function runWithFlooderProcess(
  o: FloodOptions,
  h: Harness,
  source: SimAdapter,
  unity: SimAdapter,
  objects: number,
): Promise<FloodResult> {
  const names = Array.from({ length: o.flooders }, (_, i) => `flood-${i}`);
  const setup = {
    url: h.orch.url,
    sinkToken: h.orch.tokens.issue('adapter', 'sink').token,
    flooderTokens: names.map((n) => h.orch.tokens.issue('adapter', n).token),
    framesEach: o.framesEach,
    mutationsPerFrame: o.mutationsPerFrame,
    objects,
  };
  const child = fork(new URL('./flood-child.ts', import.meta.url), {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, VS_FLOOD: JSON.stringify(setup) },
  });
  const next = <T>() =>
    new Promise<T>((resolve, reject) => {
      child.once('message', (m) => resolve(m as T));
      child.once('exit', (code) => reject(new Error(`flood child exited (${code})`)));
    });
  try {
    await next<{ ready: true }>();
    await h.orch.brain.whenDurable();
    let maxQueuedBytes = 0;
    let maxRss = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      maxQueuedBytes = Math.max(maxQueuedBytes, h.orch.inbound().queuedBytes);
      maxRss = Math.max(maxRss, process.memoryUsage.rss());
    }, 5);
    child.send('go');
    for (let i = 0; i < o.pairFrames; i++) {
      source.streamFrame();
      await new Promise((r) => setTimeout(r, o.pairIntervalMs));
    }
    await source.until(() => source.stats.acked >= o.pairFrames, 'every healthy frame acked', 120_000);
    await unity.until(() => unity.stats.committed > 0, 'the target committed', 60_000);
    clearInterval(sampler);
    const report = next<{ floodAcks: number[] }>();
    child.send('report');
    const { floodAcks } = await report;
    return {
      pairAckMs: source.stats.ackLatencyMs.slice(),
      pairCommitted: unity.stats.committed,
      floodAcks,
      maxQueuedBytes,
      maxRssMiB: maxRss / 1024 / 1024,
      floodTrust: names.map((n) => h.orch.brain.state.engines.get(n)?.trust ?? 50),
      h,
    };
  } finally {
    child.removeAllListeners('exit');
    child.kill();
  }
}
