// What people can do to the brain (the control contract's methods), each with its role enforced
// here in the core and the acting person, role and reason written to the WAL.
import {
  EMERGENCY_ACK,
  REQUIRED_ROLE,
  roleAllows,
  type ControlInput,
  type ControlMethod,
  type ControlResults,
} from '../../../shared/ipc/index.js';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import type { Actor } from '../control.js';
import type { Brain } from './brain.js';
import { resync } from './pipeline.js';
import { approve, reject } from './proposals.js';
import { panelState } from './views.js';

export function requireRole(actor: Actor, method: ControlMethod) {
  if (!roleAllows(actor.role, REQUIRED_ROLE[method])) {
    throw new VibeSyncError('FORBIDDEN_ROLE', `${method} needs the ${REQUIRED_ROLE[method]} role; ${actor.name} is ${actor.role}`);
  }
}

const who = (a: Actor, reason: string) => ({ actor: a.name, role: a.role, reason });

type Ops = { [M in ControlMethod]: (b: Brain, actor: Actor, input: ControlInput<M>) => Promise<ControlResults[M]> };

export const overrides: Ops = {
  getState: async (b, actor) => panelState(b, actor),

  approve: (b, actor, { pids }) => approve(b, actor, pids, 'approved in review'),

  reject: (b, actor, { pids, reason }) => reject(b, actor, pids, reason),

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
    if (walBroken && b.onEmergencyUnlock) await b.onEmergencyUnlock();
    await b.write([{ t: 'emergency_unlock', at: b.clock.now(), ...who(actor, reason) }]);
    for (const s of b.sessions.values()) if (s.has('target') && b.state.sceneAdopted) resync(b, s, 'emergency unlock');
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
    if (!s) throw new VibeSyncError('UNKNOWN_TARGET', `${engine} is not connected`);
    await b.write([{ t: 'breaker', at: b.clock.now(), engine, open: false, ...who(actor, reason) }]);
    s.breakerOpen = false;
    b.rearm(s);
    // The halted transaction's outcome is unknown: start the engine again from the orchestrator's scene.
    if (s.has('target') && b.state.sceneAdopted) resync(b, s, 'circuit breaker reset');
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
    resync(b, s, `forced by ${actor.name}: ${reason}`);
    b.emit('objects');
    b.emit('audit');
    return { engine };
  },

  requestResnapshot: async (b, actor, { objectId, reason }) => {
    if (!b.state.scene.objects.has(objectId)) throw new VibeSyncError('UNKNOWN_OBJECT', `no object "${objectId}"`);
    const engine = b.state.scene.origin.get(objectId) ?? '';
    const s = b.sessions.get(engine);
    if (!s || !s.has('source'))
      throw new VibeSyncError('UNKNOWN_TARGET', `the source of ${objectId} (${engine || 'unknown'}) is not connected`);
    await b.write([{ t: 'resnapshot', at: b.clock.now(), engine, objectId, ...who(actor, reason) }]);
    b.awaitingSnapshot.add(engine);
    s.peer.send('snapshot_request', { reason: `requested by ${actor.name}: ${reason}`.slice(0, 500), objectIds: [objectId] });
    b.emit('audit');
    return { objectId, engine };
  },

  setTrustThreshold: async (b, actor, { value, reason }) => {
    await b.write([{ t: 'threshold', at: b.clock.now(), value, ...who(actor, reason) }]);
    b.emit('orchestrator');
    b.emit('audit');
    return { value };
  },

  queryAudit: async (b, _actor, { kinds, text, limit }) => {
    const needle = text?.toLowerCase();
    const entries = [];
    for (let i = b.state.audit.length - 1; i >= 0 && entries.length < limit; i--) {
      const e = b.state.audit[i]!;
      if (kinds?.length && !kinds.includes(e.kind)) continue;
      if (needle && !`${e.summary} ${e.reason ?? ''} ${e.actor ?? ''}`.toLowerCase().includes(needle)) continue;
      entries.push(e);
    }
    return { entries };
  },
};

/** Runs one control method for `actor`: role first, then the operation. Input must already be parsed. */
export function runOverride<M extends ControlMethod>(
  b: Brain,
  actor: Actor,
  method: M,
  input: ControlInput<M>,
): Promise<ControlResults[M]> {
  requireRole(actor, method);
  return (overrides[method] as (b: Brain, a: Actor, i: ControlInput<M>) => Promise<ControlResults[M]>)(b, actor, input);
}
