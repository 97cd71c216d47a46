// Real 3D models made by others (Debian's assimp-testmodels: OBJ, FBX, PLY, STL, Collada), imported
// into a real Blender source and synced to a second real Blender: for each file the source's, the
// target's and the orchestrator's scene hashes agree (each Blender hashes what it holds itself), the
// target's meshes have the source's vertices, faces and per-face material slots, and what the wire
// cannot carry is marked with a reason (notSynced), never dropped silently.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashing } from '../../shared/canonical/index.js';
import { toScene } from '../../electron/core/brain/scene-model.js';
import { useBlenderPair } from './testing/blender-pair.js';
import type { BlenderProcess } from './testing/blender-process.js';
import { isCI, skipWithoutBlender } from './testing/require-blender.js';

const MODELS = '/usr/share/assimp/models';
const INSTALL = 'apt-get install -y assimp-testmodels (scripts/setup.sh installs it)';
const noModels = !existsSync(MODELS);
if (noModels) {
  console.warn(`\n*** SKIPPING real-model tests (models.test.ts): ${MODELS} is missing.\n*** ${INSTALL}.\n`);
  if (isCI()) it('real-model tests: assimp-testmodels is required when CI=true', () => expect.fail(`${MODELS} is missing; ${INSTALL}`));
}
const skip = skipWithoutBlender('real-model tests (models.test.ts)') || noModels;

/** What each file must show once synced: objects the orchestrator holds, and the not-synced marks (name → kind). */
const CASES: Array<{ file: string; objects: number; marks?: Record<string, string> }> = [
  { file: 'OBJ/cube_usemtl.obj', objects: 1 }, // one mesh, three materials on different faces
  { file: 'OBJ/spider.obj', objects: 1 },
  { file: 'FBX/spider.fbx', objects: 21 }, // binary FBX (Blender reads no ASCII FBX), a hierarchy
  { file: 'PLY/cube_uv.ply', objects: 1 },
  { file: 'STL/sphereWithHole.stl', objects: 1 },
  { file: 'Collada/cameras.dae', objects: 3 },
  { file: 'Collada/lights.dae', objects: 5, marks: { Hemi: 'other' } }, // a legacy Hemi light Blender 3.4 cannot name
  { file: 'Collada/library_animation_clips.dae', objects: 2, marks: { Armature: 'armature', Cube: 'skinning' } },
];

const IMPORT: Record<string, string> = {
  obj: 'bpy.ops.wm.obj_import',
  fbx: 'bpy.ops.import_scene.fbx',
  ply: 'bpy.ops.import_mesh.ply',
  stl: 'bpy.ops.import_mesh.stl',
  dae: 'bpy.ops.wm.collada_import',
};

/** Every mesh as this Blender holds it, by object name: positions (0.1 mm), faces, each face's material slot, slot materials. */
const MESHES = `emit({"event": "meshes", "meshes": {o.name: {
  "positions": [[round(c * 1e4) for c in v.co] for v in o.data.vertices],
  "faces": [list(p.vertices) for p in o.data.polygons],
  "slots": [p.material_index for p in o.data.polygons],
  "materials": [m.name if m else None for m in o.data.materials],
} for o in bpy.context.scene.objects if o.type == "MESH"}})`;
const SCENE_HASH =
  'from vibesync_blender.core import canonical\nemit({"event": "scene_hash", "hash": canonical.scene_hash(export.export_scene(bpy.context.scene))})';

async function ask<T>(b: BlenderProcess, code: string, event: string, field: string): Promise<T> {
  const from = b.events.length;
  await b.exec(code);
  return (await b.waitFor((e) => e.event === event, 15_000, from))[field] as T;
}

describe.skipIf(skip)('real models by others, Blender to Blender', () => {
  const pair = useBlenderPair();

  for (const c of CASES) {
    it(`${c.file}: the target holds what the source holds, and what cannot travel is marked`, async () => {
      const { h, source, target } = pair;
      const path = `${MODELS}/${c.file}`;
      const importer = IMPORT[c.file.split('.').pop()!.toLowerCase()]!;
      await source.exec(
        `for o in list(bpy.context.scene.objects):\n    bpy.data.objects.remove(o)\n${importer}(filepath=${JSON.stringify(path)})`,
      );
      // converged: each Blender's hash of its own scene equals the orchestrator's
      const deadline = Date.now() + 45_000;
      let hashes: string[] = [];
      for (;;) {
        const brain = h.orch.brain.state.scene;
        hashes = [await ask<string>(source, SCENE_HASH, 'scene_hash', 'hash'), await ask<string>(target, SCENE_HASH, 'scene_hash', 'hash')];
        if (brain.objects.size === c.objects && hashes.every((x) => x === hashing.sceneHash(toScene(brain)))) break;
        if (Date.now() > deadline) expect.fail(`${c.file}: never converged (${brain.objects.size} objects; hashes ${hashes.join(' ')})`);
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(await ask(target, MESHES, 'meshes', 'meshes')).toEqual(await ask(source, MESHES, 'meshes', 'meshes'));
      const marks = Object.fromEntries(
        [...h.orch.brain.state.scene.objects.values()].filter((o) => o.notSynced).map((o) => [o.name, o.notSynced!.kind]),
      );
      expect(marks).toEqual(c.marks ?? {});
    }, 90_000);
  }
});
