// @vitest-environment happy-dom
// An AI agent's PANIC (Security Breach, Contract Violation) halts only that agent: the banner names
// it on every screen, says engines keep syncing, and the lead's way out is its token reset.
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PanicView, PersonRole } from '../../../shared/ipc/index.js';
import { attachApi } from '../api/connect.js';
import { App } from '../App.js';
import { resetStores, usePanel } from '../store/index.js';
import { applySnapshot } from '../store/mirror.js';
import { fakeApi } from '../testing/fake-api.js';
import { engine, panelState, pendingItem, T0 } from '../testing/fixtures.js';

const breach: PanicView = {
  failure: 'Security Breach',
  cause: 'SECURITY_BLOCKED: script proposal claude-7: import-blocked',
  action: 'The agent proposed a script the scanner blocked (it never ran). … reset its token (lead, Overrides → Token reset).',
  engine: 'claude',
  at: T0,
  scope: 'agent',
};

function start(role: PersonRole) {
  const state = panelState(
    {
      engines: [engine('blender'), engine('claude', { kind: 'unknown', roles: [], state: 'PANIC', panic: breach })],
      pending: [pendingItem(1, { agent: 'claude' }), pendingItem(2)],
    },
    role,
  );
  attachApi(fakeApi(state), 'browser');
  applySnapshot(state);
  return render(<App />);
}

beforeEach(() => resetStores());
afterEach(() => cleanup());

describe('PANIC banner for an AI agent', () => {
  it('names the agent on every screen and says sync between engines goes on', () => {
    start('viewer');
    for (const name of ['Sync health', 'Review queue', 'Quarantine', 'Audit log']) {
      fireEvent.click(screen.getByRole('button', { name: new RegExp(name) }));
      const banner = screen.getByTestId('panic-banner');
      expect(within(banner).getByTestId('panic-failure').textContent).toBe('Security Breach');
      expect(within(banner).getByTestId('panic-agent').textContent).toBe(
        'agent claude quarantined, token revoked · sync between engines goes on',
      );
      expect(banner.textContent).toContain("A lead must reset the agent's token. Engines keep syncing; only the agent is halted.");
      expect(banner.textContent).not.toContain('Mutations are halted');
    }
  });

  it("offers the lead the agent's token reset, and no emergency unlock (nothing is LOCKED)", () => {
    start('lead');
    fireEvent.click(within(screen.getByTestId('panic-banner')).getByRole('button', { name: 'Open overrides' }));
    expect(usePanel.getState().screen).toBe('overrides');
    const reset = screen.getByTestId('override-token-reset');
    expect((within(reset).getByLabelText('Token reset: engine') as HTMLSelectElement).value).toBe('claude');
    expect(screen.getByRole('button', { name: 'Emergency unlock… (no PANIC now)' })).toBeTruthy();
    act(() => usePanel.getState().setScreen('health'));
    expect(screen.getByTestId('panic-banner')).toBeTruthy();
  });
  it("tells the reviewer when a pending proposal's agent is in PANIC", () => {
    start('reviewer');
    act(() => usePanel.getState().setScreen('review'));
    expect(screen.getByTestId('pending-detail').getAttribute('aria-label')).toBe('Mutation p1');
    expect(screen.getByTestId('agent-panic-note').textContent).toBe(
      'claude is in PANIC (Security Breach): quarantined and its token revoked. This proposal was made before; judge it with that in mind.',
    );
    act(() => usePanel.getState().setCursor(1));
    expect(screen.getByTestId('pending-detail').getAttribute('aria-label')).toBe('Mutation p2');
    expect(screen.queryByTestId('agent-panic-note')).toBeNull();
  });
});
