// What a simulator is told (SimOptions) and what it counts (SimStats); SimAdapter (sim-adapter.ts)
// is the simulator itself.
import type { Role } from '../../shared/protocol/index.js';
import type { Clock } from '../../shared/clock.js';
import type { Scenario } from './scenarios.js';
import type { LiveStats } from './sim-live.js';

export interface SimOptions {
  url: string;
  token: string;
  /** routing name (EngineName) */
  name: string;
  roles: Role[];
  objects?: number;
  seed?: number;
  /** add a sun, a spot light and a camera with their own data (scene-gen.ts kindObjects) */
  kinds?: boolean;
  /** source: frames per second */
  rate?: number;
  /** source: stop after this many frames (default: until stopped) */
  frames?: number;
  /** source: how many objects move each frame (default min(objects, 10)) */
  moving?: number;
  /** source: engines the mutations are routed to */
  targets?: string[];
  /** target: ms its import takes (a slow engine): tx_hash is sent this long after tx_begin */
  importMs?: number;
  /** source: one `batch` per frame (default) or one `mutation` message per change */
  batched?: boolean;
  scenario?: string | Scenario;
  clock?: Clock;
  generation?: number;
  /** what `engine` says in the handshake */
  version?: string;
  /**
   * Meshes travel as real blobs (default true): a source uploads them (ask, then send) before its
   * snapshot, a target rebuilds each mesh from its blob and reports what it holds. false: bounds only.
   */
  geometry?: boolean;
  /**
   * Declare the `live` capability (docs/protocol.md "Live lane"): when the orchestrator grants it, a
   * source streams its frames as binary live frames instead of `batch`es, and a target applies the
   * live frames it is sent. Default false: the JSON path.
   */
  live?: boolean;
  log?: (level: 'info' | 'warn', msg: string, data?: Record<string, unknown>) => void;
}

export interface SimStats extends LiveStats {
  sent: number;
  mutationsSent: number;
  acked: number;
  /** source: ms from send to `ack` (performance.now, sub-millisecond), one sample per acknowledged message */
  ackLatencyMs: number[];
  committed: number;
  rolledBack: number;
  purged: number;
  errors: Array<{ code: string; message: string; ref: string | null }>;
}
