// Binary WebSocket frames. Every one starts with u8 kind, u8 version, u16 flags. Kind 1 carries one
// chunk of a content-addressed blob after a 48-byte header (this file); kind 2 is the live lane of
// streamed transforms (live-frame.ts). Everything else in the protocol stays JSON text.
import { VibeSyncError } from './errors.js';

export const BINARY_HEADER_BYTES = 48;
export const BINARY_VERSION = 1;
/** every blob chunk but a blob's last carries exactly this many payload bytes */
export const BLOB_CHUNK_BYTES = 1024 * 1024;
export const BINARY_KIND = {
  blobChunk: 1,
  /** the live transform lane (live-frame.ts) */
  live: 2,
} as const;

export interface BlobChunk {
  /** SHA-256 of the whole blob, 64 lowercase hex digits */
  hash: string;
  index: number;
  count: number;
  payload: Uint8Array;
}

/** How many chunks a blob of `size` bytes travels in (an empty blob is one empty chunk). */
export const chunkCount = (size: number) => Math.max(1, Math.ceil(size / BLOB_CHUNK_BYTES));

const HEX = '0123456789abcdef';
function hexOf(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += HEX[x >> 4]! + HEX[x & 15]!;
  return s;
}

export function encodeBlobChunk(c: BlobChunk): Uint8Array {
  const out = new Uint8Array(BINARY_HEADER_BYTES + c.payload.length);
  const dv = new DataView(out.buffer);
  out[0] = BINARY_KIND.blobChunk;
  out[1] = BINARY_VERSION;
  dv.setUint16(2, 0, true);
  dv.setUint32(4, c.index, true);
  dv.setUint32(8, c.count, true);
  dv.setUint32(12, c.payload.length, true);
  for (let i = 0; i < 32; i++) out[16 + i] = parseInt(c.hash.slice(2 * i, 2 * i + 2), 16);
  out.set(c.payload, BINARY_HEADER_BYTES);
  return out;
}

const violation = (why: string) => new VibeSyncError('SCHEMA_VIOLATION', `binary frame: ${why}`);

/** Reads a binary frame's header; anything but a well-formed blob chunk is a SCHEMA_VIOLATION. */
export function decodeBlobChunk(frame: Uint8Array): BlobChunk {
  if (frame.length < BINARY_HEADER_BYTES) throw violation(`${frame.length} bytes is shorter than the ${BINARY_HEADER_BYTES}-byte header`);
  const dv = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const kind = frame[0];
  if (kind === BINARY_KIND.live) throw violation('kind 2 is a live frame, not a blob chunk');
  if (kind !== BINARY_KIND.blobChunk) throw violation(`unknown kind ${kind}`);
  if (frame[1] !== BINARY_VERSION) throw violation(`version ${frame[1]} (this orchestrator speaks ${BINARY_VERSION})`);
  if (dv.getUint16(2, true) !== 0) throw violation('flags must be 0');
  const index = dv.getUint32(4, true);
  const count = dv.getUint32(8, true);
  const length = dv.getUint32(12, true);
  if (length !== frame.length - BINARY_HEADER_BYTES)
    throw violation(`length field ${length} but ${frame.length - BINARY_HEADER_BYTES} payload bytes`);
  if (count < 1 || index >= count) throw violation(`chunk ${index} of ${count}`);
  if (length > BLOB_CHUNK_BYTES || (index < count - 1 && length !== BLOB_CHUNK_BYTES))
    throw violation(`chunk ${index} of ${count} carries ${length} bytes (every chunk but the last carries ${BLOB_CHUNK_BYTES})`);
  return { hash: hexOf(frame.subarray(16, 48)), index, count, payload: frame.subarray(BINARY_HEADER_BYTES) };
}

/** A whole blob as its chunk frames, in order. */
export function* blobChunks(hash: string, blob: Uint8Array): Generator<Uint8Array> {
  const count = chunkCount(blob.length);
  for (let i = 0; i < count; i++)
    yield encodeBlobChunk({ hash, index: i, count, payload: blob.subarray(i * BLOB_CHUNK_BYTES, (i + 1) * BLOB_CHUNK_BYTES) });
}
