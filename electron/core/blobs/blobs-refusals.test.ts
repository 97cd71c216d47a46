// Blobs the orchestrator refuses, through a real orchestrator on loopback, each with a typed error
// that stores nothing and changes nothing: bytes that are not their hash (HASH_MISMATCH), a blob that
// is not what it is announced as or is named as what it is not, a mesh summary whose bounds are not
// its blob's (SCHEMA_VIOLATION), blobs over the configured limits (RESOURCE_LIMIT), a chunk nobody
// asked for (close 4001).
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMesh, meshBlobHash, meshSummaryOf } from '../../../shared/canonical/index.js';
import { encodeBlobChunk } from '../../../shared/protocol/index.js';
import { checkerPng } from '../../../adapters/sim/png.js';
import { blobProbes, sha256, triangle } from '../../../test/support/blob-probes.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});
const { stored, tmpFiles } = blobProbes(() => h);

describe('blobs: refused blobs store nothing and change nothing', () => {
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
});
