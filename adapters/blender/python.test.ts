// The add-on's Python units, from vitest: golden vectors and the script wall in plain python3 and
// inside Blender, scene export/apply/rollback inside Blender, and a property test holding the
// Python hashing byte-identical to the TypeScript one on random scenes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashing } from '../../shared/canonical/index.js';
import type { Material, SceneObject } from '../../shared/protocol/index.js';
import { runBlender, runPython } from './testing/python.js';
import { skipWithoutBlender } from './testing/require-blender.js';

const skip = skipWithoutBlender('the in-Blender Python suite and the zip install test (python.test.ts)');

describe('Blender add-on Python units', () => {
  it('pass in plain python3 (golden vectors, version differences, diff order, mutations, layers)', async () => {
    const units = [
      'test_canonical',
      'test_mesh',
      'test_image',
      'test_compat',
      'test_diff',
      'test_mutation',
      'test_status',
      'test_layers',
      'test_live',
    ];
    const r = await runPython(['-m', 'unittest', '-v', ...units], { env: { PYTHONPATH: 'adapters/blender/tests' } });
    expect(r.stderr).toMatch(/\nOK\n?$/);
    expect(r.code).toBe(0);
  });

  it.skipIf(skip)('pass inside Blender (golden vectors, export/apply/rollback/resync, ids through undo, incremental stream)', async () => {
    const r = await runBlender('adapters/blender/tests/blender_suite.py');
    expect(r.stdout).toMatch(/SUITE OK ran=\d+ failures=0 errors=0/);
    expect(r.code).toBe(0);
  });

  it.skipIf(skip)('installs from its zip like any add-on: preferences, panel, handlers; disables cleanly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vibesync-addon-'));
    try {
      const zip = join(dir, 'vibesync_blender.zip');
      expect((await runPython(['adapters/blender/build_zip.py', zip])).code).toBe(0);
      const r = await runBlender('adapters/blender/tests/install_zip.py', [zip], { env: { BLENDER_USER_SCRIPTS: join(dir, 'scripts') } });
      const line = r.stdout.split('\n').find((l) => l.startsWith('INSTALL '));
      expect(line, r.stdout + r.stderr).toBeDefined();
      const got = JSON.parse(line!.slice(8));
      expect(got).toMatchObject({
        enabled: true,
        panel: true,
        connect_operator: true,
        panel_after_disable: false,
        prefs: { url: 'ws://127.0.0.1:7420/adapter', engine_name: 'blender', targets: '' },
        handlers: expect.arrayContaining(['_on_depsgraph']),
      });
      expect(got.installed_at).toContain(join(dir, 'scripts'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the zip also installs as a Blender 4.2+ extension: a manifest generated from bl_info', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vibesync-manifest-'));
    try {
      const zip = join(dir, 'vibesync_blender.zip');
      expect((await runPython(['adapters/blender/build_zip.py', zip])).code).toBe(0);
      const read = `import json, sys, tomllib, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({"names": z.namelist(), "manifest": tomllib.loads(z.read("vibesync_blender/blender_manifest.toml").decode())}))`;
      const r = await runPython(['-c', read, zip]);
      expect(r.stderr).toBe('');
      const { names, manifest } = JSON.parse(r.stdout) as { names: string[]; manifest: Record<string, unknown> };
      expect(names).toEqual(
        expect.arrayContaining([
          'vibesync_blender/__init__.py',
          'vibesync_blender/core/compat.py',
          'vibesync_blender/blender/adapter/router.py',
        ]),
      );
      expect(manifest).toMatchObject({
        schema_version: '1.0.0',
        id: 'vibesync_blender',
        version: '0.1.0',
        type: 'add-on',
        blender_version_min: '4.2.0',
        license: [expect.stringMatching(/^SPDX:/)],
        permissions: { network: expect.any(String), files: expect.any(String) },
      });
      expect((manifest.tagline as string).length).toBeLessThanOrEqual(64);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('hash random objects, materials, geometry and scenes exactly like the TypeScript reference', async () => {
    const num = fc.oneof(
      fc.double({ min: -1e5, max: 1e5, noNaN: true }),
      fc.integer({ min: -1000, max: 1000 }).map((i) => i * 5e-5),
    );
    const v3 = fc.tuple(num, num, num);
    const quat = fc.tuple(num, num, num, num).filter((q) => Math.hypot(...q) > 1e-3);
    const id = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,20}$/);
    const hex = fc.stringMatching(/^[0-9a-f]{64}$/);
    const object: fc.Arbitrary<SceneObject> = fc.record({
      id,
      name: fc.string({ maxLength: 30, unit: 'binary' }),
      type: fc.constantFrom('mesh', 'empty', 'light', 'camera', 'other'),
      parent: fc.option(id, { nil: null }),
      transform: fc.record({ position: v3, rotation: quat, scale: v3 }),
      mesh: fc.option(
        fc.record({ vertexCount: fc.nat(), faceCount: fc.nat(), geometryHash: hex, bounds: fc.record({ min: v3, max: v3 }) }),
        { nil: null },
      ),
      materials: fc.array(id, { maxLength: 3 }),
    });
    const material: fc.Arbitrary<Material> = fc.record({
      id,
      name: fc.string({ maxLength: 20 }),
      baseColor: fc.tuple(num, num, num, num),
      metallic: num,
      roughness: num,
      textures: fc.array(
        fc.record({
          slot: fc.constantFrom('base_color', 'normal', 'roughness', 'metallic'),
          width: fc.integer({ min: 1, max: 8192 }),
          height: fc.integer({ min: 1, max: 8192 }),
          hash: hex,
        }),
        { maxLength: 3 },
      ),
    });
    const geometry = fc.array(v3, { minLength: 1, maxLength: 20 }).chain((verts) =>
      fc.record({
        positions: fc.constant(verts.flat()),
        faces: fc.array(fc.array(fc.nat(verts.length - 1), { minLength: 3, maxLength: 5 }), { maxLength: 10 }),
      }),
    );
    // lone surrogates have no UTF-8 form in either language; engines never produce them
    const wellFormed = (o: { name: string }) => o.name.isWellFormed();
    const doc = fc.sample(
      fc.record({
        objects: fc.uniqueArray(object.filter(wellFormed), { maxLength: 40, selector: (o) => o.id }),
        materials: fc.uniqueArray(material.filter(wellFormed), { maxLength: 10, selector: (m) => m.id }),
        geometry: fc.array(geometry, { maxLength: 10 }),
      }),
      { numRuns: 60, seed: 20240607 },
    );
    const r = await runPython(['adapters/blender/tests/hash_stdin.py'], { input: JSON.stringify(doc) });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(
      doc.map((d) => ({
        objects: d.objects.map((o) => hashing.objectHash(o)),
        materials: d.materials.map((m) => hashing.materialHash(m)),
        geometry: d.geometry.map((g) => hashing.geometryHash(g.positions, g.faces)),
        scene: hashing.sceneHash({ objects: d.objects, materials: d.materials }),
      })),
    );
  });
});
