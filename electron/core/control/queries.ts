// What a person may read: the panel's whole state as they see it, and the audit log searched.
import type { Operations } from './types.js';
import { panelState } from './views.js';

export const QUERIES: Operations<'getState' | 'queryAudit'> = {
  getState: async (b, actor) => panelState(b, actor),

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
