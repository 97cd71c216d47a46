// Snapshots and resync (Brain > Limb): the first snapshot becomes the scene; one the brain asked
// for replaces that engine's hierarchy (clearing DIRTY) and every target is resynced; any other
// that contradicts the scene is classified (drift.ts) and the engine resynced from the orchestrator.
import { BLOBS_CAPABILITY, sceneBlobs, withoutBlobFlags } from '../blobs/refs.js';
import type { Hashing } from '../../../shared/canonical/index.js';
import {
  VibeSyncError,
  type AdapterMessage,
  type BodyOf,
  type Material,
  type Scene,
  type SceneObject,
} from '../../../shared/protocol/index.js';
import { offloadedScene, type OffloadedScene } from '../offload/offloaded-scene.js';
import type { PeerSession } from '../transport/types.js';
import type { BrainContext, SnapshotPort } from './context.js';
import { classifyDrift, type DriftClass, type ObjectDrift } from './drift.js';
import type { BrainRecord } from './records.js';
import { checkSceneLimits, checkSceneStructure, isEmptyScene, toScene, type SceneState } from './scene-model.js';
import type { Session } from './session.js';
import { assertMayWrite } from './write-checks.js';

type SnapshotContext = Pick<BrainContext, 'env' | 'ledger' | 'changes' | 'sessions' | 'transactions'>;

export class Snapshots implements SnapshotPort {
  /** engines asked for a snapshot: their next snapshot is adopted, not compared */
  private readonly awaiting = new Set<string>();

  constructor(private readonly ctx: SnapshotContext) {}

  get awaitingEngines(): ReadonlySet<string> {
    return this.awaiting;
  }

  request(engine: string, peer: PeerSession | undefined, reason: string, objectIds: string[] | null) {
    this.awaiting.add(engine);
    peer?.send('snapshot_request', { reason, objectIds });
  }

  /**
   * The first snapshot becomes the scene; a snapshot the brain asked for replaces that engine's
   * hierarchy (clearing DIRTY) and targets are resynced. Any other snapshot that contradicts the
   * brain's scene gets the engine resynced from the orchestrator's scene (Brain > Limb).
   */
  async onSnapshot(sess: Session, body: BodyOf<AdapterMessage, 'snapshot'>) {
    const off = offloadedScene(body);
    try {
      await this.handle(sess, body, off ? offloadedView(off) : inlineView(body.scene, this.ctx.env.hashing));
    } finally {
      off?.release();
    }
  }

  private async handle(sess: Session, body: BodyOf<AdapterMessage, 'snapshot'>, view: SnapshotView) {
    const { env, ledger, changes, sessions } = this.ctx;
    const state = ledger.state;
    if (view.hash !== body.hash) {
      throw new VibeSyncError('HASH_MISMATCH', 'the snapshot hash does not match its own scene');
    }
    // Adopted or only compared, a snapshot must be a scene the brain could hold: no cycle, no dangling reference.
    view.checkStructure();
    const adopt = this.adopts(sess);
    const crossedResync = sess.connectResync && body.reason === 'initial';
    sess.connectResync = false;
    if (adopt) {
      assertMayWrite(state, sess, env.clock.now());
      const scene = await view.all();
      checkSceneLimits(scene, env.limits);
      this.awaiting.delete(sess.name);
      const why = state.sceneAdopted ? `re-snapshot from ${sess.name}` : `initial scene from ${sess.name}`;
      // The scene applies at once and becomes durable at the await: a target connecting in between
      // was already resynced to it on connect, and is not resynced a second time.
      const sceneSeq = ledger.seq + 1;
      await ledger.write([{ t: 'scene', at: env.clock.now(), engine: sess.name, reason: body.reason, scene }]);
      changes.emitAll();
      for (const t of sessions.values()) {
        if (t.has('target') && t !== sess && t.resyncedAtSeq < sceneSeq) this.resync(t, why);
      }
      return;
    }
    if (!state.sceneAdopted) return; // a target reporting its scene before any source: nothing to compare with
    if (crossedResync) {
      // sent on welcome, before the engine applied the resync it got on connect: that resync answers it
      env.logger.info({ engine: sess.name }, 'initial snapshot crossed the connect resync: not compared');
      return;
    }
    // Equal hashes: any numeric drift is below the quantisation step and the canonical form absorbs it.
    const report = await view.drift(
      state.scene,
      (o) => this.objectHash(o),
      (m) => this.materialHash(m),
    );
    if (!report) return;
    const worst = report.worst ?? 'structural';
    const awaiting: Record<string, string | null> = {};
    for (const i of report.items) if (i.drift === 'semantic') awaiting[`${i.kind}/${i.id}`] = this.sourceOf(i.kind, i.id);
    const drift: BrainRecord = {
      t: 'drift',
      at: env.clock.now(),
      engine: sess.name,
      worst,
      items: report.items.slice(0, 200),
      total: report.total,
      awaiting,
    };
    if (worst === 'semantic') {
      // Meaning differs (materials, colour space, units): the brain cannot tell which side is right.
      await ledger.write([drift]);
      changes.emit('objects');
      changes.emit('audit');
      return;
    }
    await ledger.write([
      drift,
      {
        t: 'resync',
        at: env.clock.now(),
        engine: sess.name,
        actor: 'orchestrator',
        role: 'system',
        reason: `${sess.name}'s ${body.reason} snapshot contradicts the orchestrator (${worst} drift)`,
      },
    ]);
    this.resync(sess, 'your snapshot contradicts the orchestrator (Brain > Limb)');
    changes.emit('audit');
  }

  /** The brain's objects are replaced, never changed in place, so each one's hash is computed once. */
  private readonly hashes = new WeakMap<object, string>();
  private objectHash(o: SceneObject): string {
    let h = this.hashes.get(o);
    if (h === undefined) this.hashes.set(o, (h = this.ctx.env.hashing.objectHash(o)));
    return h;
  }
  private materialHash(m: Material): string {
    let h = this.hashes.get(m);
    if (h === undefined) this.hashes.set(m, (h = this.ctx.env.hashing.materialHash(m)));
    return h;
  }

  /** Whether `sess`'s next snapshot becomes the scene (first scene, asked for, or its branch DIRTY) rather than being compared. */
  adopts(sess: Session): boolean {
    const state = this.ctx.ledger.state;
    return (
      sess.has('source') &&
      (!state.sceneAdopted ||
        isEmptyScene(state.scene) ||
        this.awaiting.has(sess.name) ||
        [...state.ids.entries.values()].some((e) => e.dirty?.engine === sess.name))
    );
  }

  /** The engine a subject's truth comes from: an object's origin; a material's, through an object using it. */
  private sourceOf(kind: 'object' | 'material', id: string): string | null {
    const { scene } = this.ctx.ledger.state;
    if (kind === 'object') return scene.origin.get(id) ?? null;
    for (const o of scene.objects.values()) if (o.materials.includes(id)) return scene.origin.get(o.id) ?? null;
    return null;
  }

  resync(sess: Session, reason: string) {
    const { transactions, ledger, env, changes } = this.ctx;
    transactions.supersede(sess);
    const scene = toScene(ledger.state.scene);
    let hash: string;
    try {
      hash = env.hashing.sceneHash(scene);
    } catch (e) {
      // Only a log written before values were range-checked can hold a scene the canonical form
      // cannot hash. That puts the scene itself in doubt: PANIC for a person, never a crash.
      const cause = `the orchestrator's scene cannot be hashed (${e instanceof Error ? e.message : String(e)}); resync of ${sess.name} refused`;
      env.logger.error({ engine: sess.name, cause }, 'orchestrator PANIC');
      if (!ledger.state.panic) ledger.panicWithoutRecord(cause);
      changes.emitAll();
      return;
    }
    // An engine that takes blobs gets their bytes before the resync that needs them; one that does
    // not gets the summaries alone (docs/protocol.md, Blobs).
    const blobs = sess.peer.capabilities.includes(BLOBS_CAPABILITY) ? env.blobs : undefined;
    blobs?.sendTo(sess.peer, sceneBlobs(scene));
    sess.peer.send('resync', { reason: reason.slice(0, 500), scene: blobs ? scene : withoutBlobFlags(scene), hash });
    sess.resyncedAtSeq = ledger.seq;
    if (sess.cannotHold) {
      sess.cannotHold = null; // it says again if this scene is not held either
      changes.emit('engines');
    }
  }
}

/** How many differing subjects an off-loop snapshot has classified one by one; the rest count as structural. */
const DRIFT_CLASSIFY_CAP = 2000;

interface DriftSummary {
  worst: DriftClass | null;
  items: ObjectDrift[];
  /** every subject that differs, classified or not */
  total: number;
}

/** A snapshot as the brain reads it: inline (a small frame, parsed here) or held by the frame worker. */
interface SnapshotView {
  readonly hash: string;
  checkStructure(): void;
  all(): Promise<Scene> | Scene;
  /** How the snapshot differs from the brain's scene, or null when it hashes the same. */
  drift(
    mine: SceneState,
    objectHash: (o: SceneObject) => string,
    materialHash: (m: Material) => string,
  ): Promise<DriftSummary | null> | DriftSummary | null;
}

function inlineView(scene: Scene, hashing: Hashing): SnapshotView {
  return {
    hash: hashing.sceneHash(scene),
    checkStructure: () => checkSceneStructure(scene),
    all: () => scene,
    drift: (mine) => {
      const own = toScene(mine);
      if (hashing.sceneHash(own) === hashing.sceneHash(scene)) return null;
      const report = classifyDrift(own, scene);
      return { ...report, total: report.items.length };
    },
  };
}

/**
 * The frame worker parsed, checked and hashed the snapshot. Only the subjects whose hashes differ
 * from the brain's cross to this thread, so a large contradicting snapshot costs the event loop a
 * map comparison, not a parse.
 */
function offloadedView(off: OffloadedScene): SnapshotView {
  return {
    hash: off.sceneHash,
    checkStructure: () => {
      if (off.structureProblem) throw off.structureProblem;
    },
    all: () => off.all(),
    drift: async (mine, objectHash, materialHash) => {
      const theirs = await off.hashes();
      const objects = await differing(mine.objects, theirs.objects, objectHash);
      const materials = await differing(mine.materials, theirs.materials, materialHash);
      const total = objects.length + materials.length;
      if (total === 0) return null;
      const objectIds = objects.slice(0, DRIFT_CLASSIFY_CAP);
      const materialIds = materials.slice(0, Math.max(0, DRIFT_CLASSIFY_CAP - objectIds.length));
      const picked = await off.pick(objectIds, materialIds);
      const pick = <T>(map: ReadonlyMap<string, T>, ids: string[]) => ids.flatMap((id) => (map.has(id) ? [map.get(id)!] : []));
      const own: Scene = { objects: pick(mine.objects, objectIds), materials: pick(mine.materials, materialIds) };
      const report = classifyDrift(own, picked);
      const classified = objectIds.length + materialIds.length;
      // Subjects beyond the cap were not looked at one by one: they differ, which is at least structural.
      const worst = classified < total && (report.worst === null || report.worst === 'numeric') ? 'structural' : report.worst;
      return { worst, items: report.items, total };
    },
  };
}

/** Subjects compared between two yields to the event loop (hashing a brain object the first time costs the most). */
const COMPARE_SLICE = 10_000;

/** Ids whose hash differs between the brain's subjects and the snapshot's, including those on one side only. */
async function differing<T extends { id: string }>(
  mine: ReadonlyMap<string, T>,
  theirs: ReadonlyMap<string, string>,
  hash: (x: T) => string,
): Promise<string[]> {
  const out: string[] = [];
  let n = 0;
  const breathe = () => new Promise((resolve) => setImmediate(resolve));
  for (const [id, x] of [...mine]) {
    if (theirs.get(id) !== hash(x)) out.push(id);
    if (++n % COMPARE_SLICE === 0) await breathe();
  }
  for (const id of theirs.keys()) {
    if (!mine.has(id)) out.push(id);
    if (++n % COMPARE_SLICE === 0) await breathe();
  }
  return out;
}
