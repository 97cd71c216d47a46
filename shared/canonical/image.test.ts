// Texture blobs (data/golden/texture-vectors.json): what an image file's header says, its hash, and
// the canonical form of a material that names texture blobs (the Python add-on reads the same file).
import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import { describe, expect, it } from 'vitest';
import { TEXTURE_GOLDEN_PATH, textureVectors } from '../../scripts/gen-texture-golden.js';
import { checkerPng } from '../../adapters/sim/png.js';
import { materialJson } from './fast-json.js';
import { hashing } from './hashing.js';
import { imageInfo } from './image.js';

const committed = JSON.parse(readFileSync(TEXTURE_GOLDEN_PATH, 'utf8')) as ReturnType<typeof textureVectors>;

describe('texture golden vectors (data/golden/texture-vectors.json)', () => {
  it('the committed file is what the generator writes', () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(textureVectors())));
  });

  it.each(committed.images.map((v) => [v.name, v] as const))('image %s: SHA-256 of the bytes as they are, and the header read', (_, v) => {
    const bytes = hexToBytes(v.bytes);
    expect(bytesToHex(sha256(bytes))).toBe(v.sha256);
    expect(imageInfo(bytes)).toEqual(v.info);
  });

  it.each(committed.materials.map((v) => [v.name, v] as const))('material %s: canonical form and hash', (_, v) => {
    expect(materialJson(v.input)).toBe(v.canonical);
    expect(hashing.materialHash(v.input)).toBe(v.sha256);
  });

  it('blob and format are not hashed: a texture blob and its bare reference hash alike', () => {
    const [blob, reference] = committed.materials;
    expect(blob!.input.textures.every((t) => t.blob && t.format)).toBe(true);
    expect(reference!.input.textures.some((t) => 'blob' in t || 'format' in t)).toBe(false);
    expect(blob!.sha256).toBe(reference!.sha256);
  });
});

describe('imageInfo', () => {
  it("reads a PNG's IHDR size, whatever its pixels", () => {
    expect(imageInfo(checkerPng(40, [1, 2, 3], [4, 5, 6]))).toEqual({ format: 'png', width: 40, height: 40 });
  });

  it('skips fill bytes and segments before a JPEG frame, and gives up at scan data or a cut', () => {
    const sof = [0xff, 0xc2, 0, 11, 8, 0x01, 0x00, 0x02, 0x80, 1, 1, 0x11, 0];
    const app = [0xff, 0xe1, 0, 6, 1, 2, 3, 4];
    expect(imageInfo(Uint8Array.from([0xff, 0xd8, ...app, 0xff, ...sof]))).toEqual({ format: 'jpeg', width: 640, height: 256 });
    expect(imageInfo(Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2, ...sof]))).toBeNull();
    expect(imageInfo(Uint8Array.from([0xff, 0xd8, ...app]))).toBeNull();
    expect(imageInfo(new Uint8Array(0))).toBeNull();
  });
});
