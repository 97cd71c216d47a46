// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { auditEntry, engine, panelState, pendingItem, pendingItems } from '../testing/fixtures.js';
import { filterAudit, resetStores, usePanel } from './index.js';
import { applySnapshot, applyUpdates } from './mirror.js';

beforeEach(() => resetStores());

describe('the mirror', () => {
  it('takes a snapshot, then applies update batches in order', () => {
    applySnapshot(panelState({ pending: pendingItems(3), audit: [auditEntry(2), auditEntry(1)] }));
    applyUpdates([
      { kind: 'pending_added', items: [pendingItem(3), pendingItem(1)] }, // p1 is already known: not doubled
      { kind: 'pending_removed', pids: ['p0'] },
      { kind: 'engines', engines: [engine('blender', { state: 'BUSY' })] },
      { kind: 'audit_added', entries: [auditEntry(3), auditEntry(4)] },
      { kind: 'orchestrator', orchestrator: { ...panelState().orchestrator, state: 'REPLAYING', walRecordsReplayed: 12 } },
    ]);
    const s = usePanel.getState();
    expect(s.pending.map((p) => p.pid)).toEqual(['p1', 'p2', 'p3']);
    expect(s.engines.map((e) => `${e.name}:${e.state}`)).toEqual(['blender:BUSY']);
    expect(s.audit.map((e) => e.seq)).toEqual([4, 3, 2, 1]);
    expect(s.orchestrator?.state).toBe('REPLAYING');
    expect(s.me).toEqual({ name: 'ana', role: 'reviewer' });
  });

  it('drops removed pids from the selection and keeps the cursor in range', () => {
    applySnapshot(panelState({ pending: pendingItems(5) }));
    const st = usePanel.getState();
    st.setCursor(4);
    st.toggleSelected('p3');
    st.toggleSelected('p4');
    applyUpdates([{ kind: 'pending_removed', pids: ['p3', 'p4'] }]);
    const s = usePanel.getState();
    expect([...s.selected]).toEqual([]);
    expect(s.cursor).toBe(2);
    expect(s.pending).toHaveLength(3);
  });

  it('after a bulk decision the cursor keeps its row, not its index (issue 10 item 13)', () => {
    applySnapshot(panelState({ pending: pendingItems(8) }));
    usePanel.getState().setCursor(5);
    applyUpdates([{ kind: 'pending_removed', pids: ['p0', 'p1', 'p2'] }]);
    let s = usePanel.getState();
    expect(s.pending[s.cursor]?.pid).toBe('p5');
    // The row under the cursor itself decided: the cursor goes to the next one still pending, skipping none.
    applyUpdates([{ kind: 'pending_removed', pids: ['p4', 'p5', 'p6'] }]);
    s = usePanel.getState();
    expect(s.pending[s.cursor]?.pid).toBe('p7');
    applyUpdates([{ kind: 'pending_removed', pids: ['p7'] }]);
    s = usePanel.getState();
    expect(s.pending[s.cursor]?.pid).toBe('p3');
  });

  it('removes 10,000 approved items in one batch', () => {
    applySnapshot(panelState({ pending: pendingItems(10_000) }));
    applyUpdates([
      {
        kind: 'pending_removed',
        pids: pendingItems(10_000)
          .map((p) => p.pid)
          .filter((_, i) => i % 2 === 0),
      },
    ]);
    expect(usePanel.getState().pending).toHaveLength(5_000);
    expect(usePanel.getState().pending[0]?.pid).toBe('p1');
  });

  it('resetStores returns to a disconnected, empty panel', () => {
    applySnapshot(panelState({ pending: pendingItems(2) }));
    usePanel.getState().setScreen('audit');
    resetStores();
    const s = usePanel.getState();
    expect([s.orchestrator, s.me, s.pending.length, s.screen, s.connection.status]).toEqual([null, null, 0, 'health', 'idle']);
  });

  it('filters the audit log by kind and by text', () => {
    const entries = [
      auditEntry(3, { kind: 'panic', summary: 'Contract Violation from blender', terminal: true }),
      auditEntry(2),
      auditEntry(1, { kind: 'reject', reason: 'floats off the floor' }),
    ];
    expect(filterAudit(entries, { kind: 'reject', text: '' }).map((e) => e.seq)).toEqual([1]);
    expect(filterAudit(entries, { kind: '', text: 'BLENDER' }).map((e) => e.seq)).toEqual([3]);
    expect(filterAudit(entries, { kind: '', text: 'floor' }).map((e) => e.seq)).toEqual([1]);
    expect(filterAudit(entries, { kind: '', text: '' })).toHaveLength(3);
  });
});
