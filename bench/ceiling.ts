// The machine's ceiling for the durable pipeline, measured in the same run as the figures it
// judges: strict parse + zod validation + canonical tx hash + group-committed WAL append,
// one process, no sockets. Pipeline figures are reported as a ratio to this.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeHashing } from '../shared/canonical/index.js';
import { AdapterMessage, parseStrictJson, type SceneObject } from '../shared/protocol/index.js';
import { openWal } from '../electron/core/wal/index.js';
import { type Figure, medianOf, round } from './stats.js';

const hashing = makeHashing((t) => createHash('sha256').update(t).digest('hex'));

export function sampleMutationFrame(i: number): string {
  return JSON.stringify({
    v: 1,
    id: `m${i}`,
    session: 's-bench',
    gen: 1,
    ts: 1_764_000_000_000 + i,
    type: 'mutation',
    body: {
      mutation: {
        mid: `mut-${i}`,
        targets: ['target-1'],
        op: 'set_transform',
        objectId: `obj-${i % 1000}`,
        transform: {
          position: [Math.sin(i) * 10, 1.5, Math.cos(i) * 10],
          rotation: [0, Math.sin(i / 2), 0, Math.cos(i / 2)],
          scale: [1, 1, 1],
        },
      },
    },
  });
}

const base: SceneObject = {
  id: 'obj-0',
  name: 'Cube',
  type: 'mesh',
  parent: null,
  transform: { position: [0, 0, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
  mesh: { vertexCount: 8, faceCount: 6, geometryHash: 'a'.repeat(64), bounds: { min: [-1, -1, -1], max: [1, 1, 1] } },
  materials: [],
};

/** msgs/s through parse + validate + hash + WAL with one commit per `group` messages. */
export async function ceilingRate(total = 50_000, group = 100): Promise<number> {
  const frames = Array.from({ length: total }, (_, i) => sampleMutationFrame(i));
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-ceiling-'));
  const { log } = await openWal(dir);
  try {
    const t0 = performance.now();
    for (let i = 0; i < total; i += group) {
      const records = [];
      for (let j = i; j < Math.min(total, i + group); j++) {
        const msg = AdapterMessage.parse(parseStrictJson(frames[j]!));
        if (msg.type !== 'mutation' || msg.body.mutation.op !== 'set_transform') throw new Error('unexpected');
        const m = msg.body.mutation;
        const after = { ...base, id: m.objectId, transform: { ...base.transform, ...m.transform } } as SceneObject;
        hashing.txHash({ objects: { [m.objectId]: after }, materials: {} });
        records.push({ t: 'mutation', source: 'bench', mutations: [m] });
      }
      await log.appendMany(records);
    }
    return total / ((performance.now() - t0) / 1000);
  } finally {
    await log.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchCeiling(): Promise<Figure[]> {
  const rate = await medianOf(3, () => ceilingRate());
  return [
    {
      name: 'ceiling_parse_validate_hash_wal',
      value: round(rate, 0),
      unit: 'msgs/s',
      note: 'one process, fsync per 100 messages; design brief: ~76k/s',
    },
  ];
}
