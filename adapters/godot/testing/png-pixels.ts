// Reads one pixel of a PNG file (8-bit RGB or RGBA, not interlaced: what Godot's save_png writes),
// so a test can check the pixels of an image Godot encoded without trusting Godot to decode it.
import { inflateSync } from 'node:zlib';
import { imageInfo } from '../../../shared/canonical/index.js';

export function pngPixel(png: Uint8Array, x: number, y: number): number[] {
  const info = imageInfo(png);
  if (info?.format !== 'png') throw new Error('not a PNG');
  const view = Buffer.from(png);
  const [depth, colour, , , interlace] = view.subarray(24, 29);
  const channels = colour === 6 ? 4 : colour === 2 ? 3 : 0;
  if (depth !== 8 || channels === 0 || interlace !== 0) throw new Error(`unsupported PNG: depth ${depth}, colour type ${colour}`);
  const idat: Buffer[] = [];
  for (let at = 8; at < view.length;) {
    const length = view.readUInt32BE(at);
    if (view.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(view.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = info.width * channels;
  const rows: Uint8Array[] = [];
  for (let r = 0; r <= y; r++) {
    const filter = raw[r * (stride + 1)]!;
    const line = Uint8Array.from(raw.subarray(r * (stride + 1) + 1, (r + 1) * (stride + 1)));
    const up = rows[r - 1] ?? new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? line[i - channels]! : 0;
      const b = up[i]!;
      const c = i >= channels ? up[i - channels]! : 0;
      const p = a + b - c;
      const paeth =
        Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter]!;
      line[i] = (line[i]! + predictor) & 0xff;
    }
    rows.push(line);
  }
  const px = [...rows[y]!.subarray(x * channels, (x + 1) * channels)];
  return channels === 3 ? [...px, 255] : px;
}
