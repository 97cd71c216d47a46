// Fair sharing under valid floods (issue 9, item 6): a healthy source → target pair streams 20
// frames/s alone, then beside ten flooders that each send valid batch frames back to back. The
// figures are the pair's ack latency (median, p99) in both runs, their ratio, and the process's
// peak RSS during the flood, against the configured inbound bound (DEFAULT_SCHEDULER_LIMITS). The
// flooders and their sink run in a child process (test/support/flood-child.ts), as remote peers.
// Run: node --import tsx bench/run.ts flood
import { DEFAULT_SCHEDULER_LIMITS } from '../electron/core/transport/inbound-scheduler.js';
import { runFlood, type FloodResult } from '../test/support/flood.js';
import type { Figure } from './stats.js';
import { median, percentile, round } from './stats.js';

export async function benchFlood(): Promise<Figure[]> {
  // 400 frames (20 s) per run, so the p99 is the 4th-worst sample, not the 2nd: one fsync stall of
  // this machine's disk moves a 200-frame p99 by itself (BENCH_FLOOD_FRAMES)
  const pair = { pairFrames: Number(process.env.BENCH_FLOOD_FRAMES ?? 400), pairIntervalMs: 50, mutationsPerFrame: 10 };
  // Alone and flooded alternate, `rounds` times: on a shared machine one run's p99 is mostly its
  // noise, so each figure is the median over the rounds (BENCH_FLOOD_ROUNDS, default 3).
  const rounds = Math.max(1, Number(process.env.BENCH_FLOOD_ROUNDS ?? 3));
  const solo: FloodResult[] = [];
  const flood: FloodResult[] = [];
  for (let r = 0; r < rounds; r++) {
    const s = await runFlood({ ...pair, flooders: 0, framesEach: 0 });
    await s.h.stopAll();
    solo.push(s);
    // The flooders run in a process of their own, as remote peers would: this process measures the
    // orchestrator's fairness, not the cost of the flooders' own clients.
    const f = await runFlood({ ...pair, flooders: 10, framesEach: 1500, flooderProcess: true });
    await f.h.stopAll();
    flood.push(f);
  }
  const p99s = (runs: FloodResult[]) => runs.map((x) => percentile(x.pairAckMs, 99));
  const soloP99 = median(p99s(solo));
  const floodP99 = median(p99s(flood));
  const boundMiB = DEFAULT_SCHEDULER_LIMITS.maxTotalBytes / 1024 / 1024;
  const acks = flood.flatMap((f) => f.floodAcks);
  return [
    { name: 'pair_alone_ack_latency_p50', value: round(median(solo.map((x) => median(x.pairAckMs))), 2), unit: 'ms' },
    { name: 'pair_alone_ack_latency_p99', value: round(soloP99, 2), unit: 'ms', runs: p99s(solo).map((v) => round(v, 1)) },
    { name: 'pair_beside_10_flooders_ack_latency_p50', value: round(median(flood.map((x) => median(x.pairAckMs))), 2), unit: 'ms' },
    { name: 'pair_beside_10_flooders_ack_latency_p99', value: round(floodP99, 2), unit: 'ms', runs: p99s(flood).map((v) => round(v, 1)) },
    {
      name: 'pair_p99_flooded_vs_alone',
      value: round(floodP99 / soloP99, 2),
      unit: 'ratio',
      target: '≤ 2',
      note: `medians of ${rounds} alternating rounds`,
    },
    { name: 'flood_acks_min_max', value: Math.min(...acks), unit: 'acks', max: Math.max(...acks) },
    {
      name: 'flood_inbound_queue_peak',
      value: round(Math.max(...flood.map((f) => f.maxQueuedBytes)) / 1024 / 1024, 2),
      unit: 'MiB',
      boundMiB,
    },
    {
      name: 'flood_rss_peak',
      value: round(Math.max(...flood.map((f) => f.maxRssMiB)), 0),
      unit: 'MiB',
      aloneMiB: round(Math.max(...solo.map((f) => f.maxRssMiB)), 0),
    },
  ];
}
