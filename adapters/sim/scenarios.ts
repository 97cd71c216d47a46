// Fault scenarios for the simulator. Each one is a small set of hooks on an otherwise honest
// engine, so a new failure from failure-modes.md is a new entry here, not a new simulator.
import type { TxState } from '../../shared/canonical/index.js';
import type { SceneObject } from '../../shared/protocol/index.js';
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
}

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
    onFrame: (sim, frame) => { if (frame === 5) sim.generation += 1; },
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

export function scenarioByName(name: string): Scenario {
  const s = SCENARIOS[name];
  if (!s) throw new Error(`unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
  return s;
}
