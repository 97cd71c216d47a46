// Blob traffic through a real orchestrator on loopback: ask-then-send, dedup, blobs before the
// resync / transaction that needs them, an engine without the "blobs" capability, and a target
// holding other bytes than the blob (its own hash, rolled back). Meshes ("VSM1" blobs) and textures
// (the image file's bytes) travel the same way.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { meshSummaryOf } from '../../../shared/canonical/index.js';
import { checkerPng } from '../../../adapters/sim/png.js';
import { arrivals, blobProbes, sha256, triangle } from '../../../test/support/blob-probes.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});
const { stored, texturesReferenced, referenced, bareTarget } = blobProbes(() => h);

describe('blobs: meshes and textures travel as content-addressed blobs', () => {
  it('a source sends only what the orchestrator lacks; stored once on disk; a target gets them before its resync and reports what it holds', async () => {
    h = await startHarness();
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    const hashes = [...source.blobs.keys()].sort();
    expect(hashes).toHaveLength(4); // three box meshes, one base-colour PNG
    expect(stored()).toEqual(hashes); // <data>/blobs/<2 hex>/<sha256>, one file per blob
    // The snapshot's meshes and textures are the blobs: geometryHash / hash is each blob's SHA-256.
    const meshes = referenced();
    expect(texturesReferenced()).toHaveLength(1);
    expect(meshes.length).toBeGreaterThan(1);
    expect(hashes).toEqual(expect.arrayContaining(meshes));
    // A texture blob is the image file, byte for byte.
    const [png] = texturesReferenced();
    expect(sha256(readFileSync(join(h.dir, 'blobs', png!.slice(0, 2), png!)))).toBe(png);
    expect(Buffer.from(readFileSync(join(h.dir, 'blobs', png!.slice(0, 2), png!))).equals(Buffer.from(source.blobs.get(png!)!))).toBe(true);

    const target = bareTarget('unity');
    const order = arrivals(target);
    await target.connect();
    await target.waitFor('resync');
    expect(order.indexOf('resync')).toBeGreaterThan(Math.max(...meshes.map((x) => order.indexOf(`blob:${x}`))));
    expect([...target.blobs.keys()].sort()).toEqual(meshes);
    expect(Buffer.from(target.blobs.get(png!)!).equals(Buffer.from(source.blobs.get(png!)!))).toBe(true); // the very image file
    expect(target.sceneHash).toBe(source.sceneHash);

    // Dedup: asking again gets an empty need, and nothing new is written.
    const again = await source.uploadBlobs();
    expect(again).toEqual([]);
    expect(stored()).toEqual(hashes);
  });

  it('an engine without the "blobs" capability (Unity, Godot today) keeps bounds-only summaries: no binary frame, no "blob" flag, same scene hash', async () => {
    h = await startHarness();
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    const unity = await h.sim({ name: 'unity', roles: ['target'], geometry: false });
    const resync = await unity.waitFor('resync');
    expect(resync.body.scene.objects.some((o) => o.mesh !== null)).toBe(true);
    expect(resync.body.scene.objects.every((o) => o.mesh === null || o.mesh.blob === undefined)).toBe(true);
    // textures keep their reference (slot, size, hash) and lose `blob` and `format`, fields it never knew
    const textures = resync.body.scene.materials.flatMap((m) => m.textures);
    expect(textures).toHaveLength(1);
    expect(Object.keys(textures[0]!).sort()).toEqual(['hash', 'height', 'slot', 'width']);
    expect(unity.blobs.size).toBe(0);
    expect(unity.sceneHash).toBe(source.sceneHash);
    const blob = triangle(4);
    const summary = meshSummaryOf(blob);
    source.blobs.set(summary.geometryHash, blob);
    await source.uploadBlobs([summary.geometryHash]);
    const mutation = { mid: 'tri', targets: ['unity'], op: 'set_props' as const, objectId: 'obj_1', props: { mesh: summary } };
    source.scene.applyLive([mutation]);
    source.send('mutation', { mutation });
    const begin = await unity.waitFor('tx_begin');
    expect(JSON.stringify(begin.body.mutations)).not.toContain('"blob"');
    await unity.until(() => unity.committed === 1, 'committed');
    expect(unity.blobs.size).toBe(0);
  });

  it('a new mesh in a mutation reaches the target before the tx_begin that needs it; the target commits with a hash of its own mesh', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    const blob = triangle(2);
    const summary = meshSummaryOf(blob);
    source.blobs.set(summary.geometryHash, blob);
    expect(await source.uploadBlobs([summary.geometryHash])).toEqual([summary.geometryHash]);
    const order = arrivals(target);
    const mutation = { mid: 'tri', targets: ['unity'], op: 'set_props' as const, objectId: 'obj_1', props: { mesh: summary } };
    source.scene.applyLive([mutation]);
    source.send('mutation', { mutation });
    await target.until(() => target.committed === 1, 'committed');
    expect(order.indexOf(`blob:${summary.geometryHash}`)).toBeGreaterThanOrEqual(0);
    expect(order.indexOf(`blob:${summary.geometryHash}`)).toBeLessThan(order.indexOf('tx_begin'));
    expect(target.scene.object('obj_1')!.mesh).toEqual(summary);
    expect(target.sceneHash).toBe(source.sceneHash);
  });

  it('a target whose mesh differs from the blob reports its own hash, and the transaction is rolled back', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    const blob = triangle(3);
    const summary = meshSummaryOf(blob);
    source.blobs.set(summary.geometryHash, blob);
    await source.uploadBlobs([summary.geometryHash]);
    // The target's import moves one vertex (an engine that cannot hold the mesh exactly).
    target.once('blob', (hash: string) => target.blobs.set(hash, triangle(3.5)));
    source.send('mutation', { mutation: { mid: 'tri', targets: ['unity'], op: 'set_props', objectId: 'obj_1', props: { mesh: summary } } });
    await target.waitFor('tx_rollback');
    expect(target.committed).toBe(0);
    expect(target.scene.object('obj_1')!.mesh!.geometryHash).not.toBe(summary.geometryHash);
  });

  it('a new texture in upsert_material reaches the target before its tx_begin; the same image again is never re-sent or re-stored', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    const png = checkerPng(8, [10, 200, 30], [0, 0, 0], 2);
    const hash = sha256(png);
    source.blobs.set(hash, png);
    expect(await source.uploadBlobs([hash])).toEqual([hash]);
    const before = stored();
    expect(await source.uploadBlobs([hash])).toEqual([]); // dedup: already held, not asked for
    expect(stored()).toEqual(before);
    const order = arrivals(target);
    const texture = { slot: 'base_color', width: 8, height: 8, hash, format: 'png' as const, blob: true as const };
    const material = {
      id: 'mat_green',
      name: 'Green',
      baseColor: [1, 1, 1, 1] as [number, number, number, number],
      metallic: 0,
      roughness: 1,
    };
    // two materials sharing one image: one blob on disk, one blob sent to the target
    const mutations = ['a', 'b'].map((k) => ({
      mid: `up-${k}`,
      targets: ['unity'],
      op: 'upsert_material' as const,
      material: { ...material, id: `${material.id}_${k}`, textures: [texture] },
    }));
    source.scene.applyLive(mutations);
    source.send('batch', { mutations });
    await target.until(() => target.committed === 1, 'committed');
    expect(order.filter((e) => e === `blob:${hash}`)).toHaveLength(1);
    expect(order.indexOf(`blob:${hash}`)).toBeLessThan(order.indexOf('tx_begin'));
    expect(Buffer.from(target.blobs.get(hash)!).equals(Buffer.from(png))).toBe(true);
    expect(stored().filter((x) => x === hash)).toHaveLength(1);
    expect(target.sceneHash).toBe(source.sceneHash);
  });

  it('a target that holds another image than the blob reports its own hash, and the transaction is rolled back', async () => {
    h = await startHarness();
    const target = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await target.waitFor('resync');
    const png = checkerPng(8, [200, 10, 10], [0, 0, 0], 2);
    const hash = sha256(png);
    source.blobs.set(hash, png);
    await source.uploadBlobs([hash]);
    // The target's import re-encodes the image (one pixel off): it holds other bytes.
    target.once('blob', (x: string) => target.blobs.set(x, checkerPng(8, [201, 10, 10], [0, 0, 0], 2)));
    const material = {
      id: 'mat_red',
      name: 'Red',
      baseColor: [1, 1, 1, 1] as [number, number, number, number],
      metallic: 0,
      roughness: 1,
      textures: [{ slot: 'base_color', width: 8, height: 8, hash, format: 'png' as const, blob: true as const }],
    };
    source.send('mutation', { mutation: { mid: 'up', targets: ['unity'], op: 'upsert_material', material } });
    const rollback = await target.waitFor('tx_rollback');
    expect(rollback.body.reason).toMatch(/hash/i);
    expect(target.committed).toBe(0);
  });
});
