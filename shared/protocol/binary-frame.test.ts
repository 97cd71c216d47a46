import { describe, expect, it } from 'vitest';
import { BINARY_HEADER_BYTES, BLOB_CHUNK_BYTES, blobChunks, decodeBlobChunk, encodeBlobChunk } from './binary-frame.js';

const hash = 'ab'.repeat(32);

describe('binary blob chunk frames', () => {
  it('round-trip: header fields and payload come back as sent', () => {
    const frame = encodeBlobChunk({ hash, index: 2, count: 3, payload: new Uint8Array([1, 2, 3]) });
    expect(frame.length).toBe(BINARY_HEADER_BYTES + 3);
    expect(Array.from(frame.subarray(0, 4))).toEqual([1, 1, 0, 0]);
    const c = decodeBlobChunk(frame);
    expect({ ...c, payload: Array.from(c.payload) }).toEqual({ hash, index: 2, count: 3, payload: [1, 2, 3] });
  });
  it('splits a blob into full 1 MiB chunks and a short last one', () => {
    const blob = new Uint8Array(BLOB_CHUNK_BYTES * 2 + 5);
    const frames = [...blobChunks(hash, blob)];
    expect(frames.map((f) => decodeBlobChunk(f).payload.length)).toEqual([BLOB_CHUNK_BYTES, BLOB_CHUNK_BYTES, 5]);
    expect([...blobChunks(hash, new Uint8Array(0))].map((f) => decodeBlobChunk(f).count)).toEqual([1]);
  });
  it.each([
    ['a short frame', new Uint8Array(10), /shorter than the 48-byte header/],
    [
      'a live-lane frame (kind 2)',
      Uint8Array.from({ length: 48 }, (_, i) => (i === 0 ? 2 : i === 1 ? 1 : 0)),
      /kind 2 is a live frame, not a blob chunk/,
    ],
    [
      'a length that lies',
      (() => {
        const f = encodeBlobChunk({ hash, index: 0, count: 1, payload: new Uint8Array(4) });
        f[12] = 9;
        return f;
      })(),
      /length field 9/,
    ],
    ['an index past the count', encodeBlobChunk({ hash, index: 1, count: 1, payload: new Uint8Array(1) }), /chunk 1 of 1/],
    [
      'a short chunk that is not the last',
      encodeBlobChunk({ hash, index: 0, count: 2, payload: new Uint8Array(1) }),
      /every chunk but the last/,
    ],
  ])('refuses %s as SCHEMA_VIOLATION', (_w, frame, err) => {
    expect(() => decodeBlobChunk(frame)).toThrow(/SCHEMA_VIOLATION/);
    expect(() => decodeBlobChunk(frame)).toThrow(err);
  });
});
