// The GDScript core on real headless Godot 3 (godot3-server 3.2.3), no orchestrator: the golden
// vectors (canonical JSON and scene hashes, VSM1 mesh blobs, live-lane frames) computed in GDScript
// equal data/golden/*.json byte for byte (every frame a reader must refuse is refused), and the
// editor dock's script loads.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runGodotScript } from './testing/godot-process.js';
import { LIVE_VECTORS, MESH_VECTORS, VECTORS } from './testing/godot-suite.js';
import { skipWithoutGodot } from './testing/require-godot.js';

const skip = skipWithoutGodot('Godot golden-vector tests (adapters/godot/godot-vectors.test.ts)');

interface Vector {
  name: string;
  kind: string;
  canonical: string;
  sha256: string;
}

interface MeshVector {
  name: string;
  blob: string;
  sha256: string;
  summary: unknown;
}

describe.skipIf(skip)('GDScript canonical core in godot3-server', () => {
  it('reproduces every golden vector byte for byte', () => {
    const vectors = (JSON.parse(readFileSync(VECTORS, 'utf8')) as { vectors: Vector[] }).vectors;
    const meshes = (JSON.parse(readFileSync(MESH_VECTORS, 'utf8')) as { vectors: MeshVector[] }).vectors;
    const run = runGodotScript('res://tests/golden.gd', [VECTORS, MESH_VECTORS]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const got = new Map<string, { canonical: string; sha256: string }>();
    for (const line of run.stdout.split('\n')) {
      const [tag, name, canonical, sha256] = line.trim().split(' ');
      if (tag !== 'VIBESYNC_GOLDEN') continue;
      got.set(Buffer.from(name!, 'hex').toString('utf8'), { canonical: Buffer.from(canonical!, 'hex').toString('utf8'), sha256: sha256! });
    }
    expect(run.stdout).toContain(`VIBESYNC_DONE ${vectors.length + meshes.length}`);
    expect(run.stdout).toContain('VIBESYNC_DOCK_LOADS True');
    expect(vectors.length).toBeGreaterThan(10);
    for (const v of vectors) {
      expect(got.get(v.name), v.name).toEqual({ canonical: v.canonical, sha256: v.sha256 });
    }
    // VSM1 mesh blobs: encoded in GDScript from the input, decoded and encoded again, and built into
    // an ArrayMesh whose surfaces, read back, encode to the very same bytes
    const mesh = new Map<string, string[]>();
    for (const line of run.stdout.split('\n')) {
      const [tag, name, ...rest] = line.trim().split(' ');
      if (tag === 'VIBESYNC_MESH') mesh.set(Buffer.from(name!, 'hex').toString('utf8'), rest);
    }
    expect(meshes.length).toBeGreaterThanOrEqual(3);
    for (const v of meshes) {
      const [blob, sha256, summary, again, held] = mesh.get(v.name) ?? [];
      expect({ blob, sha256 }, v.name).toEqual({ blob: v.blob, sha256: v.sha256 });
      expect(JSON.parse(summary!), v.name).toEqual(v.summary);
      expect(again, `${v.name}: decoded and encoded again`).toBe(v.blob);
      expect(held, `${v.name}: built into an ArrayMesh and read back`).toBe(v.blob);
    }
  });
});

describe.skipIf(skip)('GDScript live-lane frames in godot3-server (core/live.gd)', () => {
  it('encodes and decodes every live vector byte for byte, and refuses every frame a reader must refuse', () => {
    const file = JSON.parse(readFileSync(LIVE_VECTORS, 'utf8')) as {
      vectors: { name: string; frame: unknown; hex: string }[];
      invalid: { name: string; hex: string }[];
    };
    const run = runGodotScript('res://tests/live_golden.gd', [LIVE_VECTORS]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`VIBESYNC_DONE ${file.vectors.length + file.invalid.length}`);
    const lines = new Map<string, string[]>();
    for (const line of run.stdout.split('\n')) {
      const [tag, name, ...rest] = line.trim().split(' ');
      if (tag === 'VIBESYNC_LIVE' || tag === 'VIBESYNC_LIVE_REFUSED')
        lines.set(`${tag} ${Buffer.from(name!, 'hex').toString('utf8')}`, rest);
    }
    expect(file.vectors.length).toBeGreaterThanOrEqual(3);
    for (const v of file.vectors) {
      const [bytes, decoded] = lines.get(`VIBESYNC_LIVE ${v.name}`) ?? [];
      expect(bytes, `${v.name}: encoded`).toBe(v.hex);
      expect(JSON.parse(decoded!), `${v.name}: decoded`).toEqual(v.frame);
    }
    expect(file.invalid.length).toBeGreaterThanOrEqual(7);
    for (const v of file.invalid) {
      const [reason] = lines.get(`VIBESYNC_LIVE_REFUSED ${v.name}`) ?? [];
      expect(reason, `${v.name}: refused`).toMatch(/^[0-9a-f]+$/);
    }
  });
});
