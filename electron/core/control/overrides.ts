// A person's overrides of the brain (a lead's, or a reviewer's re-snapshot request): each writes the
// acting person, role and reason to the WAL before it acts.
import { EMERGENCY_ACK } from '../../../shared/ipc/index.js';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import type { Actor, Operations } from './types.js';

const who = (a: Actor, reason: string) => ({ actor: a.name, role: a.role, reason });

type Override = 'emergencyUnlock' | 'resetToken' | 'resetBreaker' | 'forceResync' | 'requestResnapshot' | 'setTrustThreshold';

export const OVERRIDES: Operations<Override> = {
  /**
   * Forces every LOCKED hierarchy open (LOCKED → CLEAN) and clears PANIC, then resyncs every
   * target from the orchestrator's scene: whatever an engine held that differs is overwritten,
   * which is the state loss the acknowledgement accepts. DIRTY marks stay: they still need a snapshot.
   * The acknowledgement is checked here too, not only by the contract's schema, so no caller of
   * the core can skip it. (A LOCKED hierarchy keeps the orchestrator in PANIC, so this reaches it.)
   */
  emergencyUnlock: async (b, actor, { acknowledge, reason }) => {
    if (acknowledge !== EMERGENCY_ACK)
      throw new VibeSyncError('SCHEMA_VIOLATION', `acknowledge: emergency unlock needs the exact acknowledgement "${EMERGENCY_ACK}"`);
    if (!b.state.panic)
      throw new VibeSyncError('NOT_IN_PANIC', 'emergency unlock is only available while the orchestrator is in PANIC; nothing is LOCKED');
    const unlocked = [...b.state.ids.entries.values()].filter((e) => e.locked).map((e) => e.id);
    const walBroken = b.state.panic.engine === null && b.state.panic.failure === 'Orchestrator Crash';
    if (walBroken) await b.recoverLog();
    await b.write([{ t: 'emergency_unlock', at: b.clock.now(), ...who(actor, reason) }]);
    for (const s of b.sessions.values()) if (s.has('target') && b.state.sceneAdopted) b.resync(s, 'emergency unlock');
    b.emitAll();
    return { unlocked };
  },

  resetToken: async (b, actor, { engine, reason }) => {
    if (!b.tokens) throw new VibeSyncError('INTERNAL', 'no token store is attached');
    const { token } = b.tokens.reset(engine);
    await b.write([{ t: 'token_reset', at: b.clock.now(), engine, ...who(actor, reason) }]);
    // A live session still holds the old credentials: it must reconnect with the new token.
    b.sessions.get(engine)?.peer.close(4003, 'token reset');
    b.emitAll();
    return { engine, token };
  },

  resetBreaker: async (b, actor, { engine, reason }) => {
    const s = b.sessions.get(engine);
    // The breaker outlives the connection, so a lead may reset it while the engine is away.
    if (!s && !b.state.engines.get(engine)?.breakerOpen)
      throw new VibeSyncError('UNKNOWN_TARGET', `${engine} is not connected and has no open breaker`);
    await b.write([{ t: 'breaker', at: b.clock.now(), engine, open: false, ...who(actor, reason) }]);
    if (s) {
      b.closeBreaker(s);
      // The halted transaction's outcome is unknown: start the engine again from the orchestrator's scene.
      if (s.has('target') && b.state.sceneAdopted) b.resync(s, 'circuit breaker reset');
    }
    b.emit('engines');
    b.emit('audit');
    return { engine };
  },

  forceResync: async (b, actor, { engine, reason }) => {
    const s = b.sessions.get(engine);
    if (!s) throw new VibeSyncError('UNKNOWN_TARGET', `${engine} is not connected`);
    if (!b.state.sceneAdopted) throw new VibeSyncError('UNKNOWN_OBJECT', 'the orchestrator has no scene yet');
    // The record also clears DIRTY marks from a semantic drift this engine reported: the person decided.
    await b.write([{ t: 'resync', at: b.clock.now(), engine, ...who(actor, reason) }]);
    b.resync(s, `forced by ${actor.name}: ${reason}`);
    b.emit('objects');
    b.emit('audit');
    return { engine };
  },

  // A DIRTY subject is an object or a material: a material's source is the one its DIRTY mark names,
  // else the engine that originated an object using it; a material is re-sent with the whole scene.
  requestResnapshot: async (b, actor, { objectId, reason }) => {
    const { scene, ids } = b.state;
    const kind = scene.objects.has(objectId) ? 'object' : scene.materials.has(objectId) ? 'material' : null;
    if (!kind) throw new VibeSyncError('UNKNOWN_OBJECT', `no object or material "${objectId}"`);
    const user = kind === 'material' ? [...scene.objects.values()].find((o) => o.materials.includes(objectId)) : undefined;
    const engine =
      ids.get(kind, objectId)?.dirty?.engine ?? (kind === 'object' ? scene.origin.get(objectId) : user && scene.origin.get(user.id)) ?? '';
    const s = b.sessions.get(engine);
    if (!s || !s.has('source'))
      throw new VibeSyncError('UNKNOWN_TARGET', `the source of ${objectId} (${engine || 'unknown'}) is not connected`);
    await b.write([{ t: 'resnapshot', at: b.clock.now(), engine, objectId, ...who(actor, reason) }]);
    b.requestSnapshot(s, `requested by ${actor.name}: ${reason}`.slice(0, 500), kind === 'object' ? [objectId] : null);
    b.emit('audit');
    return { objectId, engine };
  },

  setTrustThreshold: async (b, actor, { value, reason }) => {
    await b.write([{ t: 'threshold', at: b.clock.now(), value, ...who(actor, reason) }]);
    b.emit('orchestrator');
    b.emit('audit');
    return { value };
  },
};
