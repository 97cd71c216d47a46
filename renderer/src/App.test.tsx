// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMERGENCY_ACK, type PersonRole } from '../../shared/ipc/index.js';
import { attachApi } from './api/connect.js';
import { App } from './App.js';
import { resetStores, usePanel } from './store/index.js';
import { applySnapshot, applyUpdates } from './store/mirror.js';
import { fakeApi, type FakeApi } from './testing/fake-api.js';
import { auditEntry, engine, panelState, T0 } from './testing/fixtures.js';

let api: FakeApi;
function start(role: PersonRole, patch = {}) {
  const state = panelState(patch, role);
  api = fakeApi(state);
  attachApi(api, 'browser');
  applySnapshot(state);
  return render(<App />);
}

beforeEach(() => resetStores());
afterEach(() => cleanup());

const panic = {
  failure: 'Contract Violation',
  cause: 'blender sent a frame with an unknown field "evil"',
  action: 'Reset the token of blender (Overrides → Token reset).',
  engine: 'blender',
  at: T0,
};

describe('panel shell', () => {
  it('shows the PANIC banner with failure, cause and action on every screen while PANIC lasts', () => {
    start('viewer');
    expect(screen.queryByTestId('panic-banner')).toBeNull();
    act(() =>
      applyUpdates([
        { kind: 'orchestrator', orchestrator: { ...panelState().orchestrator, state: 'PANIC', panic } },
        { kind: 'engines', engines: [engine('blender', { state: 'PANIC', panic })] },
      ]),
    );
    for (const name of ['Sync health', 'Review queue', 'Quarantine', 'Audit log']) {
      fireEvent.click(screen.getByRole('button', { name: new RegExp(name) }));
      const banner = screen.getByTestId('panic-banner');
      expect(
        within(banner)
          .getAllByTestId('panic-failure')
          .map((e) => e.textContent),
      ).toEqual(['Contract Violation']);
      expect(within(banner).getByTestId('panic-cause').textContent).toBe(panic.cause);
      expect(within(banner).getByTestId('panic-action').textContent).toBe(panic.action);
    }
    act(() =>
      applyUpdates([
        { kind: 'orchestrator', orchestrator: { ...panelState().orchestrator, state: 'RUNNING', panic: null } },
        { kind: 'engines', engines: [engine('blender')] },
      ]),
    );
    expect(screen.queryByTestId('panic-banner')).toBeNull();
  });

  it('hides overrides from a viewer and a reviewer, shows them to a lead', () => {
    for (const role of ['viewer', 'reviewer'] as const) {
      start(role);
      expect(screen.queryByRole('button', { name: 'Overrides' })).toBeNull();
      act(() => usePanel.getState().setScreen('overrides'));
      expect(screen.queryByTestId('screen-overrides')).toBeNull();
      expect(screen.getByText(/Overrides need the lead role/)).toBeTruthy();
      cleanup();
      resetStores();
    }
    start('lead');
    fireEvent.click(screen.getByRole('button', { name: 'Overrides' }));
    expect(screen.getByTestId('screen-overrides')).toBeTruthy();
  });

  it('unlocks only after the lead types the exact acknowledgement and a reason', async () => {
    start('lead');
    act(() => usePanel.getState().setScreen('overrides'));
    fireEvent.click(screen.getByRole('button', { name: /Emergency unlock/ }));
    const confirm = screen.getByRole('button', { name: 'Unlock and accept the risk' }) as HTMLButtonElement;
    fireEvent.change(screen.getByLabelText('Unlock reason'), { target: { value: 'blender hierarchy stuck after crash' } });
    fireEvent.change(screen.getByLabelText('Type the confirmation'), { target: { value: EMERGENCY_ACK.toLowerCase() } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Type the confirmation'), { target: { value: EMERGENCY_ACK } });
    expect(confirm.disabled).toBe(false);
    fireEvent.click(confirm);
    await waitFor(() =>
      expect(api.calls.at(-1)).toEqual({
        method: 'emergencyUnlock',
        input: { acknowledge: EMERGENCY_ACK, reason: 'blender hierarchy stuck after crash' },
      }),
    );
  });

  it('shows a reset token once, then never again', async () => {
    start('lead');
    act(() => usePanel.getState().setScreen('overrides'));
    const card = screen.getByTestId('override-token-reset');
    fireEvent.change(within(card).getByLabelText('Token reset: reason'), { target: { value: 'contract violation' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Reset token' }));
    await waitFor(() => expect(screen.getByTestId('new-token').textContent).toBe('vs_adapter_NEWTOKEN'));
    fireEvent.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByTestId('new-token')).toBeNull();
    expect(document.body.textContent).not.toContain('vs_adapter_NEWTOKEN');
  });

  it('tells a newcomer how to connect Blender when no engine is connected', () => {
    start('viewer', { engines: [] });
    const empty = screen.getByTestId('empty-state');
    expect(empty.textContent).toContain('vibesync token issue --role adapter --name blender');
    expect(empty.textContent).toMatch(/ws:\/\/.+\/adapter/);
  });

  it('filters the audit log by kind and text, and searches the full log through the core', async () => {
    start('viewer', {
      audit: [
        auditEntry(3, { kind: 'reject', reason: 'floats above the floor' }),
        auditEntry(2),
        auditEntry(1, { kind: 'panic', summary: 'Contract Violation from godot', terminal: true }),
      ],
    });
    act(() => usePanel.getState().setScreen('audit'));
    const seqs = () => screen.getAllByTestId('audit-row').map((r) => r.querySelector('td')?.textContent);
    expect(seqs()).toEqual(['3', '2', '1']);
    fireEvent.change(screen.getByLabelText('Filter by kind'), { target: { value: 'panic' } });
    await waitFor(() => expect(seqs()).toEqual(['1']));
    expect(screen.getByTestId('audit-row').className).toBe('terminal');
    fireEvent.change(screen.getByLabelText('Filter by kind'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Filter text'), { target: { value: 'floor' } });
    await waitFor(() => expect(seqs()).toEqual(['3']));
    fireEvent.click(screen.getByRole('button', { name: 'Search the full log' }));
    await waitFor(() => expect(screen.getByTestId('audit-full').textContent).toContain('1 entry from the full log'));
    expect(api.calls.at(-1)).toEqual({ method: 'queryAudit', input: { text: 'floor', limit: 200 } });
  });
});
