import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startOrchestrator } from '../electron/core/orchestrator.js';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
const orch = await startOrchestrator({
  dataDir: mkdtempSync(join(tmpdir(), 'zz-')),
  port: 0,
  logger: pino({ level: 'warn' }),
  rateLimit: { perSecond: 1e7, burst: 1e7 },
  config: JSON.parse(process.env.CFG ?? '{}'),
});
const tok = (n: string) => orch.tokens.issue('adapter', n).token;
const target = new SimAdapter({ url: orch.url, token: tok('t'), name: 't', roles: ['target'], objects: 1000, seed: 7, live: true });
await target.connect();
const source = new SimAdapter({
  url: orch.url,
  token: tok('s'),
  name: 's',
  roles: ['source'],
  objects: 1000,
  seed: 7,
  moving: 1000,
  targets: ['t'],
  rate: 0,
  live: true,
});
await source.connect();
await target.waitFor('resync', () => true, 30000);
const sentAt: number[] = [];
const arr: Array<[number, number, number]> = [];
target.on('live', (f: number, recs: unknown[]) => arr.push([f, performance.now(), recs.length]));
const t0 = performance.now();
for (let f = 1; f <= 300; f++) {
  const due = t0 + ((f - 1) * 1000) / 60;
  while (performance.now() < due) await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
  sentAt[f] = performance.now();
  source.streamFrame();
}
await new Promise((r) => setTimeout(r, 1000));
console.log('frames at target', arr.length);
for (const [i, [f, t, n]] of arr.entries()) if (i < 5 || i % 30 === 0) console.log(f, n, (t - sentAt[f + 1]!).toFixed(2));
await source.close();
await target.close();
await orch.close();
