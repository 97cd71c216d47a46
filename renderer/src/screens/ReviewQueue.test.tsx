// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachApi } from '../api/connect.js';
import { resetStores, usePanel } from '../store/index.js';
import { applySnapshot } from '../store/mirror.js';
import { fakeApi, type FakeApi } from '../testing/fake-api.js';
import { panelState, pendingItem, pendingItems } from '../testing/fixtures.js';
import { ReviewQueue } from './ReviewQueue.js';

const rect = { width: 1200, height: 600 };
let api: FakeApi;

function setup(n: number, role: 'viewer' | 'reviewer' | 'lead' = 'reviewer', items = pendingItems(n)) {
  const state = panelState({ pending: items }, role);
  api = fakeApi(state);
  attachApi(api, 'browser');
  applySnapshot(state);
  return render(<ReviewQueue fixedRect={rect} />);
}
const slow = { timeout: 10_000 }; // thousands of rows through happy-dom, on a shared machine
const key = (k: string) =>
  act(() => {
    fireEvent.keyDown(window, { key: k });
  });

beforeEach(() => {
  resetStores();
  localStorage.clear();
});
afterEach(() => cleanup());

describe('review queue', () => {
  it('renders only a window of rows for 10,000 pending mutations', () => {
    setup(10_000);
    const rows = screen.getAllByTestId('pending-row');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(60);
    expect(screen.getByText('10,000 pending')).toBeTruthy();
    expect(rows[0]?.getAttribute('data-pid')).toBe('p0');
  });

  it('moves with j/k, selects with x and approves the selection with a', async () => {
    setup(5);
    key('j');
    key('x');
    key('j');
    key('x');
    key('k');
    expect(usePanel.getState().cursor).toBe(1);
    expect(screen.getByTestId('selected-count').textContent).toBe('2 selected');
    key('a');
    await waitFor(() => expect(usePanel.getState().pending.map((p) => p.pid)).toEqual(['p0', 'p3', 'p4']));
    expect(api.calls.at(-1)).toEqual({ method: 'approve', input: { pids: ['p1', 'p2'] } });
  });

  it('requires a reason before rejecting', async () => {
    setup(3);
    key('r');
    const dialog = screen.getByRole('dialog');
    const button = screen.getByRole('button', { name: 'Reject' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(dialog.textContent).toContain('A reason of at least 3 characters is required');
    fireEvent.change(screen.getByLabelText('Reject reason'), { target: { value: 'ok' } });
    expect(button.disabled).toBe(true);
    fireEvent.submit(button.closest('form')!);
    expect(api.calls.filter((c) => c.method === 'reject')).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('Reject reason'), { target: { value: 'moves the crate into the wall' } });
    expect(button.disabled).toBe(false);
    fireEvent.click(button);
    await waitFor(() => expect(usePanel.getState().pending.map((p) => p.pid)).toEqual(['p1', 'p2']));
    expect(api.calls.at(-1)).toEqual({ method: 'reject', input: { pids: ['p0'], reason: 'moves the crate into the wall' } });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('approves 12,000 selected in chunks the core accepts, showing progress, until the queue is empty', async () => {
    setup(12_000);
    fireEvent.click(screen.getByRole('button', { name: 'Select all' }));
    api.hold();
    fireEvent.click(screen.getByRole('button', { name: /^Approve 12,000/ }));
    // above the bulk limit: confirmed first
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Approve 12,000' }));
    await waitFor(() => expect(screen.getByTestId('decision-progress').textContent).toBe('Approving 0 / 12,000…'));
    act(() => api.release(1));
    await waitFor(() => expect(screen.getByTestId('decision-progress').textContent).toBe('Approving 2,000 / 12,000…'), slow);
    expect(screen.getByText('10,000 pending')).toBeTruthy();
    expect((screen.getByRole('button', { name: /^Approve/ }) as HTMLButtonElement).disabled).toBe(true);
    act(() => api.release());
    await waitFor(() => expect(screen.getByText('Nothing waiting for review')).toBeTruthy(), slow);
    expect(screen.queryByTestId('decision-progress')).toBeNull();
    expect(usePanel.getState().notices.at(-1)?.text).toBe('Approved 12,000');
    const sent = api.calls.filter((c) => c.method === 'approve').map((c) => (c.input as { pids: string[] }).pids);
    expect(sent.every((pids) => pids.length <= 10_000)).toBe(true);
    expect(new Set(sent.flat()).size).toBe(12_000);
  });

  it('asks before a bulk approval above the lead’s limit, naming the agents; Cancel sends nothing (issue 10 bulk item)', async () => {
    const items = [...pendingItems(150), ...Array.from({ length: 30 }, (_, i) => pendingItem(1000 + i, { agent: 'paint-bot' }))];
    setup(0, 'reviewer', items);
    fireEvent.click(screen.getByRole('button', { name: 'Select all' }));
    key('a');
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByTestId('bulk-confirm').textContent).toBe(
      'This approves 180 mutations at once (more than 100, the limit a lead set for confirming), proposed by layout-bot (150 proposals), paint-bot (30 proposals).',
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.calls.filter((c) => c.method === 'approve')).toEqual([]);
    expect(usePanel.getState().pending).toHaveLength(180);
    // A lead raises the limit: the same approval goes through without asking.
    act(() => usePanel.getState().setBulkConfirmAbove(500));
    key('a');
    expect(screen.queryByRole('dialog')).toBeNull();
    await waitFor(() => expect(usePanel.getState().pending).toHaveLength(0));
  });

  it('a bulk reject says which agents it will penalise', () => {
    const items = [pendingItem(1), pendingItem(2), pendingItem(3, { agent: 'paint-bot' })];
    setup(0, 'reviewer', items);
    fireEvent.click(screen.getByRole('button', { name: 'Select all' }));
    key('r');
    expect(screen.getByTestId('reject-penalised').textContent).toBe(
      "Each rejection lowers its agent's trust. This will penalise: layout-bot (2 proposals), paint-bot (1 proposal).",
    );
  });

  it('rejects 10,001 with one reason, and says how far it got when the core refuses midway', async () => {
    setup(10_001);
    fireEvent.click(screen.getByRole('button', { name: 'Select all' }));
    key('r');
    fireEvent.change(screen.getByLabelText('Reject reason'), { target: { value: 'the whole batch targets the wrong level' } });
    api.failWith('WAL_UNAVAILABLE', 'the log is not writable', 3);
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    await waitFor(
      () =>
        expect(screen.getByTestId('reject-error').textContent).toBe(
          'Reject failed after 6,000 of 10,001 — WAL_UNAVAILABLE: the log is not writable',
        ),
      slow,
    );
    expect(usePanel.getState().pending).toHaveLength(4_001);
    expect(screen.getByRole('dialog').getAttribute('aria-label')).toBe('Reject 4,001 mutations');
    api.succeed();
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull(), slow);
    expect(usePanel.getState().pending).toHaveLength(0);
    const reasons = new Set(api.calls.filter((c) => c.method === 'reject').map((c) => (c.input as { reason: string }).reason));
    expect([...reasons]).toEqual(['the whole batch targets the wrong level']);
  });

  it('keeps the reject dialog open, with the typed reason and the core’s error, when the reject fails', async () => {
    setup(3);
    key('r');
    fireEvent.change(screen.getByLabelText('Reject reason'), { target: { value: 'floats above the floor' } });
    api.failWith('FORBIDDEN_ROLE', 'reject needs the reviewer role');
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    await waitFor(() =>
      expect(screen.getByTestId('reject-error').textContent).toBe('Reject failed — FORBIDDEN_ROLE: reject needs the reviewer role'),
    );
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect((screen.getByLabelText('Reject reason') as HTMLTextAreaElement).value).toBe('floats above the floor');
    expect(usePanel.getState().pending).toHaveLength(3);
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    key('r');
    expect(screen.queryByTestId('reject-error')).toBeNull();
  });

  it('shows the core refusal and keeps the item when approval fails', async () => {
    setup(2);
    api.failWith('FORBIDDEN_ROLE', 'approve needs the reviewer role');
    key('a');
    await waitFor(() =>
      expect(usePanel.getState().notices.at(-1)?.text).toBe('Approve failed — FORBIDDEN_ROLE: approve needs the reviewer role'),
    );
    expect(usePanel.getState().pending).toHaveLength(2);
  });

  it('starts one decision at a time: a second a, or r, while an approve runs does nothing', async () => {
    setup(3);
    api.hold();
    act(() => {
      fireEvent.keyDown(window, { key: 'a' });
      fireEvent.keyDown(window, { key: 'a' });
    });
    key('r');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('decision-progress').textContent).toBe('Approving 0 / 1…');
    act(() => api.release());
    await waitFor(() => expect(usePanel.getState().pending.map((p) => p.pid)).toEqual(['p1', 'p2']));
    expect(api.calls).toEqual([{ method: 'approve', input: { pids: ['p0'] } }]);
    // the progress line goes once the call's promise has settled (a later turn than the pending list's update)
    await waitFor(() => expect(screen.queryByTestId('decision-progress')).toBeNull());
    key('r');
    expect(screen.getByRole('dialog')).toBeTruthy();
  });

  it('says which action failed when it is not connected', async () => {
    setup(2);
    usePanel.getState().setApi(null);
    key('a');
    expect(usePanel.getState().notices.at(-1)?.text).toBe('Approve failed — not connected to the orchestrator');
    key('r');
    fireEvent.change(screen.getByLabelText('Reject reason'), { target: { value: 'floats above the floor' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(screen.getByTestId('reject-error').textContent).toBe('Reject failed — not connected to the orchestrator'));
    expect(usePanel.getState().pending).toHaveLength(2);
  });

  it('gives a viewer no approve or reject', () => {
    setup(2, 'viewer');
    expect((screen.getByRole('button', { name: /Approve/ }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: /Reject/ }) as HTMLButtonElement).disabled).toBe(true);
    key('a');
    key('r');
    expect(api.calls).toHaveLength(0);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows a script with its blocking scanner finding on the right line', () => {
    setup(0, 'reviewer', [
      pendingItem(0, {
        kind: 'script',
        subject: 'script',
        changes: [],
        script: {
          code: 'import bpy\nimport os\nos.system("rm -rf /")',
          findings: [{ rule: 'os.system', message: 'shell execution is blocked', line: 3, column: 1, severity: 'block' }],
        },
      }),
    ]);
    const lines = screen.getByTestId('script-view').querySelectorAll('.code-line');
    expect(lines).toHaveLength(3);
    expect(lines[2]?.getAttribute('data-finding')).toBe('block');
    expect(lines[2]?.textContent).toContain('shell execution is blocked');
    expect(lines[0]?.getAttribute('data-finding')).toBeNull();
    expect(screen.getByTestId('script-view').textContent).toContain('contains blocked patterns');
  });

  it("shows a script's dry-run changes as an ordinary diff, what it printed, and that its result changed since review", () => {
    setup(0, 'reviewer', [
      pendingItem(0, {
        kind: 'script',
        subject: 'script',
        changes: [{ path: 'cube.transform.position', before: [0, 0, 0], after: [1, 2, 3] }],
        script: {
          code: 'scene.objects["cube"].position = (1, 2, 3)\nprint("moved")',
          findings: [],
          output: 'moved\n',
          notice: 'The result changed since it was reviewed (the scene moved on): these are the new changes; review again.',
        },
      }),
    ]);
    expect(screen.getByTestId('diff-table').textContent).toContain('cube.transform.position');
    expect(screen.getByTestId('script-notice').textContent).toContain('review again');
    expect(screen.getByTestId('pending-detail').textContent).toContain('moved');
  });

  it('shows the before/after of a transform with changed components marked', () => {
    setup(0, 'reviewer', [pendingItem(0, { changes: [{ path: 'transform.position', before: [0, 2, 0], after: [1, 2, 1.5] }] })]);
    const table = screen.getByTestId('diff-table');
    expect(table.textContent).toContain('transform.position');
    expect(table.querySelectorAll('.changed-after')).toHaveLength(2);
    expect([...table.querySelectorAll('.changed-after')].map((e) => e.textContent)).toEqual(['1', '1.5']);
  });
});
