// Property (issue 9): whatever valid-shaped mutations and snapshots a source sends — extreme and
// degenerate numbers, parents that make cycles or dangle, ids that collide — each one either gets
// a typed refusal and writes nothing, or becomes durable; and afterwards the orchestrator's scene
// can be hashed, a new target is resynced to it, and a restart replays exactly it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashing } from '../shared/canonical/index.js';
import type { Mutation, Scene, SceneObject } from '../shared/protocol/index.js';
import { toScene } from '../electron/core/brain/scene-model.js';
import { eventually, startHarness } from './support/harness.js';

const ids = ['a', 'b', 'c', 'd', 'e'];
const num = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }),
  fc.constantFrom(0, -0, 1e-200, 1e13, -1e13, 1e11, 1e308, -1e308, 1e300, 5e-324),
);
const vec3 = fc.tuple(num, num, num);
const quat = fc.oneof(fc.tuple(num, num, num, num), fc.constant([0, 0, 0, 0] as [number, number, number, number]));
const parent = fc.option(fc.constantFrom(...ids), { nil: null });
const object = fc.record({
  id: fc.constantFrom(...ids),
  parent,
  transform: fc.record({ position: vec3, rotation: quat, scale: vec3 }),
});
const toObject = (o: { id: string; parent: string | null; transform: SceneObject['transform'] }): SceneObject => ({
  id: o.id,
  name: o.id,
  type: 'empty',
  parent: o.parent,
  transform: o.transform,
  mesh: null,
  materials: [],
});

type Command = { kind: 'mutation'; mutation: Mutation } | { kind: 'snapshot'; scene: Scene };
const command: fc.Arbitrary<Command> = fc.oneof(
  fc
    .record({ id: fc.constantFrom(...ids), position: fc.option(vec3, { nil: undefined }), rotation: fc.option(quat, { nil: undefined }) })
    .map(({ id, position, rotation }): Command => ({
      kind: 'mutation',
      mutation: {
        mid: 'm',
        targets: ['unity'],
        op: 'set_transform',
        objectId: id,
        transform: { ...(position ? { position } : {}), ...(rotation ? { rotation } : {}) },
      },
    })),
  fc.record({ id: fc.constantFrom(...ids), parent }).map(({ id, parent }): Command => ({
    kind: 'mutation',
    mutation: { mid: 'm', targets: ['unity'], op: 'set_props', objectId: id, props: { parent } },
  })),
  object.map((o): Command => ({ kind: 'mutation', mutation: { mid: 'm', targets: ['unity'], op: 'create', object: toObject(o) } })),
  fc
    .constantFrom(...ids)
    .map((id): Command => ({ kind: 'mutation', mutation: { mid: 'm', targets: ['unity'], op: 'delete', objectId: id } })),
  fc.array(object, { maxLength: 5 }).map((objs): Command => ({ kind: 'snapshot', scene: { objects: objs.map(toObject), materials: [] } })),
);

describe('property: every command is refused with nothing written, or durable and hashable, resyncable, replayable', () => {
  it('holds for random commands over real sockets', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (commands) => {
        const h = await startHarness();
        try {
          await h.sim({ name: 'unity', roles: ['target'] });
          const source = await h.sim({ name: 'blender', roles: ['source'], objects: 0 });
          await eventually(() => h.orch.brain.state.sceneAdopted, 'initial scene');
          await h.orch.brain.whenDurable();
          for (const c of commands) {
            const seqBefore = h.orch.brain.seq;
            const sceneBefore = JSON.stringify(h.orch.brain.exportState().scene);
            let id: string;
            if (c.kind === 'mutation') id = source.send('mutation', { mutation: c.mutation });
            else {
              let hash = '0'.repeat(64);
              try {
                hash = hashing.sceneHash(c.scene);
              } catch {
                /* an unhashable scene: the orchestrator must refuse it before it hashes anything */
              }
              id = source.send('snapshot', { reason: 'requested', scene: c.scene, hash });
            }
            const isAck = () => source.received.some((m) => m.type === 'ack' && m.body.ref === id);
            const refusal = () => source.stats.errors.find((e) => e.ref === id);
            if (c.kind === 'mutation') await source.until(() => isAck() || !!refusal(), `an answer to ${id}`);
            else {
              // snapshots are not acknowledged: a round trip through a heartbeat tells they were handled
              source.send('heartbeat', { seq: 1 });
              await h.orch.brain.whenDurable();
              await new Promise((r) => setTimeout(r, 20));
            }
            await h.orch.brain.whenDurable();
            const err = refusal();
            if (err) {
              expect(err.code).toMatch(/^[A-Z_]+$/);
              // A refusal changes no scene state (a trust record may be written for a sender-fault
              // refusal). After NON_FINITE the source is asked for a fresh snapshot, which the
              // simulator sends at once and which is adopted: that change is the recovery, not the refusal.
              if (err.code !== 'NON_FINITE') expect(JSON.stringify(h.orch.brain.exportState().scene)).toBe(sceneBefore);
              else expect(h.orch.brain.seq).toBeGreaterThanOrEqual(seqBefore);
            }
            expect(source.closed).toBeNull();
          }
          // Hashable, resyncable.
          const scene = toScene(h.orch.brain.state.scene);
          const hash = hashing.sceneHash(scene);
          const late = await h.sim({ name: 'godot', roles: ['target'] });
          await late.until(() => late.received.some((m) => m.type === 'resync'), 'resync');
          expect(late.sceneHash).toBe(hash);
          // Replayable: a restart rebuilds the same scene.
          for (const s of h.sims) s.crash();
          await h.orch.close();
          await h.restart();
          expect(h.orch.healthz()).toMatchObject({ panic: false });
          expect(hashing.sceneHash(toScene(h.orch.brain.state.scene))).toBe(hash);
        } finally {
          await h.stopAll();
        }
      }),
      { numRuns: 25 },
    );
  }, 180_000);
});
