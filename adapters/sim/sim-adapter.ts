// The reference engine simulator: a real `ws` client that speaks protocol v1 as a source, a
// target and/or an AI agent, holding its own in-memory scene. Tests, benchmarks and the CLI use it
// in place of Blender / Unity / Godot; scenarios (scenarios.ts) turn it into a faulty engine. Its
// scene is sim-scene.ts, its side of the binary live lane sim-live.ts, its blobs sim-blobs.ts, its
// transactions as a target sim-target.ts, its options sim-options.ts; waiting.ts backs waitFor/until.
import { EventEmitter } from 'node:events';
import { WebSocket } from 'ws';
import { hashing } from '../../shared/canonical/index.js';
import {
  BINARY_KIND,
  FRAME_LIMITS,
  type LiveRecord,
  OrchestratorMessage,
  PROTOCOL_VERSION,
  VibeSyncError,
  type AdapterMessage,
  type BodyOf,
  type Mutation,
} from '../../shared/protocol/index.js';
import { systemClock, type Clock, type TimerHandle } from '../../shared/clock.js';
import { scenarioByName, type Scenario } from './scenarios.js';
import { generateScene, kindObjects, orbit } from './scene-gen.js';
import { SimBlobs } from './sim-blobs.js';
import type { SimOptions, SimStats } from './sim-options.js';
import { SimScene } from './sim-scene.js';
import { SimTarget } from './sim-target.js';
import { waitForMessage, waitUntil } from './waiting.js';
import { initialLiveStats, SimLive } from './sim-live.js';

export type { SimOptions, SimStats } from './sim-options.js';

type Incoming = OrchestratorMessage;
type OfType<T extends Incoming['type']> = Extract<Incoming, { type: T }>;

export class SimAdapter extends EventEmitter {
  readonly clock: Clock;
  readonly scene: SimScene;
  readonly scenario: Scenario;
  readonly received: Incoming[] = [];
  readonly stats: SimStats = {
    sent: 0,
    mutationsSent: 0,
    acked: 0,
    ackLatencyMs: [],
    committed: 0,
    rolledBack: 0,
    purged: 0,
    errors: [],
    ...initialLiveStats(),
  };
  /** agent: the latest status of each proposal, by pid */
  readonly proposals = new Map<string, { status: string; reason: string }>();
  generation: number;
  session: string | null = null;
  heartbeatMs = 1000;
  closed: { code: number; reason: string } | null = null;

  private ws: WebSocket | null = null;
  private seq = 0;
  private heartbeatSeq = 0;
  private frame = 0;
  private timers: TimerHandle[] = [];
  private readonly unacked = new Map<string, number>();
  private readonly start: Scene0;
  private readonly blobStore: SimBlobs = new SimBlobs(this);
  /** blobs this engine holds, by hash: its own meshes, and those the orchestrator sent it */
  readonly blobs = this.blobStore.held;
  private readonly live: SimLive;
  private readonly target: SimTarget;

  constructor(private readonly opts: SimOptions) {
    super();
    // every waitFor/until is a listener for its lifetime; a test or bench may hold dozens at once
    this.setMaxListeners(0);
    this.clock = opts.clock ?? systemClock;
    this.generation = opts.generation ?? 1;
    this.scenario = typeof opts.scenario === 'object' ? opts.scenario : scenarioByName(opts.scenario ?? 'normal');
    const initial = generateScene(opts.objects ?? 20, opts.seed ?? 1, opts.geometry === false ? undefined : this.blobs);
    if (opts.kinds) initial.objects.push(...kindObjects());
    this.start = new Map(initial.objects.map((o) => [o.id, o.transform.position]));
    this.scene = new SimScene(initial);
    this.live = new SimLive(this, !!opts.live);
    this.target = new SimTarget(this, opts.importMs);
    if (opts.geometry !== false) {
      this.scene.importMesh = (m) => this.blobStore.importMesh(m);
      this.scene.importTexture = (t) => this.blobStore.importTexture(t);
    }
  }

  /** Sends one binary frame as is: for contract tests. */
  sendBinary(frame: Uint8Array): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(frame, { binary: true });
  }

  /** Sends a blob's chunk frames under `hash` (normally its own SHA-256; tests may lie). */
  sendBlob(hash: string, bytes: Uint8Array): void {
    this.blobStore.send(hash, bytes);
  }

  /**
   * Ask, then send: `blob_query` for every blob this engine holds, chunks for those in `blob_need`,
   * and resolves once each of those is `blob_stored` (or refused). Returns the hashes sent.
   */
  uploadBlobs(only?: Iterable<string>): Promise<string[]> {
    return this.blobStore.upload(only);
  }

  /** the orchestrator granted the live lane in `welcome` */
  get liveGranted(): boolean {
    return this.live.granted;
  }

  /** source: sends one live frame as is (its records are not applied here): for contract tests. */
  sendLive(frame: number, records: LiveRecord[]): void {
    this.live.send(frame, records);
  }

  /** A binary frame from the orchestrator: a live frame (sim-live.ts) or a blob chunk; a bad one is recorded and dropped. */
  private onBinary(frame: Uint8Array): void {
    const live = frame[0] === BINARY_KIND.live;
    try {
      if (live) this.live.receive(frame);
      else this.onBlobChunk(frame);
    } catch (e) {
      const err = e instanceof VibeSyncError ? e : new VibeSyncError('TARGET_FAILED', String(e));
      this.stats.errors.push({ code: err.code, message: err.message, ref: null });
      this.log('warn', live ? 'bad live frame' : 'bad blob frame', { err: err.message });
    }
  }

  /** One chunk of a blob the orchestrator sends (sim-blobs.ts); the blob is held once its last chunk hashes right. Throws on a bad chunk. */
  private onBlobChunk(frame: Uint8Array): void {
    const hash = this.blobStore.receive(frame);
    if (hash) this.emit('blob', hash);
  }

  get name() {
    return this.opts.name;
  }
  get sceneHash(): string {
    return this.scene.hash();
  }
  get committed() {
    return this.stats.committed;
  }
  get connected() {
    return this.ws?.readyState === WebSocket.OPEN && this.session !== null;
  }

  /** Connects and handshakes; resolves on `welcome`, rejects on a refusal (the typed error) or a failed connection. */
  connect(): Promise<OfType<'welcome'>> {
    // A `resync` carries the whole scene: accept frames up to the snapshot cap, like any adapter must.
    const ws = new WebSocket(this.opts.url, { perMessageDeflate: false, maxPayload: FRAME_LIMITS.snapshotBytes });
    this.ws = ws;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return this.onFrame(data.toString());
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      this.onBinary(buf);
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.stopTimers();
      this.emit('closed', this.closed);
    });
    ws.on('error', (err) => this.log('warn', 'socket error', { err: err.message }));
    ws.once('open', () => {
      this.sendEnvelope('handshake', {
        token: this.opts.token,
        name: this.opts.name,
        engine: { kind: 'sim', version: this.opts.version ?? '1.0' },
        roles: this.opts.roles,
        capabilities: [
          'transform',
          'materials',
          'hierarchy',
          ...(this.opts.geometry === false ? [] : ['blobs']),
          ...this.live.capabilities,
        ],
        generation: this.generation,
      });
    });
    return new Promise((resolve, reject) => {
      const fail = (e: Error) => {
        this.off('message', onMsg);
        reject(e);
      };
      const onMsg = (m: Incoming) => {
        if (m.type === 'welcome') {
          this.off('message', onMsg);
          ws.off('error', fail);
          resolve(m);
        }
        if (m.type === 'error' && !this.session) {
          this.off('message', onMsg);
          reject(new VibeSyncError(m.body.code, m.body.message));
        }
      };
      this.on('message', onMsg);
      ws.once('error', fail);
    });
  }

  /** Resolves with the first message of `type` (already received or still to come) that satisfies `pred`. */
  waitFor<T extends Incoming['type']>(type: T, pred: (m: OfType<T>) => boolean = () => true, timeoutMs = 10_000): Promise<OfType<T>> {
    const match = (m: Incoming): m is OfType<T> => m.type === type && pred(m as OfType<T>);
    return waitForMessage(this, match, `${this.name}: no ${type} within ${timeoutMs} ms`, timeoutMs);
  }

  /** Resolves once `pred()` holds, re-checked on every incoming message and close (and every 5 ms, for state held elsewhere). */
  until(pred: () => boolean, what = 'condition', timeoutMs = 10_000): Promise<void> {
    return waitUntil(this, pred, `${this.name}: ${what} not reached within ${timeoutMs} ms`, timeoutMs);
  }

  /** Sends a message with a full envelope (session from `welcome`, the current generation). Returns its id. */
  send<T extends AdapterMessage['type']>(type: T, body: BodyOf<AdapterMessage, T>): string {
    return this.sendEnvelope(type, body);
  }

  /** Sends any text as one frame: for fault scenarios and contract tests. */
  sendRaw(text: string): void {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(text);
  }

  /** An engine dying: the socket is cut without a close frame. */
  crash(): void {
    this.stopTimers();
    this.ws?.terminate();
  }

  close(): Promise<void> {
    this.stopTimers();
    const ws = this.ws;
    if (!ws || ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      ws.once('close', () => resolve());
      ws.close(1000, 'sim done');
    });
  }

  /** agent: proposes one property edit; returns the pid. */
  proposeEdit(mutation: Mutation, rationale = 'simulated agent edit'): string {
    const pid = `${this.name}-p${++this.seq}`;
    this.send('proposal', { kind: 'edit', pid, rationale, mutation });
    return pid;
  }

  /** agent: proposes a Python script for `targets`; returns the pid. */
  proposeScript(code: string, targets: string[], touches: string[], rationale = 'simulated agent script'): string {
    const pid = `${this.name}-p${++this.seq}`;
    this.send('proposal', { kind: 'script', pid, rationale, language: 'python', code, targets, touches });
    return pid;
  }

  /** source: sends a full snapshot of the current scene. */
  sendSnapshot(reason: 'initial' | 'requested' | 'resync'): string {
    const scene = this.scene.toScene();
    return this.send('snapshot', { reason, scene, hash: hashing.sceneHash(scene) });
  }

  /** source: one frame of motion, applied locally and sent to the targets. Returns the mutations sent. */
  streamFrame(): Mutation[] {
    const frame = ++this.frame;
    const targets = this.opts.targets ?? [];
    const moving = Math.min(this.opts.moving ?? 10, this.scene.size);
    const mutations: Mutation[] = [];
    for (let i = 0; i < moving && targets.length; i++) {
      const objectId = `obj_${i}`;
      const start = this.start.get(objectId);
      if (!start || !this.scene.object(objectId)) continue;
      mutations.push({
        mid: `${this.name}-f${frame}-${i}`,
        targets,
        op: 'set_transform',
        objectId,
        transform: { position: orbit(start, frame, i) },
      });
    }
    if (this.scenario.onFrame?.(this, frame) === false || mutations.length === 0) return [];
    if (this.live.granted) this.live.stream(frame, mutations);
    else {
      this.scene.applyLive(mutations);
      if (this.opts.batched === false) for (const m of mutations) this.send('mutation', { mutation: m });
      else this.send('batch', { mutations });
    }
    this.stats.mutationsSent += mutations.length;
    return mutations;
  }

  private sendEnvelope(type: AdapterMessage['type'], body: unknown): string {
    const id = `${this.name}-${++this.seq}`;
    const msg = {
      v: PROTOCOL_VERSION,
      id,
      session: type === 'handshake' ? null : this.session,
      gen: this.generation,
      ts: Math.floor(this.clock.now()),
      type,
      body,
    };
    if (this.ws?.readyState !== WebSocket.OPEN) return id;
    this.ws.send(JSON.stringify(msg));
    this.stats.sent++;
    if (type === 'batch' || type === 'mutation' || type === 'snapshot') this.unacked.set(id, performance.now());
    return id;
  }

  /** for the simulator's parts (sim-target.ts) */
  log(level: 'info' | 'warn', msg: string, data?: Record<string, unknown>) {
    this.opts.log?.(level, msg, { sim: this.name, ...data });
  }

  /** runs `fn` after `ms` on the simulator's clock, unless it closes first */
  later(ms: number, fn: () => void) {
    this.timers.push(this.clock.setTimeout(fn, ms));
  }

  private stopTimers() {
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers = [];
  }

  private onFrame(text: string): void {
    const parsed = (() => {
      try {
        return OrchestratorMessage.safeParse(JSON.parse(text));
      } catch {
        return null;
      }
    })();
    if (!parsed?.success) {
      this.log('warn', 'orchestrator sent a frame this simulator cannot read', { text: text.slice(0, 200) });
      return;
    }
    const m = parsed.data;
    this.received.push(m);
    this.handle(m);
    this.emit('message', m);
  }

  private handle(m: Incoming): void {
    const roles = this.opts.roles;
    switch (m.type) {
      case 'welcome':
        this.session = m.session;
        this.heartbeatMs = m.body.heartbeatMs;
        this.live.welcome(m.body.capabilities);
        if (this.scenario.heartbeats !== false) this.scheduleHeartbeat();
        if (!roles.includes('source') || this.blobs.size === 0) this.started();
        else {
          // The initial snapshot is the one this simulator had at welcome (tests replace sendSnapshot after connecting).
          const initial = this.sendSnapshot;
          const resyncs = this.target.resyncs;
          this.uploadBlobs().then(
            // a resync that came during the upload answers the initial snapshot (docs/protocol.md)
            () => this.started(this.target.resyncs === resyncs ? initial : null),
            (e: Error) => this.log('warn', 'blob upload failed', { err: e.message }),
          );
        }
        break;
      case 'ack': {
        const sentAt = this.unacked.get(m.body.ref);
        if (sentAt !== undefined) {
          this.unacked.delete(m.body.ref);
          this.stats.ackLatencyMs.push(performance.now() - sentAt);
        }
        this.stats.acked++;
        break;
      }
      case 'tx_begin':
      case 'tx_commit':
      case 'tx_rollback':
      case 'tx_purge':
      case 'rollback_broadcast':
      case 'resync':
        this.target.handle(m);
        break;
      case 'snapshot_request':
        this.sendSnapshot('requested');
        break;
      case 'live_settled':
        this.live.settled(m.body.frame);
        break;
      case 'proposal_status':
        this.proposals.set(m.body.pid, { status: m.body.status, reason: m.body.reason });
        break;
      case 'error':
        this.stats.errors.push({ code: m.body.code, message: m.body.message, ref: m.body.ref });
        this.log('warn', 'orchestrator error', { code: m.body.code, message: m.body.message });
        break;
    }
  }

  /** after welcome (and a source's blob upload): the initial snapshot, the scenario, the stream */
  private started(snapshot: SimAdapter['sendSnapshot'] | null = this.sendSnapshot) {
    const roles = this.opts.roles;
    if (roles.includes('source') && snapshot) snapshot.call(this, 'initial');
    this.scenario.onWelcome?.(this);
    if (roles.includes('source')) this.scheduleStream();
  }

  private scheduleHeartbeat() {
    this.later(this.heartbeatMs, () => {
      if (!this.connected) return;
      this.send('heartbeat', { seq: ++this.heartbeatSeq });
      this.scheduleHeartbeat();
    });
  }

  private scheduleStream() {
    const rate = this.opts.rate ?? 0;
    if (rate <= 0 || !(this.opts.targets ?? []).length) return;
    const tick = () => {
      if (!this.connected) return;
      this.streamFrame();
      if (this.opts.frames === undefined || this.frame < this.opts.frames) this.later(1000 / rate, tick);
      else this.emit('stream_done', this.frame);
    };
    this.later(1000 / rate, tick);
  }
}

type Scene0 = Map<string, [number, number, number]>;
