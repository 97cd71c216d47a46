// Deterministic test scenes: the same (count, seed) always gives the same scene, byte for byte,
// so two simulators started alike agree on the scene hash without talking to each other.
import { createHash } from 'node:crypto';
import { encodeMesh, hashing, meshSummaryOf } from '../../shared/canonical/index.js';
import type { Material, MeshSummary, Scene, SceneObject, Texture } from '../../shared/protocol/index.js';
import { checkerPng } from './png.js';

/** mulberry32: a small, well-mixed 32-bit PRNG; enough for test data, not for secrets. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A unit-ish box mesh summary of the given half-extent; its geometry hash is real (8 vertices, 6 quads). */
export function boxMesh(half: number): MeshSummary {
  const positions: number[] = [];
  for (const x of [-half, half]) for (const y of [-half, half]) for (const z of [-half, half]) positions.push(x, y, z);
  const faces = [
    [0, 1, 3, 2],
    [4, 6, 7, 5],
    [0, 4, 5, 1],
    [2, 3, 7, 6],
    [0, 2, 6, 4],
    [1, 5, 7, 3],
  ];
  return {
    vertexCount: 8,
    faceCount: 6,
    geometryHash: hashing.geometryHash(positions, faces),
    bounds: { min: [-half, -half, -half], max: [half, half, half] },
  };
}

/**
 * The same box as a real mesh blob ("VSM1"): 8 vertices, 6 quads, per-corner UVs and the material
 * slot 0; what the simulator sends when it carries geometry.
 */
export function boxBlob(half: number): Uint8Array {
  const positions: number[] = [];
  for (const x of [-half, half]) for (const y of [-half, half]) for (const z of [-half, half]) positions.push(x, y, z);
  const faces = [
    [0, 1, 3, 2],
    [4, 6, 7, 5],
    [0, 4, 5, 1],
    [2, 3, 7, 6],
    [0, 2, 6, 4],
    [1, 5, 7, 3],
  ];
  const square = [0, 0, 1, 0, 1, 1, 0, 1];
  return encodeMesh({ positions, faceSizes: faces.map((f) => f.length), corners: faces.flat(), uvs: faces.flatMap(() => square) });
}

const round = (x: number, step = 1e-3) => Math.round(x / step) * step;

export const TEXTURE_SIZE = 16;

/**
 * A base-colour texture as a real image file (a 16×16 PNG checker of the material's colour and
 * white): the texture blob is the file's bytes, and its hash their SHA-256.
 */
export function checkerTexture(color: readonly number[]): { texture: Texture; png: Uint8Array } {
  const png = checkerPng(
    TEXTURE_SIZE,
    color.slice(0, 3).map((c) => Math.round(c * 255)),
    [255, 255, 255],
  );
  const hash = createHash('sha256').update(png).digest('hex');
  return { texture: { slot: 'base_color', width: TEXTURE_SIZE, height: TEXTURE_SIZE, hash, format: 'png', blob: true }, png };
}

/**
 * A generated scene and, when it carries geometry, the blobs it references (by hash): its mesh
 * blobs, and the base-colour texture of its first material.
 */
export function generateScene(count: number, seed: number, geometry?: Map<string, Uint8Array>): Scene {
  const rnd = prng(seed);
  const materialCount = Math.max(1, Math.min(16, Math.ceil(count / 8)));
  const materials: Material[] = [];
  for (let i = 0; i < materialCount; i++) {
    materials.push({
      id: `mat_${i}`,
      name: `Material ${i}`,
      baseColor: [round(rnd()), round(rnd()), round(rnd()), 1],
      metallic: round(rnd()),
      roughness: round(rnd()),
      textures: [],
    });
  }
  if (geometry) {
    const { texture, png } = checkerTexture(materials[0]!.baseColor);
    materials[0]!.textures.push(texture);
    geometry.set(texture.hash, png);
  }
  // A few shared mesh shapes: hashing a mesh per object would dominate start-up for large scenes.
  const meshes = [0.5, 1, 2].map((half) => {
    if (!geometry) return boxMesh(half);
    const blob = boxBlob(half);
    const summary = meshSummaryOf(blob);
    geometry.set(summary.geometryHash, blob);
    return summary;
  });
  const objects: SceneObject[] = [];
  for (let i = 0; i < count; i++) {
    // Every tenth object is an empty that the next nine hang under, so hierarchies exist.
    const isGroup = i % 10 === 0;
    const parent = isGroup ? null : `obj_${i - (i % 10)}`;
    objects.push({
      id: `obj_${i}`,
      name: isGroup ? `Group ${i / 10}` : `Cube ${i}`,
      type: isGroup ? 'empty' : 'mesh',
      parent,
      transform: {
        position: [round(rnd() * 20 - 10), round(rnd() * 5), round(rnd() * 20 - 10)],
        rotation: [0, 0, 0, 1],
        scale: [1, 1, 1],
      },
      mesh: isGroup ? null : meshes[Math.floor(rnd() * meshes.length)]!,
      materials: isGroup ? [] : [materials[Math.floor(rnd() * materials.length)]!.id],
    });
  }
  return { objects, materials };
}

/**
 * A sun, a spot light and a camera with their own data (protocol: lights and cameras), for scenes
 * that exercise the kinds; `--kinds` in the CLI. Ids `light_sun`, `light_spot`, `camera_main`.
 */
export function kindObjects(): SceneObject[] {
  const at = (y: number, rotation: [number, number, number, number] = [0, 0, 0, 1]): SceneObject['transform'] => ({
    position: [0, y, 4],
    rotation,
    scale: [1, 1, 1],
  });
  const base = { parent: null, mesh: null, materials: [] };
  return [
    {
      ...base,
      id: 'light_sun',
      name: 'Sun',
      type: 'light',
      transform: at(10, [-0.5, 0, 0, 0.8660254037844386]),
      light: { kind: 'directional', color: [1, 0.95, 0.85], intensity: 3, range: null, spot: null },
    },
    {
      ...base,
      id: 'light_spot',
      name: 'Spot',
      type: 'light',
      transform: at(4),
      light: { kind: 'spot', color: [1, 0.8, 0.6], intensity: 800, range: 25, spot: { inner: 0.3, outer: 0.5 } },
    },
    {
      ...base,
      id: 'camera_main',
      name: 'Main camera',
      type: 'camera',
      transform: at(1.7),
      camera: { projection: 'perspective', yfov: 0.8, orthoSize: null, near: 0.1, far: 500 },
    },
  ];
}

/** Where a moving object is at frame `frame`: a circle around its start, one turn every 120 frames. */
export function orbit(start: readonly [number, number, number], frame: number, index: number): [number, number, number] {
  const a = ((frame + index * 7) / 120) * 2 * Math.PI;
  return [start[0] + Math.cos(a), start[1], start[2] + Math.sin(a)];
}
