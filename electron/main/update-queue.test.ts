import { describe, expect, it } from 'vitest';
import type { PanelUpdate } from '../../shared/ipc/index.js';
import { createUpdateQueue } from './update-queue.js';

const batch = (n: number): PanelUpdate[] => [{ kind: 'pending_removed', pids: [`p${n}`] }];

describe('renderer update queue', () => {
  it('holds batches until the page has loaded, then delivers them in order', () => {
    const sent: PanelUpdate[][] = [];
    const q = createUpdateQueue(
      (u) => sent.push(u),
      () => false,
    );
    q.push(batch(1));
    q.push(batch(2));
    expect(sent).toEqual([]);
    q.loaded();
    q.push(batch(3));
    expect(sent).toEqual([batch(1), batch(2), batch(3)]);
  });

  it('queues again while the page reloads', () => {
    const sent: PanelUpdate[][] = [];
    const q = createUpdateQueue(
      (u) => sent.push(u),
      () => false,
    );
    q.loaded();
    q.loading();
    q.push(batch(1));
    expect(sent).toEqual([]);
    q.loaded();
    expect(sent).toEqual([batch(1)]);
  });

  it('drops the backlog past the cap (the renderer re-snapshots on load)', () => {
    const sent: PanelUpdate[][] = [];
    const q = createUpdateQueue(
      (u) => sent.push(u),
      () => false,
      2,
    );
    q.push(batch(1));
    q.push(batch(2));
    q.push(batch(3));
    expect(q.queued).toBe(0);
    q.push(batch(4));
    q.loaded();
    expect(sent).toEqual([batch(4)]);
  });

  it('never sends to a destroyed renderer', () => {
    const sent: PanelUpdate[][] = [];
    let destroyed = false;
    const q = createUpdateQueue(
      (u) => sent.push(u),
      () => destroyed,
    );
    q.push(batch(1));
    destroyed = true;
    q.loaded();
    q.push(batch(2));
    expect(sent).toEqual([]);
  });
});
