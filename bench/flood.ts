// Fair sharing under valid floods (issue 9, item 6): a healthy source → target pair streams 20
// frames/s alone, then beside ten flooders that each send valid batch frames back to back. The
// figures are the pair's ack latency (median, p99) in both runs, their ratio, and the process's
// peak RSS during the flood, against the configured inbound bound (DEFAULT_SCHEDULER_LIMITS). The
// flooders and their sink run in a child process (test/support/flood-child.ts), as remote peers.
// Run: node --import tsx bench/run.ts flood
import { DEFAULT_SCHEDULER_LIMITS } from '../electron/core/transport/inbound-scheduler.js';
import { runFlood } from '../test/support/flood.js';
import type { Figure } from './stats.js';
import { median, percentile, round } from './stats.js';

export async function benchFlood(): Promise<Figure[]> {
  // 200 frames, so the p99 is not just the second-worst sample
  const pair = { pairFrames: 200, pairIntervalMs: 50, mutationsPerFrame: 10 };
  const solo = await runFlood({ ...pair, flooders: 0, framesEach: 0 });
  await solo.h.stopAll();
  // The flooders run in a process of their own, as remote peers would: this process measures the
  // orchestrator's fairness, not the cost of the flooders' own clients.
  const flood = await runFlood({ ...pair, flooders: 10, framesEach: 1500, flooderProcess: true });
  await flood.h.stopAll();
  const soloP99 = percentile(solo.pairAckMs, 99);
  const floodP99 = percentile(flood.pairAckMs, 99);
  const boundMiB = DEFAULT_SCHEDULER_LIMITS.maxTotalBytes / 1024 / 1024;
  return [
    { name: 'pair_alone_ack_latency_p50', value: round(median(solo.pairAckMs), 2), unit: 'ms' },
    { name: 'pair_alone_ack_latency_p99', value: round(soloP99, 2), unit: 'ms' },
    { name: 'pair_beside_10_flooders_ack_latency_p50', value: round(median(flood.pairAckMs), 2), unit: 'ms' },
    { name: 'pair_beside_10_flooders_ack_latency_p99', value: round(floodP99, 2), unit: 'ms' },
    { name: 'pair_p99_flooded_vs_alone', value: round(floodP99 / soloP99, 2), unit: 'ratio', target: '≤ 2' },
    { name: 'flood_acks_min_max', value: Math.min(...flood.floodAcks), unit: 'acks', max: Math.max(...flood.floodAcks) },
    { name: 'flood_inbound_queue_peak', value: round(flood.maxQueuedBytes / 1024 / 1024, 2), unit: 'MiB', boundMiB },
    { name: 'flood_rss_peak', value: round(flood.maxRssMiB, 0), unit: 'MiB', aloneMiB: round(solo.maxRssMiB, 0) },
  ];
}
