// Builds the mirror: one PanelState snapshot, then PanelUpdate batches applied in order.
// Applying is pure over the store's data, so the same batches always give the same panel.
import type { PanelState, PanelUpdate } from '../../../shared/ipc/index.js';
import { AUDIT_CAP } from './audit.js';
import { usePanel, type PanelStore } from './index.js';
import { removeFromQueue } from './review.js';

export function applySnapshot(state: PanelState): void {
  usePanel.setState((s) => {
    const pids = new Set(state.pending.map((p) => p.pid));
    return {
      orchestrator: state.orchestrator,
      me: state.me,
      engines: state.engines,
      pending: state.pending,
      objects: state.objects,
      audit: state.audit.slice(0, AUDIT_CAP),
      selected: new Set([...s.selected].filter((pid) => pids.has(pid))),
      cursor: Math.min(s.cursor, Math.max(0, state.pending.length - 1)),
    };
  });
}

export function applyUpdates(updates: readonly PanelUpdate[]): void {
  if (updates.length === 0) return;
  usePanel.setState((s) => {
    let next: Partial<PanelStore> = {};
    const view = () => ({ ...s, ...next });
    for (const u of updates) {
      switch (u.kind) {
        case 'orchestrator':
          next.orchestrator = u.orchestrator;
          break;
        case 'engines':
          next.engines = u.engines;
          break;
        case 'objects':
          next.objects = u.objects;
          break;
        case 'pending_added': {
          const cur = view().pending;
          const known = new Set(cur.map((p) => p.pid));
          const fresh = u.items.filter((p) => !known.has(p.pid));
          if (fresh.length) next.pending = cur.concat(fresh);
          break;
        }
        case 'pending_removed':
          next = { ...next, ...removeFromQueue(view(), u.pids) };
          break;
        case 'audit_added': {
          const seen = new Set(view().audit.map((e) => e.seq));
          const fresh = u.entries.filter((e) => !seen.has(e.seq)).sort((a, b) => b.seq - a.seq);
          if (fresh.length) next.audit = fresh.concat(view().audit).slice(0, AUDIT_CAP);
          break;
        }
      }
    }
    return next;
  });
}
