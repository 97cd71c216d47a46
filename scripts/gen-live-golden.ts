// Writes data/golden/live-vectors.json: live-lane frames (binary kind 2, docs/protocol.md "Live
// lane") as their fields and their bytes in hex, plus frames every reader must refuse. The
// contract between the orchestrator and every adapter that streams transforms.
import { writeFileSync } from 'node:fs';
import { bytesToHex } from '@noble/hashes/utils';
import { encodeLiveFrame, type LiveFrame } from '../shared/protocol/index.js';

const identity = { rotation: [0, 0, 0, 1] as [number, number, number, number], scale: [1, 1, 1] as [number, number, number] };

const valid: Array<{ name: string; frame: LiveFrame }> = [
  { name: 'an empty frame (frame 0, no records)', frame: { frame: 0, records: [] } },
  {
    name: 'one object: the golden obj-cube moved, identity rotation, unit scale',
    frame: { frame: 1, records: [{ id: 'obj-cube', position: [1, 2.5, -3.25], ...identity }] },
  },
  {
    name: 'two objects: a rotation, a scale and a large frame number',
    frame: {
      frame: 4_000_000_000,
      records: [
        { id: 'a', position: [0, 0.1, 1e11], rotation: [0, 0.7071067811865476, 0, 0.7071067811865476], scale: [2, 0.5, -1] },
        { id: 'Z-upper_1.2:x', position: [0.00015, -0.00005, 123.4567891], ...identity },
      ],
    },
  },
];

const hexOf = (f: LiveFrame) => bytesToHex(encodeLiveFrame(f));
const cube = hexOf(valid[1]!.frame);
const invalid: Array<{ name: string; hex: string; error: string }> = [
  { name: 'shorter than the 12-byte header', hex: cube.slice(0, 16), error: 'SCHEMA_VIOLATION' },
  { name: 'a record cut off (last byte missing)', hex: cube.slice(0, -2), error: 'SCHEMA_VIOLATION' },
  { name: 'a byte after the last record', hex: `${cube}00`, error: 'SCHEMA_VIOLATION' },
  { name: 'version 2', hex: `0202${cube.slice(4)}`, error: 'SCHEMA_VIOLATION' },
  { name: 'flags not 0', hex: `02010100${cube.slice(8)}`, error: 'SCHEMA_VIOLATION' },
  { name: 'an id with a space', hex: hexOf(valid[1]!.frame).replace('6f626a2d63756265', '6f626a2063756265'), error: 'SCHEMA_VIOLATION' },
  {
    name: 'one id twice',
    hex: hexOf({ frame: 2, records: [valid[1]!.frame.records[0]!, valid[1]!.frame.records[0]!] }),
    error: 'SCHEMA_VIOLATION',
  },
];

const out = {
  description:
    'VibeSync live-lane frames (binary kind 2, docs/protocol.md "Live lane"), little-endian: u8 kind=2, u8 version=1, u16 flags=0, u32 frame, u32 count, then per record u16 id length, the id (ASCII, an ObjectId), float64 position[3], rotation[4] (x, y, z, w), scale[3]. Regenerate with `node --import tsx scripts/gen-live-golden.ts`; every adapter must produce `hex` from `frame` and read `frame` back from `hex`, and refuse every `invalid` one.',
  vectors: valid.map((v) => ({ name: v.name, frame: v.frame, hex: hexOf(v.frame) })),
  invalid,
};
writeFileSync(new URL('../data/golden/live-vectors.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
