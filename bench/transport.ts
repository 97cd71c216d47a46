// Transport ingest: frames/s through the adapter server (ws receive, strict JSON, zod, envelope
// checks) into a brain that only counts. Client and server share this one process and its core,
// so the figure is a floor for what the transport alone can take.
// Run: node --import tsx bench/transport.ts
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { TokenStore } from '../electron/core/auth/tokens.js';
import { systemClock } from '../shared/clock.js';
import { createAdapterServer } from '../electron/core/transport/adapter-server.js';
import { RawClient } from '../test/support/raw-client.js';
import { RecordingBrain } from '../test/support/recording-brain.js';
import type { Figure } from './stats.js';
import { median, round } from './stats.js';

class CountingBrain extends RecordingBrain {
  count = 0;
  override message() {
    this.count++;
  }
}

function frame(session: string, i: number, perFrame: number): string {
  const mutations = Array.from({ length: perFrame }, (_, k) => ({
    mid: `m-${i}-${k}`,
    targets: ['unity'],
    op: 'set_transform',
    objectId: `obj_${k}`,
    transform: { position: [Math.sin(i + k), 1.25, Math.cos(i + k)] },
  }));
  const body = perFrame === 1 ? { mutation: mutations[0] } : { mutations };
  return JSON.stringify({ v: 1, id: `f-${i}`, session, gen: 1, ts: Date.now(), type: perFrame === 1 ? 'mutation' : 'batch', body });
}

async function ingest(perFrame: number, frames: number): Promise<{ framesPerSec: number; bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'vs-bench-transport-'));
  const tokens = new TokenStore(dir);
  const brain = new CountingBrain();
  const adapter = createAdapterServer({
    brain,
    tokens,
    clock: systemClock,
    logger: pino({ level: 'silent' }),
    rateLimit: { perSecond: 1e9, burst: 1e9 },
  });
  const http = createServer();
  http.on('upgrade', (req, socket, head) => adapter.handleUpgrade(req, socket, head));
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const c = await RawClient.open(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/adapter`);
  c.send({
    v: 1,
    id: 'hs',
    session: null,
    gen: 1,
    ts: 0,
    type: 'handshake',
    body: {
      token: tokens.issue('adapter', 'blender').token,
      name: 'blender',
      engine: { kind: 'sim', version: '1' },
      roles: ['source'],
      capabilities: [],
      generation: 1,
    },
  });
  const session = (await c.next('welcome')).session!;
  const texts = Array.from({ length: frames }, (_, i) => frame(session, i, perFrame));
  const t0 = performance.now();
  for (const t of texts) c.ws.send(t);
  await c.until(() => brain.count === frames, 'all frames');
  const seconds = (performance.now() - t0) / 1000;
  c.ws.terminate();
  await adapter.close();
  await new Promise((r) => http.close(r));
  rmSync(dir, { recursive: true, force: true });
  return { framesPerSec: frames / seconds, bytes: Buffer.byteLength(texts[0]!) };
}

export async function benchTransport(): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const [perFrame, frames] of [
    [1, 50_000],
    [100, 2_000],
  ] as const) {
    const runs: number[] = [];
    let bytes = 0;
    for (let r = 0; r < 3; r++) {
      const x = await ingest(perFrame, frames);
      runs.push(x.framesPerSec);
      bytes = x.bytes;
    }
    const fps = median(runs);
    out.push({
      name: `adapter server ingest, ${perFrame === 1 ? 'one mutation' : `batch of ${perFrame}`} per frame`,
      value: round(fps, 0),
      unit: 'frames/s',
      frameBytes: bytes,
      mutationsPerSec: round(fps * perFrame, 0),
    });
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const f of await benchTransport()) console.log(JSON.stringify(f));
}
