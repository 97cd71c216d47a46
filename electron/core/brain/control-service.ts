// The core side of the control contract: input validated with zod, role enforced, then the
// brain's override runs. Panel updates are batched: however fast engines stream, listeners get
// at most one flush per `flushMs` (100 ms), timed by the injected Clock.
import { ControlInputs, type ControlMethod, type PanelUpdate } from '../../../shared/ipc/index.js';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import type { Clock, TimerHandle } from '../../../shared/clock.js';
import type { ControlService } from '../control.js';
import type { Brain, ChangeKind } from './brain.js';
import { runOverride } from './overrides.js';
import { engineViews, objectsView, orchestratorView, panelState, pendingViews } from './views.js';

export const FLUSH_MS = 100;

export interface ControlServiceHandle extends ControlService {
  close(): void;
}

export function createControlService(brain: Brain, clock: Clock, flushMs = FLUSH_MS): ControlServiceHandle {
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

  const unhook = brain.onChange((kind) => {
    if (listeners.size === 0) return;
    dirty.add(kind);
    if (!timer) timer = clock.setTimeout(flush, Math.max(0, lastFlushAt + flushMs - clock.now()));
  });

  return {
    async call(actor, method, input) {
      const schema = (ControlInputs as Record<string, (typeof ControlInputs)[ControlMethod]>)[method];
      if (!schema) throw new VibeSyncError('SCHEMA_VIOLATION', `unknown control method "${String(method)}"`);
      const parsed = schema.safeParse(input);
      if (!parsed.success) {
        throw new VibeSyncError(
          'SCHEMA_VIOLATION',
          parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; '),
        );
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- parsed by the method's own schema just above
      return runOverride(brain, actor, method, parsed.data as any);
    },
    state: (actor) => panelState(brain, actor),
    subscribe(listener) {
      if (listeners.size === 0) baseline();
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      unhook();
      if (timer) clock.clearTimeout(timer);
      timer = null;
      listeners.clear();
    },
  };
}
