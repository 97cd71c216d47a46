// The live lane (binary frame kind 2, docs/protocol.md "Live lane"): streamed transforms, the
// latest value of each object per frame, as little-endian float64s so the canonical form and every
// hash are the same as for a JSON `set_transform`. This file is the wire layout alone: structure
// (lengths, ids, counts) is checked here; values, ids the scene knows and who may write them are
// the orchestrator's checks.
import { BINARY_KIND, BINARY_VERSION } from './binary-frame.js';
import { VibeSyncError } from './errors.js';
import { LIMITS } from './scene.js';

/** The handshake capability an engine declares to send and receive live frames. */
export const LIVE_CAPABILITY = 'live';
/** kind, version, flags (the binary frame's bytes 0–3), then u32 frame number and u32 record count */
export const LIVE_HEADER_BYTES = 12;
/** float64 position[3], rotation[4] (x, y, z, w), scale[3] */
export const LIVE_VALUES_PER_RECORD = 10;
/** records one frame may carry: a `batch`'s cap, so the largest frame (≈ 1 MiB) is far under the 8 MiB frame cap */
export const LIVE_MAX_RECORDS = LIMITS.maxBatch;
/** the largest frame number: a u32 */
export const LIVE_MAX_FRAME = 0xffff_ffff;

type Vec3 = [number, number, number];
type Quat = [number, number, number, number];

/** One object's whole transform, canonical convention (+Y up, metres, quaternion [x, y, z, w]). */
export interface LiveRecord {
  id: string;
  position: Vec3;
  rotation: Quat;
  scale: Vec3;
}

export interface LiveFrame {
  /** the sender's frame number: per connection, strictly increasing */
  frame: number;
  records: LiveRecord[];
}

const violation = (why: string) => new VibeSyncError('SCHEMA_VIOLATION', `live frame: ${why}`);
/** the characters an ObjectId may hold (scene.ts): A-Z a-z 0-9 _ . : - */
const ID_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-') ID_CHAR[c.charCodeAt(0)] = 1;
const RESERVED_IDS = new Set(['__proto__', 'constructor', 'prototype']);

function idProblem(id: string): string | null {
  if (id.length < 1 || id.length > LIMITS.maxIdLength) return `an id of ${id.length} characters (1–${LIMITS.maxIdLength})`;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    if (c >= 128 || !ID_CHAR[c]) return `id ${JSON.stringify(id)}: ids use A-Z a-z 0-9 _ . : - only`;
  }
  return RESERVED_IDS.has(id) ? `id ${JSON.stringify(id)} is reserved` : null;
}

function putFloats(dv: DataView, at: number, v: readonly number[]): number {
  for (let i = 0; i < v.length; i++, at += 8) dv.setFloat64(at, v[i]!, true);
  return at;
}

/** The encoded size of a frame carrying these records. */
export function liveFrameBytes(records: readonly LiveRecord[]): number {
  let n = LIVE_HEADER_BYTES;
  for (const r of records) n += 2 + r.id.length + LIVE_VALUES_PER_RECORD * 8;
  return n;
}

export function encodeLiveFrame(f: LiveFrame): Uint8Array {
  if (!Number.isInteger(f.frame) || f.frame < 0 || f.frame > LIVE_MAX_FRAME) throw violation(`frame number ${f.frame} is not a u32`);
  if (f.records.length > LIVE_MAX_RECORDS) throw violation(`${f.records.length} records (at most ${LIVE_MAX_RECORDS})`);
  const out = new Uint8Array(liveFrameBytes(f.records));
  const dv = new DataView(out.buffer);
  out[0] = BINARY_KIND.live;
  out[1] = BINARY_VERSION;
  dv.setUint16(2, 0, true);
  dv.setUint32(4, f.frame, true);
  dv.setUint32(8, f.records.length, true);
  let at = LIVE_HEADER_BYTES;
  for (const r of f.records) {
    const bad = idProblem(r.id);
    if (bad) throw violation(bad);
    dv.setUint16(at, r.id.length, true);
    at += 2;
    for (let i = 0; i < r.id.length; i++) out[at++] = r.id.charCodeAt(i);
    at = putFloats(dv, at, r.position);
    at = putFloats(dv, at, r.rotation);
    at = putFloats(dv, at, r.scale);
  }
  return out;
}

/**
 * Ids read from live frames. A stream names the same objects frame after frame, so each id's
 * characters are read and checked once: later frames find the string by its bytes (an FNV-1a hash,
 * then a byte-for-byte compare), which keeps a 1,000-object frame from making 1,000 new strings.
 * One entry per hash; an id whose slot holds another id is read the slow way. The table is emptied
 * between frames once it passes KNOWN_MAX entries, so it stays a few MiB whatever a peer sends.
 */
interface KnownId {
  id: string;
  bytes: Uint8Array;
  /** the decode that last read this id: an id twice in one frame is refused */
  seenIn: number;
}
const KNOWN_MAX = 65_536;
const known = new Map<number, KnownId>();
let decodes = 0;

function hashBytes(b: Uint8Array, at: number, len: number): number {
  let h = 0x811c9dc5 ^ len;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ b[at + i]!, 0x01000193);
  return h >>> 0;
}

function sameBytes(a: Uint8Array, b: Uint8Array, at: number): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[at + i]) return false;
  return true;
}

/**
 * Reads a kind-2 frame. Anything structurally wrong (short, garbled, trailing bytes, a bad id, an
 * id twice, too many records) is a SCHEMA_VIOLATION; values are returned as they are (NaN
 * included): the orchestrator checks them against the canonical ranges.
 */
export function decodeLiveFrame(frame: Uint8Array): LiveFrame {
  if (frame.length < LIVE_HEADER_BYTES) throw violation(`${frame.length} bytes is shorter than the ${LIVE_HEADER_BYTES}-byte header`);
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (frame[0] !== BINARY_KIND.live) throw violation(`kind ${frame[0]} is not 2`);
  if (frame[1] !== BINARY_VERSION) throw violation(`version ${frame[1]} (this side speaks ${BINARY_VERSION})`);
  if (dv.getUint16(2, true) !== 0) throw violation('flags must be 0');
  const number = dv.getUint32(4, true);
  const count = dv.getUint32(8, true);
  if (count > LIVE_MAX_RECORDS) throw violation(`${count} records (at most ${LIVE_MAX_RECORDS})`);
  if (known.size > KNOWN_MAX) known.clear();
  const call = ++decodes;
  /** ids read the slow way (their hash slot holds another id), for the twice-in-one-frame check */
  let uncached: Set<string> | null = null;
  const records: LiveRecord[] = [];
  let at = LIVE_HEADER_BYTES;
  for (let n = 0; n < count; n++) {
    if (at + 2 > frame.length) throw violation(`record ${n} of ${count} is cut off at byte ${at}`);
    const len = dv.getUint16(at, true);
    at += 2;
    if (at + len + LIVE_VALUES_PER_RECORD * 8 > frame.length) throw violation(`record ${n} of ${count} is cut off at byte ${at}`);
    const h = hashBytes(frame, at, len);
    const hit = known.get(h);
    let id: string;
    if (hit && hit.bytes.length === len && sameBytes(hit.bytes, frame, at)) {
      if (hit.seenIn === call) throw violation(`record ${n}: id ${hit.id} appears twice in one frame`);
      hit.seenIn = call;
      id = hit.id;
    } else {
      id = String.fromCharCode.apply(null, frame.subarray(at, at + len) as unknown as number[]);
      const bad = idProblem(id);
      if (bad) throw violation(`record ${n}: ${bad}`);
      if (hit) {
        uncached ??= new Set();
        if (uncached.has(id)) throw violation(`record ${n}: id ${id} appears twice in one frame`);
        uncached.add(id);
      } else known.set(h, { id, bytes: frame.slice(at, at + len), seenIn: call });
    }
    at += len;
    records.push({
      id,
      position: [dv.getFloat64(at, true), dv.getFloat64(at + 8, true), dv.getFloat64(at + 16, true)],
      rotation: [dv.getFloat64(at + 24, true), dv.getFloat64(at + 32, true), dv.getFloat64(at + 40, true), dv.getFloat64(at + 48, true)],
      scale: [dv.getFloat64(at + 56, true), dv.getFloat64(at + 64, true), dv.getFloat64(at + 72, true)],
    });
    at += LIVE_VALUES_PER_RECORD * 8;
  }
  if (at !== frame.length) throw violation(`${frame.length - at} bytes after the last of ${count} records`);
  return { frame: number, records };
}
