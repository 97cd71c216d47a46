// Lights and cameras in the orchestrator's scene: their data travels with create and set_props,
// belongs to its own type only, and an object without it keeps the canonical form it always had.
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, startHarness, type Harness } from '../../../test/support/harness.js';
import { generateScene } from '../../../adapters/sim/scene-gen.js';
import { hashing } from '../../../shared/canonical/index.js';
import type { Light, SceneObject } from '../../../shared/protocol/index.js';
import { checkSceneStructure, commitPatch, fromScene, planMutations } from './scene-model.js';

const T = ['unity'];
const spot: Light = { kind: 'spot', color: [1, 0.5, 0.25], intensity: 800, range: 20, spot: { inner: 0.3, outer: 0.5 } };
const lamp = (light?: Light): SceneObject => ({
  id: 'lamp',
  name: 'Lamp',
  type: 'light',
  parent: null,
  materials: [],
  mesh: null,
  transform: { position: [0, 3, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
  ...(light ? { light } : {}),
});

describe('lights and cameras in the scene model', () => {
  it('creates a light with its data, changes it with set_props, and removing it restores the plain canonical form', () => {
    const s = fromScene(generateScene(4, 2), 'blender');
    commitPatch(s, planMutations(s, [{ mid: 'a', targets: T, op: 'create', object: lamp(spot) }]), 'blender');
    expect(s.objects.get('lamp')!.light).toEqual(spot);
    const brighter = { ...spot, intensity: 1200 };
    commitPatch(s, planMutations(s, [{ mid: 'b', targets: T, op: 'set_props', objectId: 'lamp', props: { light: brighter } }]), 'blender');
    expect(hashing.objectHash(s.objects.get('lamp')!)).toBe(hashing.objectHash(lamp(brighter)));
    expect(hashing.objectHash(lamp(brighter))).not.toBe(hashing.objectHash(lamp(spot)));
    commitPatch(s, planMutations(s, [{ mid: 'c', targets: T, op: 'set_props', objectId: 'lamp', props: { light: null } }]), 'blender');
    expect('light' in s.objects.get('lamp')!).toBe(false);
    expect(hashing.objectHash(s.objects.get('lamp')!)).toBe(hashing.objectHash(lamp()));
  });

  it('refuses light data on a camera, camera data on a light, in a mutation or a snapshot (SCHEMA_VIOLATION), and changes nothing', () => {
    const s = fromScene(generateScene(4, 2), 'blender');
    commitPatch(s, planMutations(s, [{ mid: 'a', targets: T, op: 'create', object: lamp(spot) }]), 'blender');
    const before = structuredClone(s.objects.get('lamp'));
    const camera = { projection: 'perspective' as const, yfov: 0.7, orthoSize: null, near: 0.1, far: 100 };
    expect(() => planMutations(s, [{ mid: 'b', targets: T, op: 'set_props', objectId: 'lamp', props: { camera } }])).toThrow(
      /type light carries camera data/,
    );
    expect(() => planMutations(s, [{ mid: 'c', targets: T, op: 'create', object: { ...lamp(spot), id: 'x', type: 'camera' } }])).toThrow(
      /type camera carries light data/,
    );
    expect(() => checkSceneStructure({ objects: [{ ...lamp(spot), type: 'mesh' }], materials: [] })).toThrow(
      /SCHEMA_VIOLATION|carries light/,
    );
    expect(s.objects.get('lamp')).toEqual(before);
  });
});

describe('what is not synced is visible', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stopAll();
  });

  it('an object its source marked not synced is listed with its reason in the panel and counted in /healthz, and a target still commits it', async () => {
    h = await startHarness();
    const unity = await h.sim({ name: 'unity', roles: ['target'] });
    const source = await h.sim({ name: 'blender', roles: ['source'], objects: 3, targets: ['unity'] });
    await eventually(() => h!.orch.brain.state.sceneAdopted, 'scene adopted');
    const rig = {
      ...lamp(),
      id: 'rig',
      name: 'Rig',
      type: 'other' as const,
      notSynced: { kind: 'armature' as const, reason: 'armature: bones not synced' },
    };
    const id = source.send('mutation', { mutation: { mid: 'r1', targets: ['unity'], op: 'create', object: rig } });
    await source.waitFor('ack', (m) => m.body.ref === id);
    await unity.until(() => unity.committed === 1, 'committed on unity');
    const view = h.orch.control.state({ name: 'vic', role: 'viewer' }).objects.notSynced;
    expect(view).toEqual({
      total: 1,
      byKind: { armature: 1 },
      items: [{ id: 'rig', name: 'Rig', kind: 'armature', reason: 'armature: bones not synced' }],
    });
    expect(h.orch.healthz().notSynced).toEqual({ objects: 1, byKind: { armature: 1 } });
    // the mark is not hashed: the target's hash equals the orchestrator's with or without it
    expect(hashing.objectHash(rig)).toBe(hashing.objectHash({ ...rig, notSynced: null }));
  });
});
