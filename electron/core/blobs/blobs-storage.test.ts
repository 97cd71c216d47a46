// The blob store on disk under a real orchestrator on loopback: a connection that closes mid-blob
// leaves no partial file, a second orchestrator on the same data folder (WAL_LOCKED) never touches an
// unfinished upload, blobs survive a restart, and collection deletes only what nothing references
// (a lagging target's transactions included).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeMesh, meshBlobHash, meshSummaryOf } from '../../../shared/canonical/index.js';
import { blobChunks } from '../../../shared/protocol/index.js';
import { blobProbes, triangle } from '../../../test/support/blob-probes.js';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';
import { startOrchestrator } from '../orchestrator.js';

let h: Harness;
afterEach(async () => {
  await h?.stopAll();
});
const { stored, tmpFiles, referenced, bareTarget } = blobProbes(() => h);

describe('blobs: the store on disk keeps what is referenced, across crashes and restarts', () => {
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
