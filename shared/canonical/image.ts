// What a texture blob's first bytes say about it: its encoding (PNG or JPEG) and its pixel size.
// A texture blob is the image file itself, hashed as is; the orchestrator reads only this header
// (Resource Limit) and an engine decodes the rest. Python: adapters/blender/.../core/image.py.
import type { z } from 'zod';
import type { TextureFormat } from '../protocol/scene.js';

export interface ImageInfo {
  format: z.infer<typeof TextureFormat>;
  width: number;
  height: number;
}

export const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] as const;

/** JPEG start-of-frame markers (baseline, progressive, lossless, arithmetic): they carry the size. */
const SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

const u16 = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u32 = (b: Uint8Array, i: number) => ((b[i]! << 24) | (b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!) >>> 0;

/**
 * The format and size an image file's header declares, or null when `bytes` does not begin with a
 * PNG IHDR or reach a JPEG start-of-frame (not an image, or a header cut off by `bytes`' end).
 */
export function imageInfo(bytes: Uint8Array): ImageInfo | null {
  if (bytes.length >= 24 && PNG_SIGNATURE.every((x, i) => bytes[i] === x)) {
    if (String.fromCharCode(...bytes.subarray(12, 16)) !== 'IHDR') return null;
    return { format: 'png', width: u32(bytes, 16), height: u32(bytes, 20) };
  }
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image, or entropy-coded data before any frame
    const length = u16(bytes, i + 2);
    if (SOF.has(marker)) {
      if (i + 9 > bytes.length) return null;
      return { format: 'jpeg', height: u16(bytes, i + 5), width: u16(bytes, i + 7) };
    }
    i += 2 + length;
  }
  return null;
}
