// @vitest-environment happy-dom
// Issue 10, "the panel tells the truth": one count everywhere (6), PENDING counted (9), the
// last complete second of throughput (7), no RUNNING while disconnected and no stale
// "DISCONNECTED" failure after a reconnect (10), what approving during PANIC really does (11),
// and an agent's trust as it is now on every row (12).
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMERGENCY_ACK, type PersonRole } from '../../shared/ipc/index.js';
import { attachApi } from './api/connect.js';
import { App } from './App.js';
import { ReviewQueue } from './screens/ReviewQueue.js';
import { resetStores, usePanel } from './store/index.js';
import { applySnapshot, applyUpdates } from './store/mirror.js';
import { fakeApi, type FakeApi } from './testing/fake-api.js';
import { engine, panelState, pendingItem, T0 } from './testing/fixtures.js';

let api: FakeApi;
function start(role: PersonRole, patch = {}) {
  const state = panelState(patch, role);
  api = fakeApi(state);
  attachApi(api, 'browser');
  applySnapshot(state);
  usePanel.getState().setConnection({ status: 'live' });
  return render(<App />);
}
beforeEach(() => resetStores());
afterEach(() => cleanup());

const drift = {
  failure: 'Generation Drift',
  cause: 'GENERATION_DRIFT: envelope generation 2, handshaken generation 1',
  action: 'The engine reloaded without a handshake; its hierarchy is LOCKED …',
  engine: 'unity',
  at: T0,
};
const inPanic = (locked: number) => ({
  orchestrator: { ...panelState().orchestrator, state: 'PANIC' as const, panic: drift },
  objects: { notClean: [], counts: { CLEAN: 22 - locked, PENDING: 0, DIRTY: 0, LOCKED: locked } },
});

describe('one count of LOCKED objects everywhere (item 6)', () => {
  it('with nothing locked, the banner, Sync health and emergency unlock all say none', async () => {
    start('lead', inPanic(0));
    expect(screen.getByTestId('panic-locked').textContent).toBe('No object is LOCKED now.');
    expect(screen.getByTestId('count-locked').textContent).toBe('0Locked');
    fireEvent.click(screen.getByRole('button', { name: /Quarantine/ }));
    expect(screen.getByText('No object is DIRTY or LOCKED')).toBeTruthy();
    expect(screen.queryByText('Every object is clean')).toBeNull();
  });

  it('with 3 locked, the banner gives the same 3 as Sync health', () => {
    start('viewer', inPanic(3));
    expect(screen.getByTestId('panic-locked').textContent).toBe('3 objects are LOCKED now (listed in Quarantine).');
    expect(screen.getByTestId('count-locked').textContent).toBe('3Locked');
  });

  it('emergency unlock says PANIC cleared and how many LOCKED objects it opened', async () => {
    start('lead', inPanic(1));
    fireEvent.click(screen.getByRole('button', { name: /Overrides/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Emergency unlock…' }));
    const dialog = screen.getByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Type/), { target: { value: EMERGENCY_ACK } });
    fireEvent.change(within(dialog).getByLabelText(/Reason/), { target: { value: 'drifted engine reloaded, accept the loss' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /Unlock/ }));
    await waitFor(() =>
      expect(usePanel.getState().notices.at(-1)?.text).toBe('Emergency unlock: PANIC cleared; 1 LOCKED object opened (blender).'),
    );
  });
});

describe('objects with a pending proposal are counted (item 9)', () => {
  it('Sync health shows PENDING beside clean, dirty and locked, out of the total', () => {
    start('viewer', { objects: { notClean: [], counts: { CLEAN: 5, PENDING: 17, DIRTY: 0, LOCKED: 0 } } });
    expect(screen.getByTestId('count-pending').textContent).toBe('17Pending objects');
    expect(screen.getByTestId('count-clean').textContent).toBe('5Clean of 22 objects');
  });
});

describe('throughput is the last complete second (item 7)', () => {
  it('a steady 300/s reads 300/s while the current second is still filling', () => {
    start('viewer', { engines: [engine('blender', { throughput: [300, 300, 300, 40] })] });
    expect(within(screen.getByTestId('engine-blender')).getByText('300/s')).toBeTruthy();
    expect(screen.queryByText('40/s')).toBeNull();
  });
});

describe('while disconnected the header does not claim RUNNING (item 10)', () => {
  it('shows DISCONNECTED with the last state seen, and RUNNING again once live', () => {
    start('viewer');
    const header = () => screen.getByTestId('orchestrator-state').textContent;
    expect(header()).toBe('OrchestratorRUNNING');
    act(() => usePanel.getState().setConnection({ status: 'reconnecting' }));
    expect(header()).toBe('OrchestratorDISCONNECTEDlast seen RUNNING');
    act(() => usePanel.getState().setConnection({ status: 'live' }));
    expect(header()).toBe('OrchestratorRUNNING');
  });

  it('a "failed — DISCONNECTED" notice goes once the panel is live again; other failures stay', () => {
    start('viewer');
    act(() => {
      usePanel.getState().setConnection({ status: 'reconnecting' });
      usePanel.getState().notify('error', 'Approve failed — DISCONNECTED: the connection to the orchestrator was lost');
      usePanel.getState().notify('error', 'Reject failed — FORBIDDEN_ROLE: reject needs the reviewer role');
    });
    act(() => usePanel.getState().setConnection({ status: 'live' }));
    expect(usePanel.getState().notices.map((n) => n.text)).toEqual(['Reject failed — FORBIDDEN_ROLE: reject needs the reviewer role']);
  });
});

describe('approving during PANIC says what happens (item 11)', () => {
  it('the notice says the decision is recorded but not applied while changes are halted', async () => {
    start('reviewer', { ...inPanic(0), pending: [pendingItem(1)] });
    fireEvent.click(screen.getByRole('button', { name: /Review queue/ }));
    fireEvent.keyDown(window, { key: 'a' });
    await waitFor(() => expect(api.calls.some((c) => c.method === 'approve')).toBe(true));
    await waitFor(() =>
      expect(usePanel.getState().notices.at(-1)?.text).toMatch(/^Approved 1 — recorded, not applied: the orchestrator is in PANIC/),
    );
  });
});

describe('trust per row is the agent’s trust now (item 12)', () => {
  it('rows that arrived at different times show the same, current trust of their agent', () => {
    applySnapshot(
      panelState({
        engines: [engine('layout-bot', { roles: ['agent'], trust: 46 })],
        pending: [pendingItem(1, { trust: 50 }), pendingItem(2, { trust: 51 }), pendingItem(3, { trust: 49 })],
      }),
    );
    render(<ReviewQueue fixedRect={{ width: 900, height: 600 }} />);
    const shown = () => screen.getAllByTestId('row-trust').map((c) => c.textContent);
    expect(shown()).toEqual(['46', '46', '46']);
    act(() => applyUpdates([{ kind: 'engines', engines: [engine('layout-bot', { roles: ['agent'], trust: 41 })] }]));
    expect(shown()).toEqual(['41', '41', '41']);
    expect(within(screen.getByTestId('pending-detail')).getByText('41')).toBeTruthy();
  });
});

describe('small things a person runs into (item 18)', () => {
  it('Alt+number follows the sidebar for a reviewer (no Overrides): Alt+4 is the audit log', () => {
    start('reviewer');
    const nav = screen.getByRole('navigation', { name: 'Screens' });
    expect(
      within(nav)
        .getByRole('button', { name: /Audit log/ })
        .getAttribute('title'),
    ).toBe('Alt+4');
    fireEvent.keyDown(window, { key: '4', altKey: true });
    expect(usePanel.getState().screen).toBe('audit');
    fireEvent.keyDown(window, { key: '5', altKey: true });
    expect(usePanel.getState().screen).toBe('audit');
    expect(nav.textContent).toContain('Alt+1…4 switch screens');
  });

  it('a disabled Unlock says what is missing', () => {
    start('lead', inPanic(0));
    fireEvent.click(screen.getByRole('button', { name: /Overrides/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Emergency unlock…' }));
    const dialog = screen.getByRole('dialog');
    expect(within(dialog).getByTestId('unlock-hint').textContent).toBe(
      'Type the confirmation exactly as shown and give a reason of at least 3 characters to unlock.',
    );
    fireEvent.change(within(dialog).getByLabelText(/Type/), { target: { value: EMERGENCY_ACK } });
    expect(within(dialog).getByTestId('unlock-hint').textContent).toBe('Give a reason of at least 3 characters to unlock.');
    expect((within(dialog).getByRole('button', { name: /Unlock/ }) as HTMLButtonElement).disabled).toBe(true);
  });
});
