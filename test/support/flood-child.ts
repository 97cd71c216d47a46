// Child process of runFlood({ flooderProcess: true }): the flooders and their sink target, in a
// process of their own, as remote peers would be, so the orchestrator's process measures its own
// work and not the flooders' (serialising 15,000 frames, the sink's imports).
import type { Mutation } from '../../shared/protocol/index.js';
import { SimAdapter } from '../../adapters/sim/sim-adapter.js';

interface Setup {
  url: string;
  sinkToken: string;
  flooderTokens: string[];
  framesEach: number;
  mutationsPerFrame: number;
  objects: number;
}

const setup = JSON.parse(process.env.VS_FLOOD!) as Setup;
const sink = new SimAdapter({ url: setup.url, token: setup.sinkToken, name: 'sink', roles: ['target'] });
await sink.connect();
const flooders: SimAdapter[] = [];
for (const [f, token] of setup.flooderTokens.entries()) {
  // The same scene as the healthy source, so their initial snapshots agree with the orchestrator.
  const sim = new SimAdapter({
    url: setup.url,
    token,
    name: `flood-${f}`,
    roles: ['source'],
    targets: ['sink'],
    objects: setup.objects,
    seed: 7,
  });
  await sim.connect();
  flooders.push(sim);
}
const frame = (f: number, n: number): Mutation[] =>
  Array.from({ length: setup.mutationsPerFrame }, (_, k) => ({
    mid: `fl-${f}-${n}-${k}`,
    targets: ['sink'],
    op: 'set_transform' as const,
    objectId: `obj_${k % setup.objects}`,
    transform: { position: [n % 97, k, f] as [number, number, number] },
  }));

process.on('message', (m: string) => {
  if (m === 'go') {
    flooders.forEach((fl, f) => {
      for (let n = 0; n < setup.framesEach; n++) fl.send('batch', { mutations: frame(f, n) });
    });
  } else if (m === 'report') {
    process.send!({ floodAcks: flooders.map((f) => f.stats.acked) });
  } else if (m === 'stop') {
    for (const s of [sink, ...flooders]) s.crash();
    process.exit(0);
  }
});
process.send!({ ready: true });
