// Real textures, real Blender to real Blender: a material whose base colour is a PNG file and whose
// roughness is a JPEG travels as texture blobs (the image files' bytes) through the orchestrator, and
// a second Blender holds them as packed images. The target's own re-export has the same image bytes,
// and once its image is painted, its honest hash fails the check and the transaction is rolled back.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/support/harness.js';
import { checkerPng } from '../sim/png.js';
import { TEXTURE_GOLDEN_PATH } from '../../scripts/gen-texture-golden.js';
import { useBlenderPair } from './testing/blender-pair.js';
import { skipWithoutBlender } from './testing/require-blender.js';

const skip = skipWithoutBlender('Blender texture round-trip tests (blender-texture.test.ts)');

/** The material's images as this Blender holds them: per slot the image file's bytes (what export sends), packed or not, edited or not. */
const readBack = `(lambda mat: {
  "slots": {s: {"bytes": export.image_file(img)[0].hex(), "packed": bool(img.packed_file), "dirty": img.is_dirty}
            for s, img in export.slot_images(mat).items()},
  "textures": export.export_material(mat)["textures"],
  "shadow": "textures" in __import__("json").loads(mat.get("vibesync_shadow", "{}")),
})(bpy.data.materials["Painted"])`;

interface ReadBack {
  slots: Record<string, { bytes: string; packed: boolean; dirty: boolean }>;
  textures: { slot: string; hash: string; width: number; height: number; format: string; blob: boolean }[];
  shadow: boolean;
}

describe.skipIf(skip)('real textures from Blender to Blender', () => {
  const pair = useBlenderPair();
  const dir = mkdtempSync(join(tmpdir(), 'vibesync-textures-'));
  const png = checkerPng(16, [200, 40, 10], [250, 250, 250]);
  const jpeg = Buffer.from(
    (JSON.parse(readFileSync(TEXTURE_GOLDEN_PATH, 'utf8')) as { images: { bytes: string }[] }).images[1]!.bytes,
    'hex',
  );

  beforeAll(async () => {
    writeFileSync(join(dir, 'checker.png'), png);
    writeFileSync(join(dir, 'rough.jpg'), jpeg);
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("a PNG (base colour) and a JPEG (roughness) arrive as the same files: the target's own re-export has the same bytes and hashes", async () => {
    const { h, source, target } = pair;
    await source.exec(
      [
        'mat = bpy.data.materials.new("Painted")',
        'mat.use_nodes = True',
        'nodes, links = mat.node_tree.nodes, mat.node_tree.links',
        'bsdf = next(n for n in nodes if n.type == "BSDF_PRINCIPLED")',
        `for path, socket in ((${JSON.stringify(join(dir, 'checker.png'))}, "Base Color"), (${JSON.stringify(join(dir, 'rough.jpg'))}, "Roughness")):`,
        '    tex = nodes.new("ShaderNodeTexImage")',
        '    tex.image = bpy.data.images.load(path)',
        '    links.new(tex.outputs["Color"], bsdf.inputs[socket])',
        'me = bpy.data.meshes.new("Plane")',
        'me.from_pydata([(0, 0, 0), (1, 0, 0), (1, 1, 0), (0, 1, 0)], [], [(0, 1, 2, 3)])',
        'me.materials.append(mat)',
        'bpy.context.scene.collection.objects.link(bpy.data.objects.new("Plane", me))',
      ].join('\n'),
    );
    await eventually(
      () => [...h.orch.brain.state.scene.materials.values()].some((m) => m.name === 'Painted'),
      'material committed',
      30_000,
    );
    await target.waitFor((e) => e.event === 'tx_done' && e.outcome === 'committed', 30_000);
    const sent = await source.eval<ReadBack>(readBack);
    const held = await target.eval<ReadBack>(readBack);
    // the source sends its files as they are on disk
    expect(sent.slots.base_color!.bytes).toBe(Buffer.from(png).toString('hex'));
    expect(sent.slots.roughness!.bytes).toBe(jpeg.toString('hex'));
    // the target holds those very bytes, packed into its file
    expect(held.slots.base_color).toEqual({ bytes: sent.slots.base_color!.bytes, packed: true, dirty: false });
    expect(held.slots.roughness).toEqual({ bytes: sent.slots.roughness!.bytes, packed: true, dirty: false });
    expect(held.textures).toEqual(sent.textures);
    expect(held.shadow).toBe(false); // nothing recorded to echo: the hashes are read from the images
    const wire = [...h.orch.brain.state.scene.materials.values()].find((m) => m.name === 'Painted')!;
    expect(wire.textures.map((t) => [t.slot, t.format, t.width, t.height, t.blob]).sort()).toEqual([
      ['base_color', 'png', 16, 16, true],
      ['roughness', 'jpeg', 3, 2, true],
    ]);
    // and the orchestrator stored them as blobs, byte for byte
    for (const t of wire.textures) expect(existsSync(join(h.dir, 'blobs', t.hash.slice(0, 2), t.hash))).toBe(true);
  }, 90_000);

  it("once the target's image is painted, its hash check fails and the transaction is rolled back", async () => {
    const { h, source, target } = pair;
    await target.exec('img = bpy.data.materials["Painted"].node_tree.nodes["Image Texture"].image\nimg.pixels[0] = 0.25');
    const painted = await target.eval<ReadBack>(readBack);
    expect(Object.values(painted.slots).some((s) => s.dirty)).toBe(true);
    const from = target.events.length;
    // Another engine's edit of the material's roughness value reaches this target, whose image no longer matches.
    const agent = await h.sim({ name: 'claude', roles: ['agent'] });
    const materialId = [...h.orch.brain.state.scene.materials.values()].find((m) => m.name === 'Painted')!.id;
    const pid = agent.proposeEdit({ mid: 'rough', targets: ['blender2'], op: 'set_material', materialId, changes: { roughness: 0.25 } });
    await agent.until(() => agent.proposals.get(pid)?.status === 'pending', 'proposal pending');
    expect(await h.orch.control.call({ name: 'rita', role: 'reviewer' }, 'approve', { pids: [pid] })).toEqual({
      approved: [pid],
      missing: [],
    });
    const done = await target.waitFor((e) => e.event === 'tx_done' && e.outcome !== undefined, 30_000, from);
    expect(done.outcome).toBe('rolled_back');
    // The hash it reported is its own (the painted image), never the wire's: the orchestrator keeps the source's image hashes.
    const sent = await source.eval<ReadBack>(readBack);
    const wire = h.orch.brain.state.scene.materials.get(materialId)!;
    expect(wire.textures.map((t) => t.hash).sort()).toEqual(sent.textures.map((t) => t.hash).sort());
    const held = await target.eval<ReadBack>(readBack);
    expect(held.textures.find((t) => t.slot === 'base_color')!.hash).not.toBe(sent.textures.find((t) => t.slot === 'base_color')!.hash);
  }, 90_000);
});
