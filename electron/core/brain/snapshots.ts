// Snapshots and resync (Brain > Limb): the first snapshot becomes the scene; one the brain asked
// for replaces that engine's hierarchy (clearing DIRTY) and every target is resynced; any other
// that contradicts the scene is classified (drift.ts) and the engine resynced from the orchestrator.
import { BLOBS_CAPABILITY, sceneBlobs, withoutBlobFlags } from '../blobs/refs.js';
import { VibeSyncError, type AdapterMessage, type BodyOf } from '../../../shared/protocol/index.js';
import type { PeerSession } from '../transport/types.js';
import type { BrainContext, SnapshotPort } from './context.js';
import { classifyDrift } from './drift.js';
import type { BrainRecord } from './records.js';
import { checkSceneLimits, checkSceneStructure, isEmptyScene, toScene } from './scene-model.js';
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
    const { env, ledger, changes, sessions } = this.ctx;
    const state = ledger.state;
    if (env.hashing.sceneHash(body.scene) !== body.hash) {
      throw new VibeSyncError('HASH_MISMATCH', 'the snapshot hash does not match its own scene');
    }
    // Adopted or only compared, a snapshot must be a scene the brain could hold: no cycle, no dangling reference.
    checkSceneStructure(body.scene);
    const adopt =
      sess.has('source') &&
      (!state.sceneAdopted ||
        isEmptyScene(state.scene) ||
        this.awaiting.has(sess.name) ||
        [...state.ids.entries.values()].some((e) => e.dirty?.engine === sess.name));
    if (adopt) {
      assertMayWrite(state, sess, env.clock.now());
      checkSceneLimits(body.scene, env.limits);
      this.awaiting.delete(sess.name);
      const why = state.sceneAdopted ? `re-snapshot from ${sess.name}` : `initial scene from ${sess.name}`;
      await ledger.write([{ t: 'scene', at: env.clock.now(), engine: sess.name, reason: body.reason, scene: body.scene }]);
      changes.emitAll();
      for (const t of sessions.values()) if (t.has('target') && t !== sess) this.resync(t, why);
      return;
    }
    if (!state.sceneAdopted) return; // a target reporting its scene before any source: nothing to compare with
    const mine = toScene(state.scene);
    // Equal hashes: any numeric drift is below the quantisation step and the canonical form absorbs it.
    if (body.hash === env.hashing.sceneHash(mine)) return;
    const report = classifyDrift(mine, body.scene);
    const worst = report.worst ?? 'structural';
    const awaiting: Record<string, string | null> = {};
    for (const i of report.items) if (i.drift === 'semantic') awaiting[`${i.kind}/${i.id}`] = this.sourceOf(i.kind, i.id);
    const drift: BrainRecord = {
      t: 'drift',
      at: env.clock.now(),
      engine: sess.name,
      worst,
      items: report.items.slice(0, 200),
      total: report.items.length,
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
  }
}
