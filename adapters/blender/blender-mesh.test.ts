// Real mesh content, real Blender to real Blender: Suzanne made in one headless Blender travels as
// a mesh blob through the orchestrator and a second Blender builds the real mesh (not a bounds box).
// The target's own re-export equals the source's (positions, faces, UVs), and once the target's
// mesh differs, its honest hash fails the check and the transaction is rolled back.
import { describe, expect, it } from 'vitest';
import { useBlenderPair } from './testing/blender-pair.js';
import { skipWithoutBlender } from './testing/require-blender.js';

const skip = skipWithoutBlender('Blender mesh round-trip tests (blender-mesh.test.ts)');

/** Suzanne as the object's own mesh reads back in Blender: polygons, positions (canonical axes, 0.1 mm grid), UVs (1e-5 grid), its blob hash. */
const readBack = `(lambda me, math: {
  "vertices": len(me.vertices),
  "faces": [list(p.vertices) for p in me.polygons],
  "positions": [[math.floor(c / 1e-4 + 0.5) for c in (v.co.x, v.co.z, -v.co.y)] for v in me.vertices],
  "uvs": [[math.floor(c / 1e-5 + 0.5) for c in d.uv] for d in me.uv_layers.active.data] if me.uv_layers.active else None,
  "hash": export.mesh_summary(me, 1.0)["geometryHash"],
  "shadow": "mesh" in __import__("json").loads(bpy.data.objects["Suzanne"].get("vibesync_shadow", "{}")),
})(bpy.data.objects["Suzanne"].data, __import__("math"))`;

interface ReadBack {
  vertices: number;
  faces: number[][];
  positions: number[][];
  uvs: number[][] | null;
  hash: string;
  shadow: boolean;
}

describe.skipIf(skip)('a real mesh from Blender to Blender', () => {
  const pair = useBlenderPair();

  it("Suzanne (507 vertices, UVs) arrives whole: the target's own re-export equals the source's, and the hash it reports is its own", async () => {
    const { h, source, target } = pair;
    await source.exec(
      [
        'import bmesh',
        'bm = bmesh.new()',
        'bm.loops.layers.uv.new()',
        'bmesh.ops.create_monkey(bm, calc_uvs=True)',
        'me = bpy.data.meshes.new("Suzanne")',
        'bm.to_mesh(me)',
        'bm.free()',
        'bpy.context.scene.collection.objects.link(bpy.data.objects.new("Suzanne", me))',
      ].join('\n'),
    );
    await target.waitFor((e) => e.event === 'tx_done' && e.outcome === 'committed', 30_000);
    const sent = await source.eval<ReadBack>(readBack);
    const held = await target.eval<ReadBack>(readBack);
    expect(held.vertices).toBe(507); // not an 8-vertex bounds box
    expect(held.faces).toEqual(sent.faces);
    expect(held.positions).toEqual(sent.positions);
    expect(held.uvs).toEqual(sent.uvs);
    expect(held.hash).toBe(sent.hash);
    expect(held.shadow).toBe(false); // nothing recorded to echo: the hash is read from the mesh itself
    const wire = [...h.orch.brain.state.scene.objects.values()].find((o) => o.name === 'Suzanne')!;
    expect(wire.mesh).toMatchObject({ vertexCount: 507, faceCount: 500, geometryHash: sent.hash, blob: true });
  }, 90_000);

  it("once the target's mesh differs from the source's, its hash check fails, the transaction is rolled back and a resync rebuilds the mesh", async () => {
    const { source, target } = pair;
    await target.exec('bpy.data.objects["Suzanne"].data.vertices[0].co.x += 0.01');
    const from = target.events.length;
    await source.exec('bpy.data.objects["Suzanne"].location = (0.0, 0.0, 2.0)');
    const done = await target.waitFor((e) => e.event === 'tx_done' && e.outcome !== undefined, 30_000, from);
    expect(done.outcome).toBe('rolled_back');
    // The rollback asks the source for a fresh snapshot, and the target is resynced from it: its
    // mesh is rebuilt from the blob, so no content is lost on either side.
    await target.waitFor((e) => e.event === 'resynced', 30_000, from);
    const sent = await source.eval<ReadBack>(readBack);
    const held = await target.eval<ReadBack>(readBack);
    expect(held.positions).toEqual(sent.positions);
    expect(held.hash).toBe(sent.hash);
  }, 90_000);
});
