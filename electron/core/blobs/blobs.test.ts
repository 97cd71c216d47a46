// Blob traffic through a real orchestrator on loopback: ask-then-send, dedup, verified arrival,
// blobs before the resync / transaction that needs them, typed refusals that store nothing, restart.
// Meshes ("VSM1" blobs) and textures (the image file's bytes) travel the same way.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMesh, meshBlobHash, meshSummaryOf } from '../../../shared/canonical/index.js';
import { blobChunks, encodeBlobChunk } from '../../../shared/protocol/index.js';
import { SimAdapter } from '../../../adapters/sim/sim-adapter.js';
import { checkerPng } from '../../../adapters/sim/png.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';
import { startOrchestrator } from '../orchestrator.js';

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});

const stored = () => {
  const root = join(h.dir, 'blobs');
  return readdirSync(root)
    .filter((d) => /^[0-9a-f]{2}$/.test(d))
    .flatMap((d) => readdirSync(join(root, d)))
    .sort();
};
const tmpFiles = () => readdirSync(join(h.dir, 'blobs', 'tmp'));

/** The order a sim saw blobs and JSON messages in. */
function arrivals(sim: SimAdapter): string[] {
  const seen: string[] = [];
  sim.on('blob', (hash: string) => seen.push(`blob:${hash}`));
  sim.on('message', (m: { type: string }) => seen.push(m.type));
  return seen;
}

/** The mesh blobs the orchestrator's scene references, sorted. */
const meshesReferenced = () =>
  [...new Set([...h.orch.brain.state.scene.objects.values()].flatMap((o) => (o.mesh?.blob ? [o.mesh.geometryHash] : [])))].sort();
/** The texture blobs the orchestrator's materials reference, sorted. */
const texturesReferenced = () =>
  [...new Set([...h.orch.brain.state.scene.materials.values()].flatMap((m) => m.textures.filter((t) => t.blob).map((t) => t.hash)))].sort();
const referenced = () => [...meshesReferenced(), ...texturesReferenced()].sort();

/** A target simulator that starts holding no blobs at all (its own scene has no meshes). */
function bareTarget(name: string): SimAdapter {
  const t = new SimAdapter({ url: h.orch.url, token: h.orch.tokens.issue('adapter', name).token, name, roles: ['target'], objects: 1 });
  t.blobs.clear();
  h.sims.push(t);
  return t;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const triangle = (x: number) => encodeMesh({ positions: [0, 0, 0, x, 0, 0, 0, 1, 0], faceSizes: [3], corners: [0, 1, 2] });

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

  it('a blob whose bytes do not match its hash: HASH_MISMATCH, nothing stored, the connection stays', async () => {
    h = await startHarness();
    const source = await h.sim({ name: 'blender', roles: ['source'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    const before = stored();
    const claimed = meshBlobHash(triangle(7));
    const ref = source.send('blob_query', { blobs: [{ hash: claimed, kind: 'mesh', size: triangle(8).length }] });
    expect((await source.waitFor('blob_need', (m) => m.body.ref === ref)).body.need).toEqual([claimed]);
    source.sendBlob(claimed, triangle(8)); // other bytes under that name
    const err = await source.waitFor('error', (m) => m.body.code === 'HASH_MISMATCH');
    expect(err.body.message).toContain(`blob ${claimed}`);
    expect(stored()).toEqual(before);
    expect(tmpFiles()).toEqual([]);
    // A snapshot naming it is refused, and nothing changes.
    const state = h.orch.brain.exportState();
    const scene = source.scene.toScene();
    scene.objects[1] = { ...scene.objects[1]!, mesh: meshSummaryOf(triangle(7)) };
    const snap = source.send('snapshot', { reason: 'requested', scene, hash: 'f'.repeat(64) });
    const refused = await source.waitFor('error', (m) => m.body.ref === snap);
    expect(refused.body).toMatchObject({ code: 'SCHEMA_VIOLATION', message: expect.stringContaining(`${claimed} is not stored`) });
    expect({ ...h.orch.brain.exportState(), engines: [] }).toEqual({ ...state, engines: [] });
    expect(source.connected).toBe(true);
  });

  it('a blob that is not what it is announced as, or named as what it is not, is refused (SCHEMA_VIOLATION) and nothing changes', async () => {
    h = await startHarness();
    const source = await h.sim({ name: 'blender', roles: ['source'], geometry: false });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    const refusedUpload = async (kind: 'mesh' | 'texture', bytes: Uint8Array) => {
      const hash = sha256(bytes);
      const q = source.send('blob_query', { blobs: [{ hash, kind, size: bytes.length }] });
      expect((await source.waitFor('blob_need', (m) => m.body.ref === q)).body.need).toEqual([hash]);
      source.sendBlob(hash, bytes);
      return (await source.waitFor('error', (m) => m.body.message.includes(hash))).body;
    };
    // a 20-byte "VSM1" header that claims 10 vertices and carries none
    const header = new Uint8Array(20);
    header.set([0x56, 0x53, 0x4d, 0x31]);
    new DataView(header.buffer).setUint32(4, 10, true);
    expect(await refusedUpload('mesh', header)).toMatchObject({
      code: 'SCHEMA_VIOLATION',
      message: expect.stringContaining('its header says 140 bytes, 20 announced: not a mesh blob'),
    });
    expect(await refusedUpload('mesh', new TextEncoder().encode('no mesh at all'))).toMatchObject({
      code: 'SCHEMA_VIOLATION',
      message: expect.stringContaining('does not start with a "VSM1" header'),
    });
    expect(await refusedUpload('texture', triangle(3))).toMatchObject({
      code: 'SCHEMA_VIOLATION',
      message: expect.stringContaining('is not a PNG or JPEG file'),
    });
    expect(stored()).toEqual([]);
    // Stored blobs named as what they are not: a mesh summary with other counts, a mesh as a texture, a texture of another size.
    const mesh = triangle(2);
    const png = checkerPng(8, [255, 0, 0], [0, 0, 255]);
    for (const b of [mesh, png]) source.blobs.set(sha256(b), b);
    await source.uploadBlobs([sha256(mesh), sha256(png)]);
    expect(stored().sort()).toEqual([sha256(mesh), sha256(png)].sort());
    const state = h.orch.brain.exportState();
    const base = source.scene.object('obj_1')!;
    const texture = (over: object) => ({
      slot: 'base_color',
      width: 8,
      height: 8,
      hash: sha256(png),
      format: 'png' as const,
      blob: true as const,
      ...over,
    });
    const material = (t: object) => ({
      id: 'm_t',
      name: 'T',
      baseColor: [1, 1, 1, 1] as [number, number, number, number],
      metallic: 0,
      roughness: 1,
      textures: [t],
    });
    const refusals: Array<[object, string]> = [
      [
        { op: 'create', object: { ...base, id: 'liar', mesh: { ...meshSummaryOf(mesh), vertexCount: 99 } } },
        'mesh summary says 99 vertices and 1 faces; its blob',
      ],
      [
        {
          op: 'create',
          object: { ...base, id: 'wide', mesh: { ...meshSummaryOf(mesh), bounds: { min: [0, 0, 0], max: [2.0005, 2, 0] } } },
        },
        'mesh summary bounds [0,0,0]..[20005,20000,0] (0.1 mm steps) are not its blob',
      ],
      [
        { op: 'upsert_material', material: material(texture({ hash: sha256(mesh) })) },
        'is not a PNG or JPEG image, yet a texture names it',
      ],
      [
        { op: 'create', object: { ...base, id: 'png', mesh: { ...meshSummaryOf(mesh), geometryHash: sha256(png) } } },
        'is not a mesh blob, yet a mesh names it',
      ],
      [{ op: 'upsert_material', material: material(texture({ width: 16 })) }, 'texture says 16x8 png; its blob'],
    ];
    for (const [m, why] of refusals) {
      const mid = source.send('mutation', { mutation: { mid: `m-${why.length}`, targets: ['unity'], ...m } as never });
      expect((await source.waitFor('error', (e) => e.body.ref === mid)).body).toMatchObject({
        code: 'SCHEMA_VIOLATION',
        message: expect.stringContaining(why),
      });
    }
    expect({ ...h.orch.brain.exportState(), engines: [], audit: [] }).toEqual({ ...state, engines: [], audit: [] });
    expect(source.connected).toBe(true);
  });

  it("a mesh summary's bounds are checked against the blob's positions across its 1 MiB pieces: the true ones pass, one step off is refused", async () => {
    h = await startHarness();
    await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    // 120,000 vertices: 1.44 MB of positions, so the extremes at the end lie in the blob's second piece
    const V = 120_000;
    const positions = Array.from({ length: 3 * V }, (_, i) => ((i * 7919) % 1000) / 1000);
    positions.splice(3 * (V - 1), 3, -5.4321, 9.8765, 3.3333);
    const big = encodeMesh({ positions, faceSizes: [3], corners: [0, 1, V - 1] });
    source.blobs.set(sha256(big), big);
    await source.uploadBlobs([sha256(big)]);
    const summary = meshSummaryOf(big);
    expect(summary.bounds).toEqual({ min: [-5.4321, 0, 0], max: [0.999, 9.8765, 3.3333] });
    const base = source.scene.object('obj_1')!;
    const off = source.send('mutation', {
      mutation: {
        mid: 'off',
        targets: ['unity'],
        op: 'create',
        object: { ...base, id: 'off', mesh: { ...summary, bounds: { ...summary.bounds, max: [0.999, 9.8764, 3.3333] } } },
      },
    });
    expect((await source.waitFor('error', (e) => e.body.ref === off)).body).toMatchObject({
      code: 'SCHEMA_VIOLATION',
      message: expect.stringContaining('[-54321,0,0]..[9990,98765,33333]'),
    });
    const ok = source.send('mutation', {
      mutation: { mid: 'ok', targets: ['unity'], op: 'create', object: { ...base, id: 'big', mesh: summary } },
    });
    await source.waitFor('ack', (a) => a.body.ref === ok);
    expect(h.orch.brain.state.scene.objects.get('big')?.mesh?.bounds).toEqual(summary.bounds);
  });

  it('Resource Limit: a mesh or texture blob over the byte or vertex limit is blocked with RESOURCE_LIMIT and nothing is stored', async () => {
    h = await startHarness({ maxBlobBytes: 2000, limits: { maxVertices: 100 } });
    const source = await h.sim({ name: 'blender', roles: ['source'], geometry: false });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    const big = 'b'.repeat(64);
    const ref = source.send('blob_query', { blobs: [{ hash: big, kind: 'texture', size: 2001 }] });
    expect((await source.waitFor('blob_need', (m) => m.body.ref === ref)).body.need).toEqual([]);
    const err = await source.waitFor('error', (m) => m.body.ref === ref);
    expect(err.body).toMatchObject({
      code: 'RESOURCE_LIMIT',
      message: expect.stringContaining('over the limit of 2000: transfer blocked'),
    });
    // A mesh within the byte limit but over the vertex limit is refused at its first chunk.
    const positions = Array.from({ length: 3 * 101 }, (_, i) => i * 0.01);
    const many = encodeMesh({ positions, faceSizes: [3], corners: [0, 1, 2] });
    expect(many.length).toBeLessThan(2000);
    const hash = meshBlobHash(many);
    const q = source.send('blob_query', { blobs: [{ hash, kind: 'mesh', size: many.length }] });
    expect((await source.waitFor('blob_need', (m) => m.body.ref === q)).body.need).toEqual([hash]);
    source.sendBlob(hash, many);
    const tooMany = await source.waitFor('error', (m) => m.body.message.includes(hash));
    expect(tooMany.body).toMatchObject({ code: 'RESOURCE_LIMIT', message: expect.stringContaining('101 vertices, over the limit of 100') });
    expect(stored()).toEqual([]);
    expect(tmpFiles()).toEqual([]);
    expect(source.connected).toBe(true);
  });

  it('Resource Limit: a texture over the configured pixel or byte cap is blocked with RESOURCE_LIMIT, nothing is stored, and a material naming it is refused', async () => {
    h = await startHarness({ limits: { maxTextureSize: 32, maxTextureBytes: 4096 } });
    const source = await h.sim({ name: 'blender', roles: ['source'], geometry: false });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    // 64×64 pixels (its PNG header says so) in 150-odd bytes: within the byte cap, over the pixel cap.
    const wide = checkerPng(64, [255, 0, 0], [0, 0, 255]);
    expect(wide.length).toBeLessThan(4096);
    const wideHash = sha256(wide);
    source.blobs.set(wideHash, wide);
    await source.uploadBlobs([wideHash]);
    const tooWide = source.stats.errors.find((e) => e.message.includes(wideHash));
    expect(tooWide).toMatchObject({
      code: 'RESOURCE_LIMIT',
      message: expect.stringContaining('64x64 PNG, over the limit of 32 pixels a side'),
    });
    // 4097 bytes is over the byte cap: refused at the query, never asked for.
    const ref = source.send('blob_query', { blobs: [{ hash: 'e'.repeat(64), kind: 'texture', size: 4097 }] });
    expect((await source.waitFor('blob_need', (m) => m.body.ref === ref)).body.need).toEqual([]);
    const tooBig = await source.waitFor('error', (m) => m.body.ref === ref);
    expect(tooBig.body).toMatchObject({ code: 'RESOURCE_LIMIT', message: expect.stringContaining('texture blob') });
    expect(tooBig.body.message).toContain('over the limit of 4096: transfer blocked');
    expect(stored()).toEqual([]);
    expect(tmpFiles()).toEqual([]);
    // A material naming the refused texture is refused like a mesh naming a missing blob; nothing changes.
    const state = h.orch.brain.exportState();
    const material = {
      id: 'mat_wide',
      name: 'Wide',
      baseColor: [1, 1, 1, 1] as [number, number, number, number],
      metallic: 0,
      roughness: 0.5,
      textures: [{ slot: 'base_color', width: 16, height: 16, hash: wideHash, format: 'png' as const, blob: true as const }],
    };
    const mid = source.send('mutation', { mutation: { mid: 'm1', targets: ['unity'], op: 'upsert_material', material } });
    const refused = await source.waitFor('error', (m) => m.body.ref === mid);
    expect(refused.body).toMatchObject({ code: 'SCHEMA_VIOLATION', message: expect.stringContaining(`blob ${wideHash} is not stored`) });
    expect({ ...h.orch.brain.exportState(), engines: [] }).toEqual({ ...state, engines: [] });
    expect(source.connected).toBe(true);
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

  it('a chunk nobody asked for is a Contract Violation (SCHEMA_VIOLATION, close 4001)', async () => {
    h = await startHarness();
    const source = await h.sim({ name: 'blender', roles: ['source'], geometry: false });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    source.sendBinary(encodeBlobChunk({ hash: 'c'.repeat(64), index: 0, count: 1, payload: new Uint8Array(8) }));
    const err = await source.waitFor('error', (m) => m.body.code === 'SCHEMA_VIOLATION');
    expect(err.body.message).toContain('was not asked for');
    await source.until(() => source.closed !== null, 'closed');
    expect(source.closed!.code).toBe(4001);
    expect(stored()).toEqual([]);
  });

  it('a connection that closes mid-blob leaves no partial file behind, and the blob may be sent again', async () => {
    h = await startHarness();
    const source = await h.sim({ name: 'blender', roles: ['source'], geometry: false });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    const V = 300_000; // about 3.6 MB: four chunks
    const big = encodeMesh({ positions: Array.from({ length: 3 * V }, (_, i) => i % 97), faceSizes: [3], corners: [0, 1, 2] });
    const hash = meshBlobHash(big);
    const ref = source.send('blob_query', { blobs: [{ hash, kind: 'mesh', size: big.length }] });
    expect((await source.waitFor('blob_need', (m) => m.body.ref === ref)).body.need).toEqual([hash]);
    const chunks = [...blobChunks(hash, big)];
    expect(chunks.length).toBeGreaterThan(2);
    for (const c of chunks.slice(0, 2)) source.sendBinary(c);
    await eventually(() => tmpFiles().length === 1, 'the partial blob is being written');
    source.crash(); // the engine dies mid-transfer
    await eventually(() => tmpFiles().length === 0, 'the partial file is deleted when the connection closes');
    expect(stored()).not.toContain(hash);
    const again = await h.sim({ name: 'blender', roles: ['source'], geometry: false });
    again.blobs.set(hash, big);
    expect(await again.uploadBlobs([hash])).toEqual([hash]);
    expect(stored()).toContain(hash);
    expect(tmpFiles()).toEqual([]);
  });

  it("a second orchestrator started on the same data folder is refused (WAL_LOCKED) before it touches the running one's unfinished upload, which completes", async () => {
    h = await startHarness();
    const source = await h.sim({ name: 'blender', roles: ['source'], geometry: false });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    const V = 300_000;
    const big = encodeMesh({ positions: Array.from({ length: 3 * V }, (_, i) => i % 89), faceSizes: [3], corners: [0, 1, 2] });
    const hash = meshBlobHash(big);
    const ref = source.send('blob_query', { blobs: [{ hash, kind: 'mesh', size: big.length }] });
    expect((await source.waitFor('blob_need', (m) => m.body.ref === ref)).body.need).toEqual([hash]);
    const chunks = [...blobChunks(hash, big)];
    for (const c of chunks.slice(0, 2)) source.sendBinary(c);
    await eventually(() => tmpFiles().length === 1, 'the partial blob is being written');
    const tokens = readFileSync(join(h.dir, 'tokens.json'), 'utf8');
    await expect(
      startOrchestrator({ dataDir: h.dir, port: 0, logger: pino({ level: 'silent' }), staticDir: join(h.dir, 'no-panel') }),
    ).rejects.toMatchObject({ code: 'WAL_LOCKED' });
    expect(tmpFiles()).toHaveLength(1);
    expect(readFileSync(join(h.dir, 'tokens.json'), 'utf8')).toBe(tokens);
    for (const c of chunks.slice(2)) source.sendBinary(c);
    await source.waitFor('blob_stored', (m) => m.body.hash === hash);
    expect(stored()).toContain(hash);
  });

  it('blobs survive a restart: after it the orchestrator needs none of them again, and resyncs a new target with them', async () => {
    h = await startHarness();
    const source = await h.sim({ name: 'blender', roles: ['source'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    const hashes = stored();
    await source.close();
    await h.orch.close();
    await h.restart();
    expect(stored()).toEqual(hashes);
    const again = await h.sim({ name: 'blender', roles: ['source'] });
    expect(await again.uploadBlobs()).toEqual([]);
    const target = bareTarget('unity');
    await target.connect();
    await target.waitFor('resync');
    expect([...target.blobs.keys()].sort()).toEqual(referenced());
    expect(target.sceneHash).toBe(again.sceneHash);
  });

  it("a lagging target's in-flight and queued transactions keep the meshes they name, though the scene has moved past them", async () => {
    h = await startHarness({ blobGraceMs: 0 });
    const unity = await h.sim({ name: 'unity', roles: ['target'], scenario: 'stuck' }); // takes transactions, never answers
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    await unity.waitFor('resync');
    const meshes = [triangle(11), triangle(12), triangle(13)];
    for (const m of meshes) source.blobs.set(meshBlobHash(m), m);
    await source.uploadBlobs(meshes.map(meshBlobHash));
    for (const [i, m] of meshes.entries()) {
      const mid = source.send('mutation', {
        mutation: { mid: `mesh-${i}`, targets: ['unity'], op: 'set_props', objectId: 'obj_1', props: { mesh: meshSummaryOf(m) } },
      });
      await source.waitFor('ack', (a) => a.body.ref === mid);
    }
    await unity.waitFor('tx_begin'); // the first is in flight, the others queue behind it
    h.orch.brain.collectBlobs();
    // the scene names only the last; the target's transactions still need the first two
    expect(h.orch.brain.state.scene.objects.get('obj_1')!.mesh!.geometryHash).toBe(meshBlobHash(meshes[2]!));
    for (const m of meshes) expect(stored()).toContain(meshBlobHash(m));
  });

  it('a blob nothing references is collected; referenced ones stay', async () => {
    h = await startHarness({ blobGraceMs: 0 });
    const source = await h.sim({ name: 'blender', roles: ['source'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    const orphan = triangle(9);
    const hash = meshBlobHash(orphan);
    source.blobs.set(hash, orphan);
    await source.uploadBlobs([hash]);
    expect(existsSync(join(h.dir, 'blobs', hash.slice(0, 2), hash))).toBe(true);
    h.orch.brain.collectBlobs();
    expect(stored()).toEqual(referenced()); // the orphan and any box no object uses are gone
    expect(stored()).not.toContain(hash);
  });
});
