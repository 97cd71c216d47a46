// The core side of the control contract: input validated (once: input.ts), role enforced, then
// the method's operation runs (operations.ts). Panel updates are batched: however fast engines
// stream, listeners get at most one flush per `flushMs` (100 ms), timed by the injected Clock.
import type { Clock, TimerHandle } from '../../../shared/clock.js';
import type { PanelUpdate } from '../../../shared/ipc/index.js';
import type { ChangeKind } from '../brain/context.js';
import type { ControlContext } from './context.js';
import { parseControlInput } from './input.js';
import { runControl } from './operations.js';
import type { ControlService } from './types.js';
import { engineViews, objectsView, orchestratorView, panelState, pendingViews } from './views.js';

export const FLUSH_MS = 100;
/**
 * Engine views are refreshed at least this often while anyone watches and any engine is connected:
 * heartbeats change no state of their own, so without it a halted pipeline (PANIC) would leave the
 * panel showing the last heartbeat age and rate it was sent, growing stale.
 */
export const ENGINES_REFRESH_MS = 1000;

export interface ControlServiceHandle extends ControlService {
  close(): void;
}

export function createControlService(brain: ControlContext, clock: Clock, flushMs = FLUSH_MS): ControlServiceHandle {
  const listeners = new Set<(u: PanelUpdate[]) => void>();
  const dirty = new Set<ChangeKind>();
  let timer: TimerHandle | null = null;
  let lastFlushAt = -Infinity;
  let knownPending = new Set<string>();
  let auditSeq = 0;

  const baseline = () => {
    knownPending = new Set(pendingViews(brain).map((p) => p.pid));
    auditSeq = brain.state.audit.at(-1)?.seq ?? 0;
  };

  const flush = () => {
    timer = null;
    lastFlushAt = clock.now();
    const updates: PanelUpdate[] = [];
    if (dirty.has('orchestrator')) updates.push({ kind: 'orchestrator', orchestrator: orchestratorView(brain) });
    if (dirty.has('engines')) updates.push({ kind: 'engines', engines: engineViews(brain) });
    if (dirty.has('pending')) {
      const now = pendingViews(brain);
      const ids = new Set(now.map((p) => p.pid));
      const removed = [...knownPending].filter((p) => !ids.has(p));
      const added = now.filter((p) => !knownPending.has(p.pid));
      if (removed.length) updates.push({ kind: 'pending_removed', pids: removed });
      if (added.length) updates.push({ kind: 'pending_added', items: added });
      knownPending = ids;
    }
    if (dirty.has('objects')) updates.push({ kind: 'objects', objects: objectsView(brain) });
    if (dirty.has('audit')) {
      const entries = brain.state.audit.filter((e) => e.seq > auditSeq);
      if (entries.length) {
        updates.push({ kind: 'audit_added', entries });
        auditSeq = entries.at(-1)!.seq;
      }
    }
    dirty.clear();
    if (updates.length) for (const l of listeners) l(updates);
  };

  const mark = (kind: ChangeKind) => {
    if (listeners.size === 0) return;
    dirty.add(kind);
    if (!timer) timer = clock.setTimeout(flush, Math.max(0, lastFlushAt + flushMs - clock.now()));
  };
  const unhook = brain.onChange(mark);

  let refresh: TimerHandle | null = null;
  const armRefresh = () => {
    refresh = clock.setTimeout(() => {
      if (brain.sessions.size > 0) mark('engines');
      armRefresh();
    }, ENGINES_REFRESH_MS);
  };
  const stopRefresh = () => {
    if (refresh) clock.clearTimeout(refresh);
    refresh = null;
  };

  return {
    async call(actor, method, input) {
      return runControl(brain, actor, method, parseControlInput(method, input));
    },
    state: (actor) => panelState(brain, actor),
    subscribe(listener) {
      if (listeners.size === 0) {
        baseline();
        armRefresh();
      }
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) stopRefresh();
      };
    },
    close() {
      unhook();
      stopRefresh();
      if (timer) clock.clearTimeout(timer);
      timer = null;
      listeners.clear();
    },
  };
}
