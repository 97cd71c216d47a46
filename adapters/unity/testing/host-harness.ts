// The setup of the tests that run the headless host as one peer of the real orchestrator
// (unity-mesh.test.ts, unity-texture.test.ts): the package built with mcs once for the file, and
// in each describe a fresh orchestrator harness with the host `unity` connected to it.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { hashing } from '../../../shared/canonical/index.js';
import { toScene } from '../../../electron/core/brain/scene-model.js';
import { startHarness, type Harness } from '../../../test/support/harness.js';
import { UnityHost } from './host-process.js';
import { buildPackage, type Build } from './mono.js';

export interface HostHarness {
  /** The orchestrator's own scene hash: what every peer must end at. */
  truth(): string;
  /** A fresh orchestrator (a describe's beforeAll), replacing the last one. */
  start(): Promise<Harness>;
  /** Starts the host as `unity` on that orchestrator with its own adapter token; resolves once it is welcomed. */
  startHost(env: Record<string, string>): Promise<UnityHost>;
  /** Stops the host and the orchestrator (the describe's afterAll). */
  stop(): Promise<void>;
}

/** Call in the file's outer describe: builds the package before its tests and deletes the build after them. */
export function hostHarness(): HostHarness {
  let build: Build | undefined;
  let h: Harness;
  let unity: UnityHost | undefined;

  beforeAll(() => {
    build = buildPackage();
  });
  afterAll(() => {
    if (build) rmSync(build.dir, { recursive: true, force: true });
  });

  return {
    truth: () => hashing.sceneHash(toScene(h.orch.brain.state.scene)),
    async start() {
      h = await startHarness();
      return h;
    },
    async startHost(env) {
      const { token } = h.orch.tokens.issue('adapter', 'unity');
      unity = new UnityHost(build!.host, { VIBESYNC_URL: h.orch.url, VIBESYNC_TOKEN: token, VIBESYNC_NAME: 'unity', ...env });
      await unity.waitFor((e) => e.event === 'msg' && e.type === 'welcome');
      return unity;
    },
    async stop() {
      await unity?.stop();
      await h.stopAll();
    },
  };
}
