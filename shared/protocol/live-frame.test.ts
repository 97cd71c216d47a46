import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LIVE_HEADER_BYTES, LIVE_MAX_RECORDS, decodeLiveFrame, encodeLiveFrame, liveFrameBytes, type LiveFrame } from './live-frame.js';
import { FRAME_LIMITS } from './frame-limits.js';
import { LIMITS } from './scene.js';

const golden = JSON.parse(readFileSync(new URL('../../data/golden/live-vectors.json', import.meta.url), 'utf8')) as {
  vectors: Array<{ name: string; frame: LiveFrame; hex: string }>;
  invalid: Array<{ name: string; hex: string; error: string }>;
};
const bytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16));
const hexOf = (b: Uint8Array) => Buffer.from(b).toString('hex');
const identity = { rotation: [0, 0, 0, 1] as [number, number, number, number], scale: [1, 1, 1] as [number, number, number] };

describe('live-lane frames (binary kind 2)', () => {
  it.each(golden.vectors.map((v) => [v.name, v] as const))('golden %s: encodes to its bytes and reads back', (_n, v) => {
    expect(hexOf(encodeLiveFrame(v.frame))).toBe(v.hex);
    expect(decodeLiveFrame(bytes(v.hex))).toEqual(v.frame);
  });

  it('lays the header out as the table says: kind 2, version 1, flags 0, u32 frame, u32 count', () => {
    const f = encodeLiveFrame({ frame: 0x01020304, records: [{ id: 'ab', position: [1, 2, 3], ...identity }] });
    expect(Array.from(f.subarray(0, LIVE_HEADER_BYTES))).toEqual([2, 1, 0, 0, 4, 3, 2, 1, 1, 0, 0, 0]);
    // u16 id length, the id, then ten float64s
    expect(Array.from(f.subarray(12, 16))).toEqual([2, 0, 0x61, 0x62]);
    expect(new DataView(f.buffer).getFloat64(16, true)).toBe(1);
    expect(f.length).toBe(12 + 2 + 2 + 80);
  });

  it('keeps every value bit for bit, NaN included (the orchestrator checks values, not the codec)', () => {
    const f: LiveFrame = {
      frame: 9,
      records: [{ id: 'x', position: [Number.NaN, 1e-300, -1e11], rotation: [0.1, 0.2, 0.3, 0.9], scale: [1, 1, 1] }],
    };
    const back = decodeLiveFrame(encodeLiveFrame(f));
    expect(Number.isNaN(back.records[0]!.position[0])).toBe(true);
    expect(back.records[0]!.position.slice(1)).toEqual([1e-300, -1e11]);
    expect(back.records[0]!.rotation).toEqual([0.1, 0.2, 0.3, 0.9]);
  });

  it.each(golden.invalid.map((v) => [v.name, v] as const))('golden invalid: refuses %s', (_n, v) => {
    expect(() => decodeLiveFrame(bytes(v.hex))).toThrow(v.error);
  });

  it('refuses a count over the cap from the header, before reading records', () => {
    const f = encodeLiveFrame({ frame: 1, records: [] });
    new DataView(f.buffer).setUint32(8, LIVE_MAX_RECORDS + 1, true);
    expect(() => decodeLiveFrame(f)).toThrow(/at most 5000/);
  });

  it('the largest frame (the record cap with the longest ids) fits far under the frame cap', () => {
    const id = 'x'.repeat(LIMITS.maxIdLength - 6);
    const records = Array.from({ length: LIVE_MAX_RECORDS }, (_, i) => ({
      id: `${id}${String(i).padStart(6, '0')}`,
      position: [0, 0, 0] as [number, number, number],
      ...identity,
    }));
    expect(liveFrameBytes(records)).toBeLessThan(FRAME_LIMITS.frameBytes / 4);
    expect(decodeLiveFrame(encodeLiveFrame({ frame: 1, records })).records.length).toBe(LIVE_MAX_RECORDS);
    expect(() => encodeLiveFrame({ frame: 1, records: [...records, records[0]!] })).toThrow(/at most 5000/);
  });

  it('reads a stream of the same ids frame after frame, and still refuses an id twice in one frame', () => {
    const rec = (id: string) => ({ id, position: [1, 2, 3] as [number, number, number], ...identity });
    const frame = encodeLiveFrame({ frame: 1, records: [rec('cube'), rec('lamp')] });
    const a = decodeLiveFrame(frame);
    const b = decodeLiveFrame(frame);
    expect(b).toEqual(a);
    expect(b.records.map((r) => r.id)).toEqual(['cube', 'lamp']);
    // the second frame names ids the first one read: the twice-in-one-frame check still holds
    const twice = encodeLiveFrame({ frame: 2, records: [rec('lamp'), rec('cube')] });
    new Uint8Array(twice.buffer).set([0x63, 0x75, 0x62, 0x65], 12 + 2); // record 0: lamp → cube
    expect(() => decodeLiveFrame(twice)).toThrow('record 1: id cube appears twice in one frame');
  });

  it('two ids with the same 32-bit hash are both read as they are, and either one twice is refused', () => {
    // FNV-1a over these two ids' bytes (with their length) is equal: the second is read the slow way
    const [first, second] = ['obj_422789', 'obj_639192'];
    const rec = (id: string) => ({ id, position: [0, 0, 0] as [number, number, number], ...identity });
    const both = decodeLiveFrame(encodeLiveFrame({ frame: 1, records: [rec(first), rec(second)] }));
    expect(both.records.map((r) => r.id)).toEqual([first, second]);
    expect(decodeLiveFrame(encodeLiveFrame({ frame: 2, records: [rec(second), rec(first)] })).records.map((r) => r.id)).toEqual([
      second,
      first,
    ]);
    const dup = (id: string) => {
      const f = encodeLiveFrame({ frame: 3, records: [rec(first), rec(second), rec('pad_000000')] });
      new Uint8Array(f.buffer).set(
        Array.from(id, (c) => c.charCodeAt(0)),
        12 + 2 * (2 + 10 + 80) + 2,
      );
      return f;
    };
    expect(() => decodeLiveFrame(dup(second))).toThrow(`record 2: id ${second} appears twice in one frame`);
    expect(() => decodeLiveFrame(dup(first))).toThrow(`record 2: id ${first} appears twice in one frame`);
  });
});
