// Canonical forms and their SHA-256 digests: the single definition of "the same scene".
// Canonical JSON is RFC 8785 (the `canonicalize` library); every number in it is an integer.
import canonicalize from 'canonicalize';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import type { Material, MeshSummary, Scene, SceneObject } from '../protocol/scene.js';
import { materialJson, objectJson, sortedMapJson } from './fast-json.js';
import { canonicalCamera, canonicalLight } from './kinds.js';
import { STEPS, quantise, quantiseQuat, quantiseVec } from './quantise.js';

export type Sha256Hex = (text: string) => string;
export const nobleSha256Hex: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)));

export function canonicalJson(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new TypeError('value has no JSON form');
  return out;
}

function canonicalMesh(m: MeshSummary) {
  return {
    v: m.vertexCount,
    f: m.faceCount,
    g: m.geometryHash,
    b: [...quantiseVec(m.bounds.min, STEPS.position), ...quantiseVec(m.bounds.max, STEPS.position)],
  };
}

export function canonicalObject(o: SceneObject) {
  return {
    id: o.id,
    name: o.name,
    type: o.type,
    parent: o.parent,
    p: quantiseVec(o.transform.position, STEPS.position),
    r: quantiseQuat(o.transform.rotation),
    s: quantiseVec(o.transform.scale, STEPS.scale),
    mesh: o.mesh ? canonicalMesh(o.mesh) : null,
    mat: [...o.materials],
    ...(o.light ? { light: canonicalLight(o.light) } : {}),
    ...(o.camera ? { cam: canonicalCamera(o.camera) } : {}),
  };
}

export function canonicalMaterial(m: Material) {
  return {
    id: m.id,
    name: m.name,
    c: quantiseVec(m.baseColor, STEPS.color),
    m: quantise(m.metallic, STEPS.color),
    r: quantise(m.roughness, STEPS.color),
    tex: [...m.textures]
      .sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0))
      .map((t) => ({ slot: t.slot, w: t.width, h: t.height, hash: t.hash })),
  };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** What a transaction's post-import hash covers: the final state of every touched object/material (null = deleted). */
export interface TxState {
  objects: Record<string, SceneObject | null>;
  materials: Record<string, Material | null>;
}

/** Each hash is SHA-256 over the UTF-8 bytes of the matching `…Canonical` string. */
export interface Hashing {
  objectHash(o: SceneObject): string;
  materialHash(m: Material): string;
  /** `{"materials":[[id, materialHash]…],"objects":[[id, objectHash]…]}`, each list sorted by id */
  sceneCanonical(s: Scene): string;
  sceneHash(s: Scene): string;
  /** `{"materials":{id: canonical material | null…},"objects":{id: canonical object | null…}}` */
  txCanonical(t: TxState): string;
  txHash(t: TxState): string;
  /** `{"f":[[i…]…],"v":[quantised x, y, z…]}` from canonical-space positions (flat xyz) and faces (vertex index lists) */
  geometryCanonical(positions: ArrayLike<number>, faces: readonly (readonly number[])[]): string;
  geometryHash(positions: ArrayLike<number>, faces: readonly (readonly number[])[]): string;
}

/** The transaction's canonical form; needs no digest, so it is the same for every SHA-256 implementation. */
export function txCanonical(t: TxState): string {
  const objects = sortedMapJson(Object.entries(t.objects).map(([id, o]) => [id, o ? objectJson(o) : 'null']));
  const materials = sortedMapJson(Object.entries(t.materials).map(([id, m]) => [id, m ? materialJson(m) : 'null']));
  return `{"materials":${materials},"objects":${objects}}`;
}

export function geometryCanonical(positions: ArrayLike<number>, faces: readonly (readonly number[])[]): string {
  const v: number[] = new Array(positions.length);
  for (let i = 0; i < positions.length; i++) v[i] = quantise(positions[i]!, STEPS.position);
  return canonicalJson({ f: faces, v });
}

export function makeHashing(sha: Sha256Hex): Hashing {
  const objectHash = (o: SceneObject) => sha(objectJson(o));
  const materialHash = (m: Material) => sha(materialJson(m));
  const sceneCanonical = (s: Scene) =>
    canonicalJson({
      objects: [...s.objects].sort(byId).map((o) => [o.id, objectHash(o)]),
      materials: [...s.materials].sort(byId).map((m) => [m.id, materialHash(m)]),
    });
  return {
    objectHash,
    materialHash,
    sceneCanonical,
    sceneHash: (s) => sha(sceneCanonical(s)),
    txCanonical,
    txHash: (t) => sha(txCanonical(t)),
    geometryCanonical,
    geometryHash: (positions, faces) => sha(geometryCanonical(positions, faces)),
  };
}

/** Pure-TypeScript hashing (works in a browser); the core swaps in Node's crypto for speed. */
export const hashing = makeHashing(nobleSha256Hex);
