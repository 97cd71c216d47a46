// The Unity package's engine-neutral C# core, compiled here with Mono's mcs: its NUnit suite (golden
// vectors byte-equal, coordinates, sandbox, session), then the headless host as a real peer of the
// real orchestrator (127.0.0.1, port 0, fresh data folder) with the TypeScript simulator on the
// other side: snapshot adoption with equal hashes both ways, transactions committed, a forced
// mismatch rolled back exactly, TARGET_FAILED and SOURCE_FAILED, and a reload on a new connection
// with generation + 1. The Unity Editor layer itself needs a Unity editor (docs/adapters/unity.md).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Mutation } from '../../shared/protocol/index.js';
import { eventually, startHarness, type Harness } from '../../test/support/harness.js';
import type { SimAdapter } from '../sim/sim-adapter.js';
import { hashing } from '../../shared/canonical/index.js';
import { toScene } from '../../electron/core/brain/scene-model.js';
import { BlenderProcess } from '../blender/testing/blender-process.js';
import { skipWithoutBlender } from '../blender/testing/require-blender.js';
import { UnityHost } from './testing/host-process.js';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { buildPackage, compileEditorAgainstStubs, PACKAGE_DIR, REPO_ROOT, type Build } from './testing/mono.js';
import { skipWithoutMono } from './testing/require-mono.js';

const skip = skipWithoutMono('Unity adapter tests (unity.test.ts)', true);

describe('the Unity package layout', () => {
  /** Everything Unity imports from the package: all but dot files, .meta files and folders ending in `~`. */
  function visible(dir: string): string[] {
    return readdirSync(dir)
      .filter((n) => !n.startsWith('.') && !n.endsWith('.meta') && !n.endsWith('~'))
      .flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? [p, ...visible(p)] : [p];
      });
  }

  it('gives every file and folder Unity imports a .meta with its own GUID (a git or tarball package is immutable: no meta, no asset)', () => {
    const guids = new Map<string, string>();
    for (const p of visible(PACKAGE_DIR)) {
      expect(existsSync(`${p}.meta`), `${p}.meta`).toBe(true);
      const guid = /^guid: ([0-9a-f]{32})$/m.exec(readFileSync(`${p}.meta`, 'utf8'))?.[1];
      expect(guid, `${p}.meta has a guid`).toBeDefined();
      expect(guids.get(guid!), `${p} reuses a GUID`).toBeUndefined();
      guids.set(guid!, p);
    }
    expect(JSON.parse(readFileSync(join(PACKAGE_DIR, 'package.json'), 'utf8'))).toMatchObject({ name: 'com.vibesync.unity' });
    expect(JSON.parse(readFileSync(join(PACKAGE_DIR, 'Runtime/VibeSync.Runtime.asmdef'), 'utf8'))).toMatchObject({
      noEngineReferences: true,
    });
  });
});

describe.skipIf(skip)('Unity package core (C#, built with mcs)', () => {
  let build: Build;
  let h: Harness;
  const hosts: UnityHost[] = [];

  const startHost = (name: string, env: Record<string, string>) => {
    const { token } = h.orch.tokens.issue('adapter', name);
    const host = new UnityHost(build.host, { VIBESYNC_URL: h.orch.url, VIBESYNC_TOKEN: token, VIBESYNC_NAME: name, ...env });
    hosts.push(host);
    return host;
  };
  const welcomed = (host: UnityHost, gen: number, from = 0) =>
    host.waitFor((e) => e.event === 'msg' && e.type === 'welcome' && e.gen === gen, from);

  beforeAll(() => {
    build = buildPackage();
  });
  afterAll(async () => {
    for (const host of hosts) await host.stop(); // each describe also stops its own host and orchestrator
    if (build) rmSync(build.dir, { recursive: true, force: true });
  }, 30_000);

  it('passes its NUnit suite, golden vectors byte-equal included', () => {
    const r = spawnSync('nunit-console', ['-nologo', build.tests, `-xml=${join(build.dir, 'nunit.xml')}`], {
      cwd: build.dir,
      env: { ...process.env, VIBESYNC_GOLDEN: join(REPO_ROOT, 'data/golden/canonical-vectors.json') },
      encoding: 'utf8',
    });
    expect(r.stdout).toMatch(/Tests run: \d+, Errors: 0, Failures: 0/);
    expect(r.stdout).toMatch(/Ignored: 0/);
    expect(Number(/Tests run: (\d+)/.exec(r.stdout)![1])).toBeGreaterThanOrEqual(20);
    expect(r.status).toBe(0);
  });

  it('has an Editor layer that compiles against the signature-only Unity stubs (a compile check, not a Unity test)', () => {
    expect(existsSync(compileEditorAgainstStubs(build))).toBe(true);
  });

  describe('the host as a target of the simulator', () => {
    let sim: SimAdapter;
    let unity: UnityHost;

    beforeAll(async () => {
      h = await startHarness();
      unity = startHost('unity', { VIBESYNC_ROLES: 'target', VIBESYNC_GENERATION: '4' });
      await welcomed(unity, 4); // connected before the source streams, so every move is routed to it
      sim = await h.sim({ name: 'sim', roles: ['source'], objects: 40, rate: 50, frames: 20, targets: ['unity'] });
    });

    it('adopts the resync and commits the stream with the same scene hash as the source', async () => {
      await eventually(() => sim.stats.mutationsSent === 20 * 10, 'the source streamed its 20 frames of 10 moves', 15_000);
      const s = await unity.until((st) => st.open === 0 && st.hash === sim.sceneHash, 'hash equal to the source');
      expect(s.objects).toBe(40);
      expect(s.committed).toBeGreaterThan(0);
      expect(s.rolledBack).toBe(0);
      expect(s.errors).toEqual([]);
    });

    it('rolls back exactly when its imported state differs (a name the engine truncates)', async () => {
      await unity.command('quirk-truncate-names 8');
      const before = await unity.state();
      const long: Mutation = {
        mid: 'long-name',
        targets: ['unity'],
        op: 'set_props',
        objectId: 'obj_3',
        props: { name: 'A much longer name' },
      };
      sim.send('mutation', { mutation: long });
      const after = await unity.until((st) => st.rolledBack === before.rolledBack + 1, 'the transaction rolled back');
      expect(after.hash).toBe(before.hash);
      expect(after.open).toBe(0);
      await sim.waitFor('snapshot_request');
      await unity.command('quirk-none');
    });

    it('reports TARGET_FAILED for an import that crashes, keeping its scene, and the source is asked to re-snapshot', async () => {
      await eventually(() => sim.received.filter((m) => m.type === 'snapshot_request').length === 1, 'first re-snapshot asked');
      const truth = () => hashing.sceneHash(toScene(h.orch.brain.state.scene));
      await unity.until((st) => st.hash === sim.sceneHash && st.hash === truth() && st.open === 0, 'back in step after the re-snapshot');
      await unity.command('quirk-crash-on-import');
      const before = await unity.state();
      const from = unity.events.length;
      sim.send('mutation', {
        mutation: {
          mid: 'crash',
          targets: ['unity'],
          op: 'create',
          object: {
            id: 'obj-crash',
            name: 'crash me',
            type: 'empty',
            parent: null,
            transform: { position: [0, 0, 0], rotation: [0, 0, 0, 1], scale: [1, 1, 1] },
            mesh: null,
            materials: [],
          },
        },
      });
      await eventually(
        () => sim.received.filter((m) => m.type === 'snapshot_request').length === 2,
        'snapshot_request after TARGET_FAILED',
      );
      const after = await unity.until((st) => st.open === 0 && st.hash === truth(), 'in step with the orchestrator again');
      expect(after.hash).toBe(before.hash);
      expect(after.open).toBe(0);
      expect(after.live).toBe(true);
      expect(unity.events.slice(from).some((e) => e.type === 'tx_begin')).toBe(true);
      await unity.command('quirk-none');
    });

    it('reconnects with back-off when the orchestrator restarts, on the same generation, and is resynced to its scene', async () => {
      const port = Number(new URL(h.orch.url).port);
      const from = unity.events.length;
      await h.orch.close();
      await unity.waitFor((e) => e.event === 'log' && String(e.line).startsWith('reconnecting in'), from);
      await h.restart({ port });
      await welcomed(unity, 4, from); // not a reload: the generation stays
      const truth = () => hashing.sceneHash(toScene(h.orch.brain.state.scene));
      const s = await unity.until((st) => st.live && st.hash === truth(), 'in step with the restarted orchestrator');
      expect(s.objects).toBe(40);
      expect(s.gen).toBe(4);
    });

    afterAll(async () => {
      await unity?.stop();
      await h.stopAll();
    }, 30_000);
  });

  describe('the host as a source for the simulator', () => {
    let sim: SimAdapter;
    let unity: UnityHost;
    let hang = false; // the simulator's import hangs (never answers tx_begin) while set

    beforeAll(async () => {
      h = await startHarness();
      const scenario = {
        name: 'hang-on-demand',
        description: 'a target whose import hangs while told to',
        onTxBegin: () => (hang ? ('ignore' as const) : undefined),
      };
      sim = await h.sim({ name: 'sim', roles: ['target'], objects: 0, scenario });
      unity = startHost('unity', {
        VIBESYNC_ROLES: 'source',
        VIBESYNC_TARGETS: 'sim',
        VIBESYNC_OBJECTS: '100',
        VIBESYNC_GENERATION: '1',
        VIBESYNC_MARKS: '1', // u_1 stands for a SkinnedMeshRenderer: an empty carrying its notSynced mark
      });
      await welcomed(unity, 1);
    });

    it('sends a snapshot the orchestrator adopts: the simulator holds the same scene hash', async () => {
      const s = await unity.state();
      await sim.until(() => sim.sceneHash === s.hash, 'the simulator adopted the Unity scene');
      expect(sim.scene.size).toBe(100);
      expect(s.unacked).toBe(0);
    });

    it('streams a local edit in Unity axes; the simulator commits it in canonical axes', async () => {
      await unity.command('move u_3 1 2 3');
      await sim.until(() => sim.committed >= 1, 'committed on the simulator');
      expect(sim.scene.object('u_3')!.transform.position).toEqual([1, 2, -3]);
      const s = await unity.until((st) => st.unacked === 0, 'acknowledged');
      expect(sim.sceneHash).toBe(s.hash);
    });

    it('after a reload handshakes on a new connection with generation + 1 and keeps syncing', async () => {
      const from = unity.events.length;
      await unity.command('reload');
      await welcomed(unity, 2, from);
      await unity.command('move u_4 -1 0.5 2');
      await sim.until(() => sim.scene.object('u_4')!.transform.position[2] === -2, 'the edit after the reload committed');
      const s = await unity.until((st) => st.unacked === 0 && st.gen === 2, 'acknowledged at generation 2');
      expect(sim.sceneHash).toBe(s.hash);
      expect(s.errors).toEqual([]);
    });

    it('reports SOURCE_FAILED mid-transaction: the target purges, and the fresh snapshot it is asked for brings the target back in step', async () => {
      hang = true;
      const from = unity.events.length;
      const begun = sim.received.filter((m) => m.type === 'tx_begin').length;
      await unity.command('move u_5 4 4 4');
      await eventually(() => sim.received.filter((m) => m.type === 'tx_begin').length === begun + 1, 'the transaction reached the target');
      hang = false;
      await unity.command('source-failed');
      await sim.waitFor('tx_purge');
      await unity.waitFor((e) => e.event === 'msg' && e.type === 'snapshot_request', from);
      const s = await unity.state();
      await sim.until(() => sim.sceneHash === s.hash, 'the target re-adopted the Unity scene');
      expect(sim.scene.object('u_5')!.transform.position).toEqual([4, 4, -4]);
    });

    it('marks what it cannot send: the snapshot carries a skinned mesh as skinning, and set_props adds, changes and clears a mark, counted in /healthz', async () => {
      const mark = (id: string) => h.orch.brain.state.scene.objects.get(id)?.notSynced;
      await eventually(() => mark('u_1') !== undefined, 'the snapshot brought the mark');
      expect(mark('u_1')).toEqual({
        kind: 'skinning',
        reason:
          'skinned mesh (SkinnedMeshRenderer, 24 bones, 3 blend shapes) not sent: travels as an empty with its transform and materials',
      });
      expect(h.orch.healthz().notSynced).toEqual({ objects: 1, byKind: { skinning: 1 } });

      const hash = (await unity.state()).hash;
      await unity.command('mark u_7 uv=1 topo=Triangles,Lines');
      await eventually(() => mark('u_7') !== undefined, 'the mark on u_7 arrived');
      expect(mark('u_7')).toEqual({
        kind: 'other',
        reason:
          'UV channel uv2 not sent (the mesh blob carries uv only); submesh 1 (Lines) not sent (the mesh blob carries faces only; their vertices travel loose)',
      });
      await unity.command('mark u_8 terrain');
      await eventually(() => h.orch.healthz().notSynced.objects === 3, 'three marked objects');
      expect(h.orch.healthz().notSynced.byKind).toEqual({ skinning: 1, other: 2 });

      await unity.command('mark u_7'); // no facts left: the mark is cleared
      await unity.command('mark u_8');
      await eventually(() => h.orch.healthz().notSynced.objects === 1, 'the marks on u_7 and u_8 cleared');
      expect(mark('u_7') ?? null).toBeNull();
      const s = await unity.until((st) => st.unacked === 0, 'acknowledged');
      expect(s.hash).toBe(hash); // the mark is never hashed
      await sim.until(() => sim.sceneHash === s.hash, 'the simulator still agrees');
    });

    afterAll(async () => {
      await unity?.stop();
      await h.stopAll();
    }, 30_000);
  });

  describe.skipIf(skipWithoutBlender('Blender -> Unity host (unity.test.ts)'))(
    'real Blender as the source, the Unity host as the target',
    () => {
      let blender: BlenderProcess;
      let unity: UnityHost;
      const truth = () => hashing.sceneHash(toScene(h.orch.brain.state.scene));

      beforeAll(async () => {
        h = await startHarness();
        unity = startHost('unity', { VIBESYNC_ROLES: 'target' });
        await welcomed(unity, 1);
        const { token } = h.orch.tokens.issue('adapter', 'blender');
        blender = new BlenderProcess({
          VIBESYNC_URL: h.orch.url,
          VIBESYNC_TOKEN: token,
          VIBESYNC_NAME: 'blender',
          VIBESYNC_TARGETS: 'unity',
        });
        await blender.waitFor((e) => e.event === 'snapshot' && e.reason === 'initial', 60_000);
      }, 90_000);
      afterAll(async () => {
        await blender?.stop();
        await unity?.stop();
        await h.stopAll();
      }, 30_000);

      it("holds Blender's scene with an equal hash, and commits a move made in Blender", async () => {
        const snap = blender.events.find((e) => e.event === 'snapshot')!;
        await eventually(() => h.orch.brain.state.scene.objects.size === 3, 'Blender scene adopted');
        let s = await unity.until((st) => st.hash === snap.hash, 'the Unity host holds the Blender scene');
        expect(s.objects).toBe(3);
        const from = blender.events.length;
        await blender.exec('bpy.data.objects["Cube"].location = (1.0, 2.0, 3.0)');
        await blender.waitFor((e) => e.event === 'ack', 10_000, from);
        s = await unity.until((st) => st.committed >= 1 && st.open === 0 && st.hash === truth(), 'the move committed on the Unity host');
        expect(s.rolledBack).toBe(0);
        expect(s.errors).toEqual([]);
      });
    },
  );
});
