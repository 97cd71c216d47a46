// Lights and cameras from another engine into real headless Blender: the simulator (source) sends a
// sun, a spot light and a camera with their own data; Blender builds them from the wire and its own
// re-export of them hashes like the orchestrator's scene (no echo: light and camera values are read
// back from Blender's data). A later light change commits too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashing } from '../../shared/canonical/index.js';
import { toScene } from '../../electron/core/brain/scene-model.js';
import { eventually, startHarness, type Harness } from '../../test/support/harness.js';
import type { SimAdapter } from '../sim/sim-adapter.js';
import { BlenderProcess } from './testing/blender-process.js';
import { skipWithoutBlender } from './testing/require-blender.js';

const skip = skipWithoutBlender('Blender light and camera tests (adapters/blender/kinds.test.ts)');

describe.skipIf(skip)('lights and cameras from the simulator into real Blender', () => {
  let h: Harness;
  let sim: SimAdapter;
  let blender: BlenderProcess;
  const truth = () => hashing.sceneHash(toScene(h.orch.brain.state.scene));
  const blenderHash = async () => {
    await blender.exec(
      'from vibesync_blender.core import canonical\nemit({"event": "scene_hash", "hash": canonical.scene_hash(export.export_scene(bpy.context.scene))})',
    );
    return blender.events.filter((e) => e.event === 'scene_hash').at(-1)!.hash as string;
  };

  beforeAll(async () => {
    h = await startHarness();
    sim = await h.sim({ name: 'maya', roles: ['source'], objects: 4, kinds: true, targets: ['blender'] });
    await eventually(() => h.orch.brain.state.scene.objects.size === 7, 'simulator scene adopted');
    const { token } = h.orch.tokens.issue('adapter', 'blender');
    blender = new BlenderProcess({ VIBESYNC_URL: h.orch.url, VIBESYNC_TOKEN: token, VIBESYNC_NAME: 'blender', VIBESYNC_TARGETS: '' });
    await blender.waitFor((e) => e.event === 'resynced', 30_000);
  }, 60_000);
  afterAll(async () => {
    await blender?.stop();
    await h?.stopAll();
  });

  it('builds a sun, a spot light and a camera whose own data re-exports to the orchestrator s hash', async () => {
    const resynced = blender.events.find((e) => e.event === 'resynced')!;
    expect(resynced.equal).toBe(true);
    expect(await blenderHash()).toBe(truth());
    const data = await blender.eval<Record<string, unknown[]>>(
      '{o.name: [o.data.type, round(o.data.energy, 3) if o.type == "LIGHT" else round(o.data.lens, 3)] for o in bpy.context.scene.objects if o.type in ("LIGHT", "CAMERA")}',
    );
    expect(data.Sun).toEqual(['SUN', 3]);
    expect(data.Spot).toEqual(['SPOT', 800]);
    expect(data['Main camera']![0]).toBe('PERSP');
  });

  it('a light change from the source commits in Blender with equal hashes', async () => {
    const light = {
      ...h.orch.brain.state.scene.objects.get('light_spot')!.light!,
      intensity: 1200,
      color: [0.2, 0.4, 1] as [number, number, number],
    };
    const from = blender.events.length;
    const id = sim.send('mutation', {
      mutation: { mid: 'l1', targets: ['blender'], op: 'set_props', objectId: 'light_spot', props: { light } },
    });
    await sim.waitFor('ack', (m) => m.body.ref === id);
    const done = await blender.waitFor((e) => e.event === 'tx_done', 15_000, from);
    expect(done.outcome).toBe('committed');
    expect(await blender.eval<number>('bpy.data.objects["Spot"].data.energy')).toBe(1200);
    expect(await blenderHash()).toBe(truth());
    expect(h.orch.control.state({ name: 'vic', role: 'viewer' }).audit.filter((a) => a.kind === 'rollback')).toEqual([]);
  });
});
