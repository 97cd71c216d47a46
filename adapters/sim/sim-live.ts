// The simulator's side of the binary live lane (docs/protocol.md "Live lane"): the `live`
// capability it declares and whether `welcome` granted it, a source's frames sent as kind-2 live
// frames instead of `batch`es, a target applying the live frames it is sent, and `live_settled`.
import { LIVE_CAPABILITY, decodeLiveFrame, encodeLiveFrame, type LiveRecord, type Mutation } from '../../shared/protocol/index.js';
import type { SimScene } from './sim-scene.js';

export interface LiveStats {
  /** target: live frames received and applied */
  liveFrames: number;
  /** source: the latest frame the orchestrator said is durable (`live_settled`), -1 before any */
  settledFrame: number;
}

export const initialLiveStats = (): LiveStats => ({ liveFrames: 0, settledFrame: -1 });

/** What the lane uses of its simulator (SimAdapter). */
export interface LiveHost {
  readonly scene: SimScene;
  readonly stats: LiveStats;
  sendBinary(frame: Uint8Array): void;
  emit(event: 'live', frame: number, applied: LiveRecord[]): boolean;
}

export class SimLive {
  /** the orchestrator granted the live lane in `welcome` */
  granted = false;

  /** `declared`: the simulator asks for the lane in its handshake (SimOptions.live) */
  constructor(
    private readonly sim: LiveHost,
    private readonly declared: boolean,
  ) {}

  /** what the handshake adds to its capabilities */
  get capabilities(): string[] {
    return this.declared ? [LIVE_CAPABILITY] : [];
  }

  /** `welcome`: the lane is granted when this engine declared it and the orchestrator lists it. */
  welcome(capabilities: readonly string[] | undefined): void {
    this.granted = this.declared && (capabilities ?? []).includes(LIVE_CAPABILITY);
  }

  /** `live_settled`: the orchestrator holds every frame up to `frame` durably. */
  settled(frame: number): void {
    this.sim.stats.settledFrame = Math.max(this.sim.stats.settledFrame, frame);
  }

  /**
   * A live frame from the orchestrator: each object's whole transform, applied at once (latest wins).
   * Throws on a frame it cannot read; the simulator records that as a bad frame.
   */
  receive(frame: Uint8Array): void {
    const f = decodeLiveFrame(frame);
    const applied: LiveRecord[] = [];
    for (const r of f.records)
      if (this.sim.scene.setLiveTransform(r.id, { position: r.position, rotation: r.rotation, scale: r.scale }, f.frame)) applied.push(r);
    this.sim.stats.liveFrames++;
    this.sim.emit('live', f.frame, applied);
  }

  /** Sends one live frame as is (its records are not applied here). */
  send(frame: number, records: LiveRecord[]): void {
    this.sim.sendBinary(encodeLiveFrame({ frame, records }));
  }

  /** source: one frame of motion over the lane, applied locally; it carries each object's whole transform, as this engine now holds it. */
  stream(frame: number, mutations: readonly Mutation[]): void {
    const records: LiveRecord[] = [];
    for (const m of mutations) {
      if (m.op !== 'set_transform') continue;
      const now = this.sim.scene.object(m.objectId)!.transform;
      const t = m.transform;
      const position = t.position ?? now.position;
      const rotation = t.rotation ?? now.rotation;
      const scale = t.scale ?? now.scale;
      this.sim.scene.setLiveTransform(m.objectId, { position, rotation, scale });
      records.push({ id: m.objectId, position, rotation, scale });
    }
    this.send(frame, records);
  }
}
