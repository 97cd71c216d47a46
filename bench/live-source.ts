// Child process of bench/pipeline.ts: the live lane's source, in a process of its own as a real
// engine is, so its frame work and the target's settle work do not queue behind each other in one
// event loop. Connects `bench-source` (seed 7, every object moving, live lane), prints `ready`,
// waits for `go` on stdin, streams `frames` frames at 60 Hz, and prints one line per frame:
// `sent <frame> <wall ms>`, where wall ms is performance.timeOrigin + performance.now() (the same
// clock in every process, so the parent can subtract it from its own). Then it waits until the
// orchestrator has settled the last frame and prints `settle <JSON>` with the send → `live_settled`
// latencies of the frames after `warm`, and exits.
// Usage: node --import tsx bench/live-source.ts <url> <token> <objects> <frames> <warm>
import { createInterface } from 'node:readline';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { benchSource } from './pipeline.js';
import { percentile } from './stats.js';

const [url, token, objectsArg, framesArg, warmArg] = process.argv.slice(2);
const objects = Number(objectsArg);
const frames = Number(framesArg);
const warm = Number(warmArg);
const wall = () => performance.timeOrigin + performance.now();

const source = new SimAdapter({ ...benchSource(url!, token!, objects), live: true });
await source.connect();
if (!source.liveGranted) throw new Error('the orchestrator did not grant the live lane');
process.stdout.write('ready\n');
await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));

const sentAt = new Float64Array(frames + 1);
const settle: number[] = [];
let settledUpTo = 0;
let sentUpTo = 0;
source.on('message', (m: { type: string; body: { frame?: number } }) => {
  if (m.type !== 'live_settled') return;
  const now = performance.now();
  for (let g = settledUpTo + 1; g <= m.body.frame! && g <= sentUpTo; g++) if (g > warm) settle.push(now - sentAt[g]!);
  settledUpTo = Math.max(settledUpTo, m.body.frame!);
});
const t0 = performance.now();
for (let f = 1; f <= frames; f++) {
  const due = t0 + ((f - 1) * 1000) / 60;
  while (performance.now() < due) await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
  sentAt[f] = performance.now();
  const moved = source.streamFrame();
  if (moved.length !== objects) throw new Error(`a live frame moved ${moved.length} objects, not ${objects}`);
  sentUpTo = f;
  process.stdout.write(`sent ${f} ${performance.timeOrigin + sentAt[f]!}\n`);
}
await source.until(() => settledUpTo >= frames, 'the whole stream settled', 60_000);
process.stdout.write(
  `settle ${JSON.stringify({ p50: percentile(settle, 50), p99: percentile(settle, 99), hash: source.sceneHash, at: wall() })}\n`,
);
await source.close();
