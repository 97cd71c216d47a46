// Godot 3 (godot3-server) as a source of the real orchestrator (127.0.0.1, port 0, fresh data folder),
// a TS simulator as its target: meshes made or edited in Godot travel as VSM1 blobs Godot encodes,
// textures set in Godot as image blobs (ask, then send), and what Godot does not send is marked
// (notSynced) without ever being hashed.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashing } from '../../shared/canonical/index.js';
import { encodeMesh, meshBlobHash } from '../../shared/canonical/mesh.js';
import type { Mutation } from '../../shared/protocol/index.js';
import { toScene } from '../../electron/core/brain/scene-model.js';
import { eventually, type Harness } from '../../test/support/harness.js';
import { encodePng } from '../sim/png.js';
import type { SimAdapter } from '../sim/sim-adapter.js';
import type { GodotProcess } from './testing/godot-process.js';
import { startGodotSource } from './testing/godot-suite.js';
import { pngPixel } from './testing/png-pixels.js';
import { skipWithoutGodot } from './testing/require-godot.js';

const skip = skipWithoutGodot('Godot source tests (adapters/godot/godot-source.test.ts)');

describe.skipIf(skip)('Godot source with the real orchestrator, the simulator as target', () => {
  let h: Harness;
  let target: SimAdapter;
  let godot: GodotProcess;

  beforeAll(async () => {
    ({ h, target, godot } = await startGodotSource());
  });
  afterAll(async () => {
    await godot?.stop();
    await h?.stopAll();
  });

  it('a mesh made in Godot travels as a VSM1 blob: stored by the orchestrator byte for byte as TypeScript encodes Godot s surfaces', async () => {
    const from = godot.events.length;
    const box = await godot.command('add_box', { objectId: 'gd-box', name: 'Box', size: [2, 1, 0.5], color: [0.75, 0.25, 0.125, 1] });
    await godot.waitFor((e) => e.event === 'ack', 10_000, from);
    await target.until(() => target.scene.object('gd-box') !== undefined, 'box on the target');
    const held = h.orch.brain.state.scene.objects.get('gd-box')!;
    // what Godot's CubeMesh holds, read from its surfaces in Godot: triangles (wound counter-clockwise
    // on the wire, Godot's own clockwise reversed), UVs with v pointing up
    const mesh = box.mesh as { positions: number[]; sizes: number[]; corners: number[]; slots: number[]; uvs: number[] | null };
    const blob = encodeMesh({ positions: mesh.positions, faceSizes: mesh.sizes, corners: mesh.corners, slots: mesh.slots, uvs: mesh.uvs });
    expect(mesh.sizes.every((n) => n === 3)).toBe(true);
    expect(mesh.uvs).not.toBeNull();
    expect(held.type).toBe('mesh');
    expect(held.mesh).toEqual({
      vertexCount: mesh.positions.length / 3,
      faceCount: mesh.sizes.length,
      bounds: { min: [-1, -0.5, -0.25], max: [1, 0.5, 0.25] },
      geometryHash: meshBlobHash(blob),
      blob: true,
    });
    // ask, then send: Godot queried, the orchestrator needed it, the chunks arrived and were stored
    expect(godot.events.slice(from).find((e) => e.event === 'blob_stored')).toMatchObject({
      hash: held.mesh!.geometryHash,
      size: blob.length,
    });
    expect(new Uint8Array(readFileSync(join(h.dir, 'blobs', held.mesh!.geometryHash.slice(0, 2), held.mesh!.geometryHash)))).toEqual(blob);
    // a counter-clockwise face: its normal (right-hand rule) points away from the box's centre
    const p = (i: number) => mesh.positions.slice(3 * mesh.corners[i]!, 3 * mesh.corners[i]! + 3);
    for (let f = 0; f < mesh.sizes.length; f++) {
      const [a, b, c] = [p(3 * f), p(3 * f + 1), p(3 * f + 2)];
      const u = b.map((v, i) => v - a[i]!);
      const v = c.map((x, i) => x - a[i]!);
      const n = [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
      const centre = [0, 1, 2].map((i) => (a[i]! + b[i]! + c[i]!) / 3);
      expect(n[0]! * centre[0]! + n[1]! * centre[1]! + n[2]! * centre[2]!, `face ${f} faces outwards`).toBeGreaterThan(0);
    }
    // its SpatialMaterial travels with it (colours exact in float32, so exact on the wire)
    expect(held.materials).toHaveLength(1);
    expect(h.orch.brain.state.scene.materials.get(held.materials[0]!)).toMatchObject({
      name: 'Box paint',
      baseColor: [0.75, 0.25, 0.125, 1],
    });
    expect(await godot.hash()).toBe(hashing.sceneHash(toScene(h.orch.brain.state.scene)));
    await target.until(() => target.sceneHash === hashing.sceneHash(toScene(h.orch.brain.state.scene)), 'target converged');
  });

  it('a mesh edited in Godot (in place, or replaced) is detected live: the target receives Godot s re-encoded blob and the hashes agree', async () => {
    const truth = () => hashing.sceneHash(toScene(h.orch.brain.state.scene));
    const orchMesh = () => h.orch.brain.state.scene.objects.get('gd-edit')?.mesh;
    // after an edit: Godot's own re-encode of the mesh it holds reaches the target as a blob
    const arrives = async (what: string, previous?: string) => {
      await eventually(
        () => orchMesh() !== undefined && orchMesh()!.geometryHash !== previous,
        `${what}: new mesh at the orchestrator`,
        10_000,
      );
      const held = await godot.command('mesh', { objectId: 'gd-edit' });
      const blob = new Uint8Array(Buffer.from(held.blob as string, 'hex'));
      expect(orchMesh()!.geometryHash, what).toBe(meshBlobHash(blob));
      await target.until(() => target.blobs.has(meshBlobHash(blob)), `${what}: blob on the target`);
      expect(target.blobs.get(meshBlobHash(blob)), what).toEqual(blob);
      await target.until(() => target.sceneHash === truth(), `${what}: target converged`);
      expect(await godot.hash(), what).toBe(truth());
      return { hash: meshBlobHash(blob), held };
    };
    await godot.command('add_box', { objectId: 'gd-edit', name: 'Edited', size: [1, 1, 1] });
    const made = await arrives('made');
    // a CubeMesh resized in place: the same resource, rebuilt by Godot (its `changed` signal)
    await godot.command('resize_box', { objectId: 'gd-edit', size: [3, 1, 1] });
    const resized = await arrives('resized in place', made.hash);
    expect(orchMesh()!.bounds).toEqual({ min: [-1.5, -0.5, -0.5], max: [1.5, 0.5, 0.5] });
    // the mesh replaced by another resource: same geometry, same blob, so nothing travels
    const batches = godot.events.filter((e) => e.event === 'batch').length;
    await godot.command('to_array_mesh', { objectId: 'gd-edit' });
    expect((await godot.command('mesh', { objectId: 'gd-edit' })).class).toBe('ArrayMesh');
    expect((await godot.command('read', { objectId: 'gd-edit' })).object).toMatchObject({ mesh: { geometryHash: resized.hash } });
    expect(godot.events.filter((e) => e.event === 'batch').length).toBe(batches);
    // that ArrayMesh edited in place with a MeshDataTool (surface removed and committed again)
    const before = await godot.command('mesh', { objectId: 'gd-edit' });
    const nudged = await godot.command('nudge_in_place', { objectId: 'gd-edit', index: 0, by: [0, 0.25, 0] });
    const edited = await arrives('a vertex moved in place', resized.hash);
    expect(edited.held.blob).not.toBe(before.blob);
    expect((await godot.command('nudge_in_place', { objectId: 'gd-edit', index: 0, by: [0, -0.25, 0] })).meshId).toBe(nudged.meshId);
    await arrives('moved back', edited.hash);
    expect(orchMesh()!.geometryHash).toBe(resized.hash);
  });

  it('a texture set in Godot travels as a texture blob (ask, then send): an image file byte for byte, generated pixels as a PNG Godot encodes', async () => {
    const stored = (hash: string) => new Uint8Array(readFileSync(join(h.dir, 'blobs', hash.slice(0, 2), hash)));
    const material = () => h.orch.brain.state.scene.materials.get(h.orch.brain.state.scene.objects.get('gd-box')!.materials[0]!)!;
    // an image file (as one dragged into a material): the blob is the file's bytes
    const file = new Uint8Array(
      encodePng(
        3,
        2,
        Uint8Array.from({ length: 24 }, (_, k) => [10, 20, 30, 255][k % 4]!),
      ),
    );
    const path = join(h.dir, 'painted.png');
    writeFileSync(path, file);
    let from = godot.events.length;
    await godot.command('set_texture', { objectId: 'gd-box', slot: 'base_color', path });
    await eventually(() => material().textures.length === 1, 'the texture reaches the orchestrator', 10_000);
    expect(material().textures).toEqual([{ slot: 'base_color', width: 3, height: 2, hash: meshBlobHash(file), format: 'png', blob: true }]);
    expect(stored(meshBlobHash(file))).toEqual(file);
    expect(godot.events.slice(from).find((e) => e.event === 'blob_stored')).toMatchObject({ hash: meshBlobHash(file), size: file.length });
    // generated pixels (no file): Godot encodes them as a PNG, and that file travels
    from = godot.events.length;
    await godot.command('set_texture', { objectId: 'gd-box', slot: 'emission', width: 5, height: 4, fill: [1, 0, 1, 1] });
    await eventually(() => material().textures.length === 2, 'the generated texture reaches the orchestrator', 10_000);
    const emission = material().textures.find((t) => t.slot === 'emission')!;
    expect(emission).toMatchObject({ width: 5, height: 4, format: 'png', blob: true });
    const png = stored(emission.hash);
    expect(meshBlobHash(png)).toBe(emission.hash);
    expect(pngPixel(png, 4, 3)).toEqual([255, 0, 255, 255]);
    const truth = hashing.sceneHash(toScene(h.orch.brain.state.scene));
    expect(await godot.hash()).toBe(truth);
    await target.until(() => target.sceneHash === truth, 'target converged');
  });

  it('marks what it does not send: each node s notSynced reaches the orchestrator, /healthz counts them, a snapshot keeps them, a mesh edit carries a mark that comes or goes, and no mark is hashed', async () => {
    const scene = () => h.orch.brain.state.scene;
    const mark = (id: string) => scene().objects.get(id)?.notSynced;
    const truth = () => hashing.sceneHash(toScene(scene()));
    const unmarked = () => {
      const s = toScene(scene());
      return hashing.sceneHash({ ...s, objects: s.objects.map(({ notSynced: _, ...o }) => o) });
    };
    const EMPTY = 'travels as an empty with its transform';
    const SURFACES = 'not sent as faces (the mesh blob carries triangles only; their vertices travel loose)';
    const nodes: [id: string, what: string, parent: string | null][] = [
      ['gd-skel', 'skeleton', null],
      ['gd-skin', 'skinned', 'gd-skel'],
      ['gd-bone', 'bone_attachment', 'gd-skel'],
      ['gd-path', 'path', null],
      ['gd-csg', 'csg', null],
      ['gd-multi', 'multimesh', null],
      ['gd-grid', 'gridmap', null],
      ['gd-parts', 'particles', null],
      ['gd-sprite', 'sprite', null],
      ['gd-odd', 'odd_mesh', null],
      ['gd-frustum', 'frustum_camera', null],
    ];
    for (const [id, what, parent] of nodes) await godot.command('add_node', { objectId: id, name: id, what, parent });
    await eventually(() => nodes.every(([id]) => mark(id) !== undefined), 'every mark at the orchestrator', 15_000);
    const expected = {
      'gd-skel': { kind: 'armature', reason: `Skeleton (2 bones) not sent: ${EMPTY}; meshes bound to it travel in their rest pose` },
      'gd-skin': {
        kind: 'skinning',
        reason: 'skinned mesh (Skeleton "gd-skel", 2 bones): the mesh travels in its rest pose; the skin, bones and weights are not sent',
      },
      'gd-bone': {
        kind: 'bone_parent',
        reason: 'BoneAttachment follows bone "arm": travels as an empty at its current transform (the bone link is not sent)',
      },
      'gd-path': { kind: 'curve', reason: `Path curve (3 points) not sent: ${EMPTY}` },
      'gd-csg': { kind: 'other', reason: `CSG shape CSGBox not sent (its combined mesh is not read): ${EMPTY}` },
      'gd-multi': { kind: 'instance', reason: `MultiMeshInstance (5 instances of its mesh) not sent: ${EMPTY}` },
      'gd-grid': { kind: 'other', reason: `GridMap cells not sent: ${EMPTY}` },
      'gd-parts': { kind: 'other', reason: `CPUParticles emitter not sent: ${EMPTY}` },
      'gd-sprite': { kind: 'other', reason: `Sprite3D (its texture quad) not sent: ${EMPTY}` },
      'gd-odd': { kind: 'other', reason: `surfaces 1 (lines), 2 (triangle strip) ${SURFACES}` },
      'gd-frustum': { kind: 'other', reason: 'frustum projection (its offset) not sent: travels as a perspective camera' },
    };
    expect(Object.fromEntries(nodes.map(([id]) => [id, mark(id)]))).toEqual(expected);
    // what travels: the node as an empty, the skinned mesh in its rest pose, the faceless surfaces' vertices loose
    expect(nodes.map(([id]) => scene().objects.get(id)!.type)).toEqual([
      'empty',
      'mesh',
      'empty',
      'empty',
      'empty',
      'empty',
      'empty',
      'empty',
      'empty',
      'mesh',
      'camera',
    ]);
    expect(scene().objects.get('gd-skin')!.parent).toBe('gd-skel');
    expect(scene().objects.get('gd-odd')!.mesh).toMatchObject({ vertexCount: 9, faceCount: 1 });
    // the rule alone, on facts: losses join in one reason, the first kind wins, a long reason is cut to
    // 256 UTF-16 units (as the protocol counts them) without splitting a character past U+FFFF
    const rule = async (facts: Record<string, unknown>) => (await godot.command('not_synced', { facts })).mark;
    expect(await rule({ class: 'MeshInstance' })).toBeNull();
    expect(await rule({ skinned: true, blendShapes: 1, colors: true, keepWidth: false })).toEqual({
      kind: 'skinning',
      reason:
        'skinned mesh: the mesh travels in its rest pose; the skin, bones and weights are not sent; 1 blend shape not sent; vertex colours not sent',
    });
    const long = (await rule({ node: 'bone_attachment', class: 'BoneAttachment', bone: 'b'.repeat(199) + '😀'.repeat(20) })) as {
      kind: string;
      reason: string;
    };
    expect(long.kind).toBe('bone_parent');
    expect(long.reason.length).toBe(255); // 254 units and the ellipsis: the next 😀 (2 units) would pass 256
    expect(long.reason).toMatch(/^BoneAttachment follows bone "b+(😀)+…$/u);
    const counts = { objects: 11, byKind: { armature: 1, skinning: 1, bone_parent: 1, curve: 1, instance: 1, other: 6 } };
    expect(h.orch.healthz().notSynced).toEqual(counts);
    // never hashed: Godot's hash, computed without marks, is the orchestrator's with and without them
    expect(await godot.hash()).toBe(truth());
    expect(unmarked()).toBe(truth());
    await target.until(() => target.sceneHash === truth(), 'target converged');

    // a snapshot from Godot, adopted (a reviewer asks for one: it replaces Godot's objects), carries the same marks
    const snapshots = () => h.orch.brain.state.audit.filter((a) => a.kind === 'snapshot' && a.reason === 'requested').length;
    const taken = snapshots();
    const reviewer = { name: 'rita', role: 'reviewer' as const };
    await h.orch.control.call(reviewer, 'requestResnapshot', { objectId: 'gd-skel', reason: 'marks' });
    await eventually(() => snapshots() > taken, 'the snapshot adopted', 10_000);
    expect(Object.fromEntries(nodes.map(([id]) => [id, mark(id)]))).toEqual(expected);
    expect(h.orch.healthz().notSynced).toEqual(counts);

    // a mark alone changes (keep_aspect says the camera's fov is horizontal): sent, the hash unchanged
    const hash = await godot.hash();
    await godot.command('camera_aspect', { objectId: 'gd-frustum', aspect: 'width' });
    await eventually(() => mark('gd-frustum')!.reason.includes('Keep Width'), 'the changed mark arrived', 10_000);
    expect(mark('gd-frustum')!.reason).toBe(
      `${expected['gd-frustum'].reason}; keep_aspect is Keep Width: its horizontal fov travels as the vertical field of view`,
    );
    expect(await godot.hash()).toBe(hash);
    expect(truth()).toBe(hash);

    // a mesh edit that adds what the blob cannot carry: the set_props {mesh} carries the mark, and clears it
    const box = () => scene().objects.get('gd-box')!;
    const geometry = box().mesh!.geometryHash;
    await godot.command('remesh', { objectId: 'gd-box', colors: true, uv2: true });
    await eventually(() => mark('gd-box') !== undefined, 'vertex colours and UV2 marked', 10_000);
    expect(mark('gd-box')).toEqual({
      kind: 'other',
      reason: 'second UV channel (UV2, e.g. lightmap UVs) not sent; vertex colours not sent',
    });
    expect(box().mesh!.geometryHash).toBe(geometry); // the same blob: only the mark travelled
    expect(await godot.hash()).toBe(truth());
    const from = target.received.length;
    await godot.command('remesh', { objectId: 'gd-box', lines: true });
    await eventually(() => mark('gd-box')?.reason.startsWith('surface 1') === true, 'the lines surface marked', 10_000);
    expect(mark('gd-box')).toEqual({ kind: 'other', reason: `surface 1 (lines) ${SURFACES}` });
    expect(box().mesh!.geometryHash).not.toBe(geometry);
    await target.until(() => target.sceneHash === truth(), 'target converged after the lines');
    const props = target.received
      .slice(from)
      .flatMap((m) => (m.type === 'tx_begin' ? (m.body.mutations as Mutation[]) : []))
      .flatMap((m) => (m.op === 'set_props' && m.objectId === 'gd-box' ? [m.props] : []));
    expect(props).toContainEqual({ mesh: box().mesh, notSynced: mark('gd-box') });
    await godot.command('remesh', { objectId: 'gd-box', lines: false });
    await eventually(() => mark('gd-box') === undefined, 'the mark cleared', 10_000);
    expect(box().mesh!.geometryHash).toBe(geometry);
    expect(h.orch.healthz().notSynced).toEqual(counts);
    expect(await godot.hash()).toBe(truth());
    await target.until(() => target.sceneHash === truth(), 'target converged');
  });
});
