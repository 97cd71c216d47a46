// Blob traffic through a real orchestrator on loopback: ask-then-send, dedup, verified arrival,
// blobs before the resync / transaction that needs them, typed refusals that store nothing, restart.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMesh, meshBlobHash, meshSummaryOf } from '../../../shared/canonical/index.js';
import { encodeBlobChunk } from '../../../shared/protocol/index.js';
import { SimAdapter } from '../../../adapters/sim/sim-adapter.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';

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
const referenced = () =>
  [...new Set([...h.orch.brain.state.scene.objects.values()].flatMap((o) => (o.mesh?.blob ? [o.mesh.geometryHash] : [])))].sort();

/** A target simulator that starts holding no blobs at all (its own scene has no meshes). */
function bareTarget(name: string): SimAdapter {
  const t = new SimAdapter({ url: h.orch.url, token: h.orch.tokens.issue('adapter', name).token, name, roles: ['target'], objects: 1 });
  t.blobs.clear();
  h.sims.push(t);
  return t;
}

const triangle = (x: number) => encodeMesh({ positions: [0, 0, 0, x, 0, 0, 0, 1, 0], faceSizes: [3], corners: [0, 1, 2] });

describe('blobs: meshes travel as content-addressed blobs', () => {
  it('a source sends only what the orchestrator lacks; stored once on disk; a target gets them before its resync and reports what it holds', async () => {
    h = await startHarness();
    const source = await h.sim({ name: 'blender', roles: ['source'], targets: ['unity'] });
    await eventually(() => h.orch.brain.state.sceneAdopted, 'snapshot adopted');
    const hashes = [...source.blobs.keys()].sort();
    expect(hashes).toHaveLength(3);
    expect(stored()).toEqual(hashes); // <data>/blobs/<2 hex>/<sha256>, one file per blob
    // The snapshot's meshes are the blobs: geometryHash is each blob's SHA-256.
    const meshes = referenced();
    expect(meshes.length).toBeGreaterThan(0);
    expect(hashes).toEqual(expect.arrayContaining(meshes));

    const target = bareTarget('unity');
    const order = arrivals(target);
    await target.connect();
    await target.waitFor('resync');
    expect(order.indexOf('resync')).toBeGreaterThan(Math.max(...meshes.map((x) => order.indexOf(`blob:${x}`))));
    expect([...target.blobs.keys()].sort()).toEqual(meshes);
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
