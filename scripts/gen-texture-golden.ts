// Writes data/golden/texture-vectors.json: texture blobs (image files hashed as they are) and
// materials referencing them. What every adapter that sends or holds images must reproduce: the
// blob's SHA-256, what its header says (format, width, height), and the material's canonical form,
// which ignores `blob` and `format`. canonical-vectors.json is untouched.
import { writeFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils';
import { canonicalJson, canonicalMaterial, hashing, imageInfo } from '../shared/canonical/index.js';
import type { Material } from '../shared/protocol/index.js';

/** Image files Blender 3.4 wrote (`Image.save()`) from one 3×2 picture: real encoder output, not hand-made. */
const PNG_3X2 =
  '89504e470d0a1a0a0000000d49484452000000030000000208020000001216f14d000000097048597300000b1300000b1301009a9c18000000134944' +
  '4154081d63fcff9f819101483030c031004ee906fca4c524a60000000049454e44ae426082';
const JPEG_3X2 =
  'ffd8ffe000104a46494600010100000100010000ffe1000c4e656f47656f0000005affdb004300030202030202030303030403030405080505040405' +
  '0a070706080c0a0c0c0b0a0b0b0d0e12100d0e110e0b0b1016101113141515150c0f171816141812141514ffdb00430103040405040509050509140d' +
  '0b0d1414141414141414141414141414141414141414141414141414141414141414141414141414141414141414141414141414ffc0001108000200' +
  '0303012200021101031101ffc4001f0000010501010101010100000000000000000102030405060708090a0bffc400b5100002010303020403050504' +
  '040000017d01020300041105122131410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738' +
  '393a434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aa' +
  'b2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9faffc4001f010003010101010101' +
  '0101010000000000000102030405060708090a0bffc400b5110002010204040304070504040001027700010203110405213106124151076171132232' +
  '8108144291a1b1c109233352f0156272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a6364656667' +
  '68696a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5' +
  'd6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9faffda000c03010002110311003f00f9bfe29fed0bf15342f19cd67a6fc4bf1869d68b676520' +
  'b7b4d7aea28c33da44eedb564032ceccc4f72c49e4d14515fd07c2ff00f221c07fd79a5ffa444f9fa7f047d0ffd9';

const image = (name: string, hex: string) => ({
  name,
  bytes: hex,
  sha256: bytesToHex(sha256(hexToBytes(hex))),
  info: imageInfo(hexToBytes(hex)),
});

export function textureVectors() {
  const images = [
    image('PNG, 3x2, RGB', PNG_3X2),
    image('JPEG, 3x2, baseline', JPEG_3X2),
    image('JPEG header cut before its frame: no info', JPEG_3X2.slice(0, 40)),
    image('not an image: no info', '564d5331000000000000000000000000'),
  ];
  const [png, jpeg] = images;
  const painted: Material = {
    id: 'mat-painted',
    name: 'Painted',
    baseColor: [1, 1, 1, 1],
    metallic: 0,
    roughness: 0.5,
    textures: [
      { slot: 'roughness', width: 3, height: 2, hash: jpeg!.sha256, format: 'jpeg', blob: true },
      { slot: 'base_color', width: 3, height: 2, hash: png!.sha256, format: 'png', blob: true },
    ],
  };
  const referenceOnly: Material = { ...painted, textures: painted.textures.map(({ blob: _b, format: _f, ...t }) => t) };
  const material = (name: string, input: Material) => ({
    name,
    kind: 'material',
    input,
    canonical: canonicalJson(canonicalMaterial(input)),
    sha256: hashing.materialHash(input),
  });
  return {
    description:
      'VibeSync texture blobs (docs/protocol.md "Texture blobs"): a texture blob is the encoded image file, hashed as is. Regenerate with `node --import tsx scripts/gen-texture-golden.ts`. images: bytes (hex) → sha256 and info (format, width, height from the header; null when it has none). materials: the canonical form and hash of a material whose textures are blobs; `blob` and `format` are not hashed, so both vectors hash alike.',
    images,
    materials: [
      material('material with a PNG and a JPEG texture blob', painted),
      material('the same material as references only', referenceOnly),
    ],
  };
}

export const TEXTURE_GOLDEN_PATH = new URL('../data/golden/texture-vectors.json', import.meta.url);

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  writeFileSync(TEXTURE_GOLDEN_PATH, JSON.stringify(textureVectors(), null, 2) + '\n');
  console.log(`wrote ${TEXTURE_GOLDEN_PATH.pathname}`);
}
