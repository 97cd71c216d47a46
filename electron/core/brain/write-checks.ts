// Who may write, and to whom: a writer changes the scene only while neither it nor the orchestrator
// is in PANIC and it is not quarantined or halted; every target a mutation names must be a live
// target session able to take transactions (explicit routing). Pure checks over the state.
import { VibeSyncError, type Mutation } from '../../../shared/protocol/index.js';
import type { Sessions } from './context.js';
import type { DurableState } from './durable-state.js';
import type { Session } from './session.js';

/** A writer may change the scene only while the orchestrator is not in PANIC and it is not PANIC / quarantined. */
export function assertMayWrite(state: DurableState, sess: Session, now: number) {
  const rec = state.engines.get(sess.name);
  const st = sess.state(rec, now);
  if (st === 'PANIC') throw new VibeSyncError('PANIC', `${sess.name} is in PANIC`);
  if (st === 'QUARANTINED')
    throw new VibeSyncError(
      'QUARANTINED',
      `${sess.name} is quarantined (read-only) until ${new Date(rec!.quarantineUntil!).toISOString()}`,
    );
  if (st === 'DEGRADED') throw new VibeSyncError('CIRCUIT_OPEN', `${sess.name}'s circuit breaker is open`);
  if (state.panic)
    throw new VibeSyncError('PANIC', `orchestrator in PANIC (${state.panic.failure}): nothing new is accepted until a person acts`);
}

/** Explicit routing: every target must be a live session with the target role, able to take transactions. */
export function checkRoutes(state: DurableState, sessions: Sessions, mutations: readonly Mutation[], from: string, now: number) {
  for (const m of mutations) {
    for (const t of m.targets) {
      const s = sessions.get(t);
      if (!s || !s.has('target') || t === from)
        throw new VibeSyncError('UNKNOWN_TARGET', `mutation ${m.mid}: "${t}" is not a connected target`, { target: t });
      const st = s.state(state.engines.get(t), now);
      if (st === 'PANIC') throw new VibeSyncError('UNKNOWN_TARGET', `mutation ${m.mid}: target "${t}" is in PANIC`, { target: t });
      if (st === 'DEGRADED')
        throw new VibeSyncError('CIRCUIT_OPEN', `mutation ${m.mid}: target "${t}" has its circuit breaker open`, { target: t });
    }
  }
}
