// The on-disk frame: u32 length (top bit = "more frames of this commit group follow"),
// u32 CRC32, u64 sequence number, UTF-8 JSON payload; all little-endian. The CRC covers the
// length word, the sequence number and the payload, so no header bit can flip unnoticed.
import { crc32 } from 'node:zlib';

export const HEADER_BYTES = 16;
/** Far above any record the brain writes; a larger length can only be damage. */
export const MAX_PAYLOAD_BYTES = 256 * 1024 * 1024;
const CONTINUES = 0x8000_0000;
const LENGTH_MASK = 0x7fff_ffff;
const TWO_32 = 2 ** 32;

export function encodeFrame(seq: number, json: string, continues: boolean): Buffer {
  const len = Buffer.byteLength(json);
  const frame = Buffer.allocUnsafe(HEADER_BYTES + len);
  frame.writeUInt32LE((len | (continues ? CONTINUES : 0)) >>> 0, 0);
  frame.writeUInt32LE(seq % TWO_32, 8);
  frame.writeUInt32LE(Math.floor(seq / TWO_32), 12);
  frame.write(json, HEADER_BYTES, 'utf8');
  frame.writeUInt32LE(frameCrc(frame, 0, len), 4);
  return frame;
}

/**
 * CRC32 of the length word, the sequence number and the payload, in that order. The 12 header
 * bytes go through a table in JS and only the payload through zlib: one native call per frame
 * instead of three roughly halves the scan time of a replay.
 */
function frameCrc(buf: Buffer, at: number, len: number): number {
  let c = 0xffff_ffff;
  for (let i = at; i < at + 4; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  for (let i = at + 8; i < at + HEADER_BYTES; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return crc32(buf.subarray(at + HEADER_BYTES, at + HEADER_BYTES + len), (c ^ 0xffff_ffff) >>> 0);
}

/** The reflected CRC-32 (IEEE 802.3) table zlib uses, for the header bytes. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb8_8320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export interface Frame {
  seq: number;
  offset: number;
  end: number;
  continues: boolean;
}

export type ScanStop =
  | { kind: 'clean' }
  /** a crash mid-write: everything from `at` on may be dropped */
  | { kind: 'torn'; at: number; reason: string }
  | { kind: 'corrupt'; at: number; reason: string };

export interface Scan {
  frames: Frame[];
  /** byte offset just past the last frame that ends a commit group */
  committedEnd: number;
  /** number of frames up to committedEnd */
  committedFrames: number;
  stop: ScanStop;
}

/**
 * Decodes every frame of a whole segment held in memory, checking CRCs and that sequence numbers
 * run on from `firstSeq` without gaps. Damage that only a crash mid-write can explain is `torn`;
 * damage followed by more data is `corrupt`.
 */
export function scanFrames(buf: Buffer, firstSeq: number): Scan {
  const frames: Frame[] = [];
  let at = 0;
  let committedEnd = 0;
  let committedFrames = 0;
  let expected = firstSeq;
  const stop = (s: ScanStop): Scan => ({ frames, committedEnd, committedFrames, stop: s });
  while (at < buf.length) {
    const rest = buf.length - at;
    if (rest < HEADER_BYTES) return stop({ kind: 'torn', at, reason: 'incomplete frame header' });
    const word = buf.readUInt32LE(at);
    const len = word & LENGTH_MASK;
    if (len > MAX_PAYLOAD_BYTES) {
      if (isZeroFrom(buf, at)) return stop({ kind: 'torn', at, reason: 'zero-filled tail' });
      return stop({ kind: 'corrupt', at, reason: `frame length ${len} is impossible` });
    }
    const end = at + HEADER_BYTES + len;
    if (end > buf.length) {
      // A damaged length can also point past the end; only a crash if nothing intact follows.
      const next = findIntactFrame(buf, at + 1, expected);
      if (next >= 0) return stop({ kind: 'corrupt', at, reason: `bad frame length; an intact frame follows at byte ${next}` });
      return stop({ kind: 'torn', at, reason: 'frame runs past end of file' });
    }
    if (frameCrc(buf, at, len) !== buf.readUInt32LE(at + 4)) {
      if (end === buf.length) return stop({ kind: 'torn', at, reason: 'bad CRC on the last frame' });
      if (isZeroFrom(buf, at)) return stop({ kind: 'torn', at, reason: 'zero-filled tail' });
      return stop({ kind: 'corrupt', at, reason: 'CRC mismatch' });
    }
    const seq = buf.readUInt32LE(at + 8) + buf.readUInt32LE(at + 12) * TWO_32;
    if (seq !== expected) return stop({ kind: 'corrupt', at, reason: `sequence gap: expected ${expected}, found ${seq}` });
    const continues = (word & CONTINUES) !== 0;
    frames.push({ seq, offset: at, end, continues });
    expected++;
    at = end;
    if (!continues) {
      committedEnd = at;
      committedFrames = frames.length;
    }
  }
  return stop({ kind: 'clean' });
}

export function payloadOf(buf: Buffer, f: Frame): string {
  return buf.toString('utf8', f.offset + HEADER_BYTES, f.end);
}

function isZeroFrom(buf: Buffer, at: number): boolean {
  for (let i = at; i < buf.length; i++) if (buf[i] !== 0) return false;
  return true;
}

/** Offset of the first CRC-valid frame at or after `from` carrying a later sequence number, or -1. */
function findIntactFrame(buf: Buffer, from: number, afterSeq: number): number {
  for (let at = from; at + HEADER_BYTES <= buf.length; at++) {
    const seqHi = buf.readUInt32LE(at + 12);
    if (seqHi !== Math.floor(afterSeq / TWO_32)) continue;
    const seq = buf.readUInt32LE(at + 8) + seqHi * TWO_32;
    if (seq <= afterSeq) continue;
    const len = buf.readUInt32LE(at) & LENGTH_MASK;
    if (at + HEADER_BYTES + len > buf.length) continue;
    if (frameCrc(buf, at, len) === buf.readUInt32LE(at + 4)) return at;
  }
  return -1;
}
