// Child process of bench/large-snapshot.ts: connects as a target, sends one large snapshot that
// contradicts the orchestrator's scene, and reports when the resync arrives. Building and sending
// the JSON happens here, so the orchestrator's process measures only its own work.
import { generateScene } from '../adapters/sim/scene-gen.js';
import { SimAdapter } from '../adapters/sim/sim-adapter.js';
import { hashing } from '../shared/canonical/index.js';

const [url, token, count] = [process.env.VS_URL!, process.env.VS_TOKEN!, Number(process.env.VS_OBJECTS)];
const scene = generateScene(count, 9);
// Ids the orchestrator does not have, and no materials: every difference is structural (missing or
// extra), so the orchestrator answers with a resync rather than asking a person (semantic drift).
const big = {
  objects: scene.objects.map((o) => ({ ...o, id: `x${o.id}`, parent: o.parent && `x${o.parent}`, materials: [] })),
  materials: [],
};
const hash = hashing.sceneHash(big);
const sim = new SimAdapter({ url, token, name: 'unity', roles: ['target'] });
await sim.connect();
await sim.until(() => sim.received.some((m) => m.type === 'resync'), 'the initial resync');
const text = JSON.stringify({
  v: 1,
  id: 'big-1',
  session: sim.session,
  gen: sim.generation,
  ts: 0,
  type: 'snapshot',
  body: { reason: 'initial', scene: big, hash },
});
process.send!({ ready: text.length });
process.once('message', async () => {
  sim.sendRaw(text);
  await sim.until(
    () => sim.received.some((m) => m.type === 'resync' && (m.body as { reason: string }).reason.includes('contradicts')),
    'the resync',
    600_000,
  );
  process.send!({ resynced: true });
  sim.crash();
  process.exit(0);
});
