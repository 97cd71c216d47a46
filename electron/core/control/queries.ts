// What a person may read: the panel's whole state as they see it, and the audit log searched and
// paged: from the durable log on disk (electron/core/audit) when the brain has one, else from the
// state's recent window.
import { pageAudit, type AuditEntry } from '../../../shared/ipc/index.js';
import type { Operations } from './types.js';
import { panelState } from './views.js';

const plain = (e: AuditEntry): AuditEntry => ({
  seq: e.seq,
  at: e.at,
  kind: e.kind,
  actor: e.actor,
  role: e.role,
  summary: e.summary,
  reason: e.reason,
  terminal: e.terminal,
});

function* newestFirst(window: readonly AuditEntry[]) {
  for (let i = window.length - 1; i >= 0; i--) yield window[i]!;
}

export const QUERIES: Operations<'getState' | 'queryAudit'> = {
  getState: async (b, actor) => panelState(b, actor),

  queryAudit: async (b, _actor, q) => {
    if (!b.audit) return pageAudit(newestFirst(b.state.audit), q);
    const page = await b.audit.search(q);
    return { entries: page.entries.map(plain), next: page.next };
  },
};
