// Real meshes through the Unity package's core: the headless host (C#, Mono) against the real
// orchestrator on 127.0.0.1 with the simulator carrying real "VSM1" mesh blobs and a PNG texture.
// As a target the host holds each mesh decoded from its blob, and its own re-encoding must give the
// source's bytes back; a mesh corrupted on the Unity side must fail the hash check and roll back.
// As a source it uploads its meshes (ask, then send) before the snapshot or mutation naming them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../../test/support/harness.js';
import type { Mutation } from '../../shared/protocol/index.js';
import type { SimAdapter } from '../sim/sim-adapter.js';
import { boxBlob } from '../sim/scene-gen.js';
import { meshSummaryOf } from '../../shared/canonical/index.js';
import { hostHarness } from './testing/host-harness.js';
import type { HostEvent, UnityHost } from './testing/host-process.js';
import { skipWithoutMono } from './testing/require-mono.js';

const skip = skipWithoutMono('Unity mesh tests (unity-mesh.test.ts)');

describe.skipIf(skip)('Unity host with real meshes (C#, built with mcs)', () => {
  const harness = hostHarness();
  const { truth } = harness;
  let unity: UnityHost;

  /** The mesh the host holds, re-encoded from its own geometry. */
  const held = async (id: string) => {
    const e = await unity.command(`mesh ${id}`, (x) => x.event === 'mesh' && x.id === id);
    return e as HostEvent & { held: boolean; hash: string; vertices: number; faces: number; blob: string };
  };

  describe('the simulator as the source, the host as the target', () => {
    let sim: SimAdapter;

    beforeAll(async () => {
      const h = await harness.start();
      unity = await harness.startHost({ VIBESYNC_ROLES: 'target' });
      sim = await h.sim({ name: 'sim', roles: ['source'], objects: 20, rate: 50, frames: 5, targets: ['unity'] });
    });
    afterAll(() => harness.stop(), 30_000);

    it("holds every mesh the source sent: the host's own re-encoding is the source's blob, byte for byte", async () => {
      await eventually(() => sim.stats.mutationsSent === 5 * 10, 'the source streamed its 5 frames', 15_000);
      const s = await unity.until((st) => st.open === 0 && st.hash === sim.sceneHash && st.hash === truth(), 'hash equal to the source');
      expect(s.rolledBack).toBe(0);
      expect(s.errors).toEqual([]);
      const meshes = sim.scene.toScene().objects.filter((o) => o.mesh);
      expect(meshes.length).toBeGreaterThan(10);
      for (const o of meshes) {
        const m = await held(o.id);
        expect(m.held, o.id).toBe(true);
        expect(m.hash).toBe(o.mesh!.geometryHash);
        expect(m.vertices).toBe(8);
        expect(Buffer.from(m.blob, 'base64').equals(Buffer.from(sim.blobs.get(o.mesh!.geometryHash)!))).toBe(true);
      }
      // the base-colour texture travelled too: the host holds its file beside each distinct mesh
      expect(s.blobs).toBe(new Set(meshes.map((o) => o.mesh!.geometryHash)).size + 1);
    });

    it('commits a new mesh from the source, and holds it', async () => {
      const before = await unity.state();
      const next = meshSummaryOf(boxBlob(2));
      const target = sim.scene.toScene().objects.find((o) => o.mesh && o.mesh.geometryHash !== next.geometryHash)!;
      const change: Mutation = { mid: 'mesh-2', targets: ['unity'], op: 'set_props', objectId: target.id, props: { mesh: next } };
      sim.scene.applyLive([change]); // the source holds its own edit
      sim.send('mutation', { mutation: change });
      const s = await unity.until((st) => st.committed > before.committed && st.open === 0, 'the mesh change committed');
      expect(s.hash).toBe(truth());
      expect((await held(target.id)).hash).toBe(next.geometryHash);
      expect(s.hash).toBe(sim.sceneHash);
    });

    it('rolls back a mesh the Unity side corrupted on import: the hash check fails, nothing is echoed', async () => {
      const target = sim.scene.toScene().objects.find((o) => o.mesh && o.mesh.geometryHash !== meshSummaryOf(boxBlob(1)).geometryHash)!;
      await unity.command(`quirk-corrupt-mesh ${target.id}`);
      const before = await unity.state();
      const was = (await held(target.id)).hash;
      const requests = sim.received.filter((m) => m.type === 'snapshot_request').length;
      sim.send('mutation', {
        mutation: {
          mid: 'mesh-corrupt',
          targets: ['unity'],
          op: 'set_props',
          objectId: target.id,
          props: { mesh: meshSummaryOf(boxBlob(1)) },
        },
      });
      const after = await unity.until((st) => st.rolledBack === before.rolledBack + 1 && st.open === 0, 'the transaction rolled back');
      expect(after.hash).toBe(before.hash);
      expect((await held(target.id)).hash).toBe(was);
      await eventually(
        () => sim.received.filter((m) => m.type === 'snapshot_request').length > requests,
        'the source is asked to re-snapshot',
      );
      const back = await unity.until(
        (st) => st.hash === truth() && st.hash === sim.sceneHash && st.open === 0,
        'in step after the re-snapshot',
      );
      expect(back.hash).toBe(before.hash);
      await unity.command('quirk-none');
    });
  });

  describe('the host as the source, uploading its meshes, the simulator as the target', () => {
    let sim: SimAdapter;

    beforeAll(async () => {
      const h = await harness.start();
      sim = await h.sim({ name: 'sim', roles: ['target'], objects: 0 });
      unity = await harness.startHost({ VIBESYNC_ROLES: 'source', VIBESYNC_TARGETS: 'sim', VIBESYNC_OBJECTS: '12', VIBESYNC_MESHES: '1' });
    });
    afterAll(() => harness.stop(), 30_000);

    it('uploads its mesh blob before the snapshot: the simulator holds the same bytes and the same scene hash', async () => {
      const s = await unity.until((st) => st.uploads === 0 && st.blobsSent === 1, 'the blob was uploaded');
      await sim.until(() => sim.sceneHash === s.hash, 'the simulator adopted the Unity scene');
      const mine = await held('u_1');
      expect(sim.scene.object('u_1')!.mesh!.geometryHash).toBe(mine.hash);
      expect(Buffer.from(sim.blobs.get(mine.hash)!).equals(Buffer.from(mine.blob, 'base64'))).toBe(true);
      expect(s.errors).toEqual([]);
    });

    it('uploads a changed mesh, then sends the mutation naming it; the simulator commits and holds it', async () => {
      const from = unity.events.length;
      await unity.command('set-mesh u_3 0.75');
      const mine = await held('u_3');
      await sim.until(() => sim.scene.object('u_3')!.mesh!.geometryHash === mine.hash, 'the new mesh committed on the simulator');
      const s = await unity.until((st) => st.unacked === 0 && st.blobsSent === 2, 'acknowledged');
      expect(sim.sceneHash).toBe(s.hash);
      expect(Buffer.from(sim.blobs.get(mine.hash)!).equals(Buffer.from(mine.blob, 'base64'))).toBe(true);
      expect(mine.vertices).toBe(8);
      expect(unity.events.slice(from).some((e) => e.event === 'sent')).toBe(true);
    });

    it("finds a mesh edited in the host by its per-frame check, uploads it and sends it: the simulator holds the host's new bytes", async () => {
      const from = unity.events.length;
      const { reads: readsBefore } = (await unity.command('watch', (e) => e.event === 'watch')) as HostEvent & { reads: number };
      await unity.command('edit-mesh u_5 0.25');
      await unity.waitFor((e) => e.event === 'mesh-edit' && e.id === 'u_5', from);
      const mine = await held('u_5');
      await sim.until(() => sim.scene.object('u_5')!.mesh!.geometryHash === mine.hash, 'the edited mesh committed on the simulator');
      const s = await unity.until((st) => st.unacked === 0 && st.uploads === 0, 'acknowledged');
      expect(sim.sceneHash).toBe(s.hash);
      expect(Buffer.from(sim.blobs.get(mine.hash)!).equals(Buffer.from(mine.blob, 'base64'))).toBe(true);
      // only the edited object was read back and hashed, and only it was sent
      const { reads } = (await unity.command('watch', (e) => e.event === 'watch')) as HostEvent & { reads: number };
      expect(reads - readsBefore).toBe(1);
      expect(
        unity.events
          .slice(from)
          .filter((e) => e.event === 'mesh-edit')
          .map((e) => e.id),
      ).toEqual(['u_5']);
      expect(s.blobsSent).toBe(3);
    });
  });
});
