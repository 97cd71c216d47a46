// The canonical mesh blob ("VSM1"): the bytes a mesh travels as, and the bytes its geometry hash
// is taken over. Every engine stores vertex data as float32, so each value is first rounded to
// float32 and then quantised on the scene's grid; the integers are what the blob holds. A target
// that imports a blob and re-encodes its own mesh gets the same bytes back (docs/protocol.md,
// "Mesh blobs"), so the hash proves what it holds instead of echoing what it was told.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex } from '@noble/hashes/utils';
import { VibeSyncError } from '../protocol/errors.js';
import type { MeshSummary } from '../protocol/scene.js';
import { STEPS } from './quantise.js';

export const MESH_MAGIC = 'VSM1';
export const MESH_HEADER_BYTES = 20;
/** flags bit 0: one UV pair per face corner follows the corner indices */
export const MESH_FLAG_UV = 1;
/** texture coordinates: 1e-5 of the UV square (0.04 texel of a 4096² texture) */
export const UV_STEP = 1e-5;
const INT32_MAX = 2 ** 31 - 1;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** A mesh in the canonical convention: object-local, +Y up, metres; faces as corner lists. */
export interface MeshData {
  /** flat x, y, z per vertex */
  positions: ArrayLike<number>;
  /** number of corners of each face (3 or more) */
  faceSizes: ArrayLike<number>;
  /** vertex index of each face corner, face after face, in the face's own winding */
  corners: ArrayLike<number>;
  /** material slot of each face: an index into the object's `materials` (default 0) */
  slots?: ArrayLike<number> | null;
  /** flat u, v per corner (same order as `corners`), or none */
  uvs?: ArrayLike<number> | null;
}

/** A decoded blob: the quantised integers, exactly as stored. */
export interface DecodedMesh {
  vertexCount: number;
  faceCount: number;
  positions: Int32Array;
  faceSizes: Uint32Array;
  slots: Uint32Array;
  corners: Uint32Array;
  uvs: Int32Array | null;
}

const bad = (why: string) => new VibeSyncError('SCHEMA_VIOLATION', `mesh: ${why}`);

/** floor(fround(x) / step + 0.5), refused outside int32: the blob cannot hold it. */
function q32(x: number, step: number, what: string): number {
  if (!Number.isFinite(x)) throw new VibeSyncError('NON_FINITE', `mesh ${what} ${x} is not finite`);
  const v = Math.floor(Math.fround(x) / step + 0.5);
  if (v > INT32_MAX || v < -INT32_MAX)
    throw new VibeSyncError('NON_FINITE', `mesh ${what} ${x} is outside what a mesh blob holds (±${INT32_MAX * step})`);
  return v === 0 ? 0 : v;
}

/** The canonical blob of a mesh (little-endian; layout in docs/protocol.md). */
export function encodeMesh(m: MeshData): Uint8Array {
  if (m.positions.length % 3 !== 0) throw bad(`${m.positions.length} position values are not whole x, y, z triples`);
  const V = m.positions.length / 3;
  const F = m.faceSizes.length;
  const C = m.corners.length;
  let sum = 0;
  for (let f = 0; f < F; f++) {
    const n = m.faceSizes[f]!;
    if (!Number.isInteger(n) || n < 3) throw bad(`face ${f} has ${n} corners (at least 3)`);
    sum += n;
  }
  if (sum !== C) throw bad(`faces have ${sum} corners in all but ${C} corner indices were given`);
  if (m.slots && m.slots.length !== F) throw bad(`${m.slots.length} material slots for ${F} faces`);
  const uvs = m.uvs && m.uvs.length > 0 ? m.uvs : null;
  if (uvs && uvs.length !== 2 * C) throw bad(`${uvs.length} UV values for ${C} corners (two per corner)`);
  const bytes = new Uint8Array(MESH_HEADER_BYTES + 4 * (3 * V + 2 * F + C + (uvs ? 2 * C : 0)));
  const dv = new DataView(bytes.buffer);
  for (let i = 0; i < 4; i++) bytes[i] = MESH_MAGIC.charCodeAt(i);
  dv.setUint32(4, V, true);
  dv.setUint32(8, F, true);
  dv.setUint32(12, C, true);
  dv.setUint32(16, uvs ? MESH_FLAG_UV : 0, true);
  // Every section starts on a 4-byte boundary: on a little-endian host, typed views write the bytes directly.
  let o = MESH_HEADER_BYTES;
  const i32 = (n: number) => {
    const at = o;
    o += 4 * n;
    return LITTLE_ENDIAN ? new Int32Array(bytes.buffer, at, n) : null;
  };
  const put = (view: Int32Array | null, at: number, i: number, v: number) => (view ? (view[i] = v) : dv.setInt32(at + 4 * i, v, true));
  let at = o;
  let view = i32(3 * V);
  for (let i = 0; i < 3 * V; i++) put(view, at, i, q32(m.positions[i]!, STEPS.position, 'position'));
  at = o;
  view = i32(F);
  for (let f = 0; f < F; f++) put(view, at, f, m.faceSizes[f]!);
  at = o;
  view = i32(F);
  for (let f = 0; f < F; f++) {
    const s = m.slots ? m.slots[f]! : 0;
    if (!Number.isInteger(s) || s < 0 || s > 0xffff) throw bad(`face ${f} has material slot ${s} (0–65535)`);
    put(view, at, f, s);
  }
  at = o;
  view = i32(C);
  for (let c = 0; c < C; c++) {
    const vi = m.corners[c]!;
    if (!Number.isInteger(vi) || vi < 0 || vi >= V) throw bad(`corner ${c} names vertex ${vi} of ${V}`);
    put(view, at, c, vi);
  }
  if (uvs) {
    at = o;
    view = i32(2 * C);
    for (let i = 0; i < 2 * C; i++) put(view, at, i, q32(uvs[i]!, UV_STEP, 'UV'));
  }
  return bytes;
}

/** Reads a blob back, checking every count and index; a blob that is not canonical is refused. */
export function decodeMesh(bytes: Uint8Array): DecodedMesh {
  if (bytes.length < MESH_HEADER_BYTES) throw bad(`blob of ${bytes.length} bytes is shorter than the header`);
  for (let i = 0; i < 4; i++) if (bytes[i] !== MESH_MAGIC.charCodeAt(i)) throw bad('blob does not start with "VSM1"');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const V = dv.getUint32(4, true);
  const F = dv.getUint32(8, true);
  const C = dv.getUint32(12, true);
  const flags = dv.getUint32(16, true);
  if (flags & ~MESH_FLAG_UV) throw bad(`unknown flags ${flags}`);
  const hasUv = (flags & MESH_FLAG_UV) !== 0;
  const want = MESH_HEADER_BYTES + 4 * (3 * V + 2 * F + C + (hasUv ? 2 * C : 0));
  if (bytes.length !== want) throw bad(`blob is ${bytes.length} bytes; its header says ${want}`);
  let o = MESH_HEADER_BYTES;
  const ints = (n: number) => {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++, o += 4) out[i] = dv.getInt32(o, true);
    return out;
  };
  const uints = (n: number) => {
    const out = new Uint32Array(n);
    for (let i = 0; i < n; i++, o += 4) out[i] = dv.getUint32(o, true);
    return out;
  };
  const positions = ints(3 * V);
  const faceSizes = uints(F);
  const slots = uints(F);
  const corners = uints(C);
  const uvs = hasUv ? ints(2 * C) : null;
  let sum = 0;
  for (let f = 0; f < F; f++) {
    if (faceSizes[f]! < 3) throw bad(`face ${f} has ${faceSizes[f]} corners`);
    if (slots[f]! > 0xffff) throw bad(`face ${f} has material slot ${slots[f]}`);
    sum += faceSizes[f]!;
  }
  if (sum !== C) throw bad(`faces have ${sum} corners, header says ${C}`);
  for (let c = 0; c < C; c++) if (corners[c]! >= V) throw bad(`corner ${c} names vertex ${corners[c]} of ${V}`);
  return { vertexCount: V, faceCount: F, positions, faceSizes, slots, corners, uvs };
}

/** Metres from a blob's integers: q / 10000, a division (the nearest double to the grid point). */
export const positionsMetres = (d: DecodedMesh): Float64Array => Float64Array.from(d.positions, (v) => v / 1e4);
/** UV from a blob's integers: q / 100000. */
export const uvsFromBlob = (d: DecodedMesh): Float64Array | null => (d.uvs ? Float64Array.from(d.uvs, (v) => v / 1e5) : null);

/** Face corner lists, for code that wants `number[][]`. */
export function facesOf(d: DecodedMesh): number[][] {
  const out: number[][] = [];
  let c = 0;
  for (let f = 0; f < d.faceCount; f++) {
    const n = d.faceSizes[f]!;
    out.push(Array.from(d.corners.subarray(c, c + n)));
    c += n;
  }
  return out;
}

export const meshBlobHash = (blob: Uint8Array): string => bytesToHex(sha256(blob));

/**
 * The wire summary of a mesh that travels as a blob: `geometryHash` is the blob's SHA-256 and
 * `blob: true` says the orchestrator holds (or must be sent) those bytes. Bounds are taken from
 * the quantised grid, so they are the same from the blob as from the engine's own data.
 */
export function meshSummaryOf(blob: Uint8Array, hash: (b: Uint8Array) => string = meshBlobHash): MeshSummary {
  const d = decodeMesh(blob);
  const min = [Infinity, Infinity, Infinity];
  const max = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < d.positions.length; i++) {
    const k = i % 3;
    const v = d.positions[i]!;
    if (v < min[k]!) min[k] = v;
    if (v > max[k]!) max[k] = v;
  }
  const metres = (v: number) => (Number.isFinite(v) ? v / 1e4 : 0);
  return {
    vertexCount: d.vertexCount,
    faceCount: d.faceCount,
    geometryHash: hash(blob),
    bounds: { min: [metres(min[0]!), metres(min[1]!), metres(min[2]!)], max: [metres(max[0]!), metres(max[1]!), metres(max[2]!)] },
    blob: true,
  };
}
