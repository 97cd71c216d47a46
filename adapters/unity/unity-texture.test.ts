// Textures through the Unity package's core: the headless host (C#, Mono) against the real
// orchestrator on 127.0.0.1 with the simulator. A texture travels as its image file (a PNG texture
// blob); the host holds those bytes and reports the hash and size it reads from them, never the
// reference it was told. A file the Unity side alters on import fails the hash check and rolls back.
// As a source the host uploads its own PNG (ask, then send) before the snapshot or mutation naming it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/support/harness.js';
import type { Material, Mutation } from '../../shared/protocol/index.js';
import type { SimAdapter } from '../sim/sim-adapter.js';
import { checkerTexture } from '../sim/scene-gen.js';
import { hostHarness } from './testing/host-harness.js';
import type { HostEvent, UnityHost } from './testing/host-process.js';
import { skipWithoutMono } from './testing/require-mono.js';

const skip = skipWithoutMono('Unity texture tests (unity-texture.test.ts)');

interface HeldTexture {
  slot: string;
  hash: string;
  width: number;
  height: number;
  format: string;
  bytes: string;
}

describe.skipIf(skip)('Unity host with texture blobs (C#, built with mcs)', () => {
  const harness = hostHarness();
  const { truth } = harness;
  let unity: UnityHost;

  /** The image files a material holds in the host, with the hash and size it reports from them. */
  const held = async (id: string) => {
    const e = await unity.command(`texture ${id}`, (x) => x.event === 'texture' && x.id === id);
    return (e as HostEvent & { textures: HeldTexture[] }).textures;
  };
  const same = (a: Uint8Array | undefined, base64: string) => a !== undefined && Buffer.from(a).equals(Buffer.from(base64, 'base64'));

  describe('the simulator as the source, the host as the target', () => {
    let sim: SimAdapter;
    const painted = () => sim.scene.toScene().materials.find((m) => m.textures.length > 0)!;

    beforeAll(async () => {
      const h = await harness.start();
      unity = await harness.startHost({ VIBESYNC_ROLES: 'target' });
      sim = await h.sim({ name: 'sim', roles: ['source'], objects: 8, targets: ['unity'] });
    });
    afterAll(() => harness.stop(), 30_000);

    it("holds the source's PNG byte for byte, and the hash it reports from those bytes agrees", async () => {
      const s = await unity.until((st) => st.open === 0 && st.hash === sim.sceneHash && st.hash === truth(), 'hash equal to the source');
      expect(s.errors).toEqual([]);
      const wire = painted();
      const [t] = await held(wire.id);
      expect(t).toMatchObject({ slot: 'base_color', hash: wire.textures[0]!.hash, width: 16, height: 16, format: 'png' });
      expect(same(sim.blobs.get(wire.textures[0]!.hash), t!.bytes)).toBe(true);
    });

    it('commits a new texture from the source, uploaded before the mutation naming it', async () => {
      const before = await unity.state();
      const { texture, png } = checkerTexture([0.1, 0.6, 0.9, 1]);
      sim.blobs.set(texture.hash, png);
      await sim.uploadBlobs([texture.hash]);
      const material: Material = { ...painted(), textures: [texture] };
      const change: Mutation = { mid: 'tex-2', targets: ['unity'], op: 'upsert_material', material };
      sim.scene.applyLive([change]);
      sim.send('mutation', { mutation: change });
      const s = await unity.until((st) => st.committed > before.committed && st.open === 0, 'the texture change committed');
      expect(s.hash).toBe(truth());
      expect(s.hash).toBe(sim.sceneHash);
      const [t] = await held(material.id);
      expect(t!.hash).toBe(texture.hash);
      expect(same(png, t!.bytes)).toBe(true);
    });

    it('rolls back a texture the Unity side altered on import: the hash check fails, nothing is echoed', async () => {
      await unity.command('quirk-corrupt-texture');
      const before = await unity.state();
      const id = painted().id;
      const [was] = await held(id);
      const requests = sim.received.filter((m) => m.type === 'snapshot_request').length;
      const { texture, png } = checkerTexture([0.9, 0.9, 0.1, 1]);
      sim.blobs.set(texture.hash, png);
      await sim.uploadBlobs([texture.hash]);
      sim.send('mutation', {
        mutation: { mid: 'tex-corrupt', targets: ['unity'], op: 'upsert_material', material: { ...painted(), textures: [texture] } },
      });
      const after = await unity.until((st) => st.rolledBack === before.rolledBack + 1 && st.open === 0, 'the transaction rolled back');
      expect(after.hash).toBe(before.hash);
      const [back] = await held(id);
      expect(back!.hash).toBe(was!.hash);
      expect(back!.bytes).toBe(was!.bytes);
      await eventually(
        () => sim.received.filter((m) => m.type === 'snapshot_request').length > requests,
        'the source is asked to re-snapshot',
      );
      await unity.until((st) => st.hash === truth() && st.hash === sim.sceneHash && st.open === 0, 'in step after the re-snapshot');
      await unity.command('quirk-none');
    });
  });

  describe('the host as the source, uploading its PNG, the simulator as the target', () => {
    let sim: SimAdapter;

    beforeAll(async () => {
      const h = await harness.start();
      sim = await h.sim({ name: 'sim', roles: ['target'], objects: 0 });
      unity = await harness.startHost({
        VIBESYNC_ROLES: 'source',
        VIBESYNC_TARGETS: 'sim',
        VIBESYNC_OBJECTS: '3',
        VIBESYNC_MESHES: '1',
        VIBESYNC_TEXTURES: '1',
      });
    });
    afterAll(() => harness.stop(), 30_000);

    it('uploads its texture blob before the snapshot: the simulator holds the same bytes and the same scene hash', async () => {
      const s = await unity.until((st) => st.uploads === 0 && st.blobsSent === 2, 'the mesh and texture blobs were uploaded');
      await sim.until(() => sim.sceneHash === s.hash, 'the simulator adopted the Unity scene');
      const [mine] = await held('u_mat_0');
      expect(mine).toMatchObject({ slot: 'base_color', width: 16, height: 16, format: 'png' });
      expect(sim.scene.toScene().materials.find((m) => m.id === 'u_mat_0')!.textures[0]!.hash).toBe(mine!.hash);
      expect(same(sim.blobs.get(mine!.hash), mine!.bytes)).toBe(true);
      expect(s.errors).toEqual([]);
    });

    it('uploads a new texture, then sends the mutation naming it; the simulator commits and holds the same bytes', async () => {
      await unity.command('set-texture u_mat_0 32');
      const [mine] = await held('u_mat_0');
      expect(mine).toMatchObject({ width: 32, height: 32 });
      await sim.until(
        () => sim.scene.toScene().materials.find((m) => m.id === 'u_mat_0')!.textures[0]?.hash === mine!.hash,
        'the new texture committed on the simulator',
      );
      const s = await unity.until((st) => st.unacked === 0 && st.blobsSent === 3, 'acknowledged');
      expect(sim.sceneHash).toBe(s.hash);
      expect(same(sim.blobs.get(mine!.hash), mine!.bytes)).toBe(true);
    });
  });
});
