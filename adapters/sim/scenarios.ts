// Fault scenarios for the simulator. Each one is a small set of hooks on an otherwise honest
// engine, so a new failure from failure-modes.md is a new entry here, not a new simulator.
import type { TxState } from '../../shared/canonical/index.js';
import type { ErrorCode, Scene, SceneObject } from '../../shared/protocol/index.js';
import type { SimAdapter } from './sim-adapter.js';

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** false: never send heartbeats (the orchestrator should open the circuit breaker). */
  readonly heartbeats?: boolean;
  /** Right after `welcome` (and the initial snapshot, for sources). */
  onWelcome?(sim: SimAdapter): void;
  /** Each streaming frame of a source, before its mutations are sent; return false to skip sending them. */
  onFrame?(sim: SimAdapter, frame: number): boolean | void;
  /** A target's sandbox result just before hashing; may return a different state (an engine that imported wrongly). */
  beforeTxHash?(state: TxState): TxState;
  /**
   * A target's `tx_begin` (attempt = how many it has seen, from 1): return an error to answer with
   * instead of a hash, 'ignore' to never answer (a hung import), or nothing to behave.
   */
  onTxBegin?(sim: SimAdapter, txId: string, attempt: number): { code: ErrorCode; message: string } | 'ignore' | void;
  /** After the sim applied a `resync` (count = how many it has applied, from 1). */
  afterResync?(sim: SimAdapter, count: number): void;
}

/** Reports the sim's own scene, changed by `edit`, as a `resync` snapshot (an engine that disagrees). */
function reportEdited(sim: SimAdapter, edit: (scene: Scene) => void) {
  const scene = sim.scene.toScene();
  edit(scene);
  sim.scene.replace(scene);
  sim.sendSnapshot('resync');
}

const failFirst =
  (n: number, code: ErrorCode, message: string): Scenario['onTxBegin'] =>
  (_sim, _tx, attempt) =>
    attempt <= n ? { code, message } : undefined;

/** Moves the first touched object by 1 cm: well above the 0.1 mm quantisation step, so the hash must differ. */
function nudge(state: TxState): TxState {
  const entry = Object.entries(state.objects).find(([, o]) => o !== null) as [string, SceneObject] | undefined;
  if (!entry) return state;
  const [id, o] = entry;
  const [x, y, z] = o.transform.position;
  return { ...state, objects: { ...state.objects, [id]: { ...o, transform: { ...o.transform, position: [x + 0.01, y, z] } } } };
}

export const SCENARIOS: Record<string, Scenario> = {
  normal: { name: 'normal', description: 'an honest engine' },
  'hash-mismatch': {
    name: 'hash-mismatch',
    description: 'target: imports every transaction 1 cm off, so its post-import hash never matches',
    beforeTxHash: nudge,
  },
  malformed: {
    name: 'malformed',
    description: 'sends one truncated JSON frame right after the handshake (a contract violation)',
    onWelcome: (sim) => sim.sendRaw('{"v":1,"id":"broken","type":"heartbeat","body":{"seq":'),
  },
  silent: { name: 'silent', description: 'never sends a heartbeat (a deadlocked engine)', heartbeats: false },
  busy: {
    name: 'busy',
    description: 'announces it is compiling for 3 s right after the handshake, then ready',
    onWelcome: (sim) => {
      sim.send('busy', { reason: 'compiling', expectedMs: 3000 });
      sim.clock.setTimeout(() => sim.send('ready', {}), 3000);
    },
  },
  'generation-drift': {
    name: 'generation-drift',
    description: 'source: after 5 frames the engine "reloads" and carries on with gen + 1 without a new handshake',
    onFrame: (sim, frame) => {
      if (frame === 5) sim.generation += 1;
    },
  },
  'crash-mid-export': {
    name: 'crash-mid-export',
    description: 'source: dies (socket cut, no close frame) in the middle of its 3rd frame',
    onFrame: (sim, frame) => {
      if (frame !== 3) return;
      sim.crash();
      return false;
    },
  },
};

Object.assign(SCENARIOS, {
  'non-finite': {
    name: 'non-finite',
    description: 'source: its 2nd frame carries a position of 1e999, which JSON reads as Infinity (a Numerical Error)',
    onFrame: (sim, frame) => {
      if (frame !== 2) return;
      sim.sendRaw(
        `{"v":1,"id":"${sim.name}-inf","session":${JSON.stringify(sim.session)},"gen":${sim.generation},"ts":0,"type":"mutation","body":{"mutation":{"mid":"inf","targets":["unity"],"op":"set_transform","objectId":"obj_0","transform":{"position":[1e999,0,0]}}}}`,
      );
      return false;
    },
  },
  'engine-busy': {
    name: 'engine-busy',
    description: 'target: answers its first transaction with ENGINE_BUSY (it was compiling), then behaves',
    onTxBegin: failFirst(1, 'ENGINE_BUSY', 'compiling shaders'),
  },
  reloading: {
    name: 'reloading',
    description: 'announces `busy reloading` for 15 s and sends nothing meanwhile (no heartbeats)',
    heartbeats: false,
    onWelcome: (sim) => {
      sim.send('busy', { reason: 'reloading', expectedMs: 15_000 });
    },
  },
  transient: {
    name: 'transient',
    description: 'target: its first 2 attempts at each import fail with TRANSIENT (a flaky link), the 3rd succeeds',
    onTxBegin: failFirst(2, 'TRANSIENT', 'connection reset while importing'),
  },
  'transient-forever': {
    name: 'transient-forever',
    description: 'target: every import attempt fails with TRANSIENT',
    onTxBegin: failFirst(Infinity, 'TRANSIENT', 'connection reset while importing'),
  },
  'forbidden-path': {
    name: 'forbidden-path',
    description: 'target: refuses every import with FORBIDDEN_PATH (a permanent error)',
    onTxBegin: failFirst(Infinity, 'FORBIDDEN_PATH', 'write outside the project folder refused'),
  },
  stuck: {
    name: 'stuck',
    description: 'target: takes every transaction and never answers it (heartbeats go on)',
    onTxBegin: () => 'ignore',
  },
  'drift-structural': {
    name: 'drift-structural',
    description: 'target: after its first resync reports a scene without obj_1 (structural drift)',
    afterResync: (sim, count) => {
      if (count === 1)
        reportEdited(sim, (s) => {
          s.objects = s.objects.filter((o) => o.id !== 'obj_1');
        });
    },
  },
  'drift-semantic': {
    name: 'drift-semantic',
    description: "target: after its first resync reports the first material's colour read as sRGB (semantic drift)",
    afterResync: (sim, count) => {
      if (count !== 1) return;
      reportEdited(sim, (s) => {
        const m = s.materials[0]!;
        const srgb = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
        m.baseColor = [srgb(m.baseColor[0]), srgb(m.baseColor[1]), srgb(m.baseColor[2]), m.baseColor[3]];
      });
    },
  },
  'drift-units': {
    name: 'drift-units',
    description: 'target: after its first resync reports obj_2 in centimetres (semantic drift: units)',
    afterResync: (sim, count) => {
      if (count !== 1) return;
      reportEdited(sim, (s) => {
        const o = s.objects.find((x) => x.id === 'obj_2')!;
        o.transform.position = o.transform.position.map((x) => x * 100) as [number, number, number];
      });
    },
  },
} satisfies Record<string, Scenario>);

export function scenarioByName(name: string): Scenario {
  const s = SCENARIOS[name];
  if (!s) throw new Error(`unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
  return s;
}
