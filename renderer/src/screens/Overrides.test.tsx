// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachApi } from '../api/connect.js';
import { Notices } from '../components/Notices.js';
import { resetStores } from '../store/index.js';
import { applySnapshot, applyUpdates } from '../store/mirror.js';
import { fakeApi, type FakeApi } from '../testing/fake-api.js';
import { engine, panelState } from '../testing/fixtures.js';
import { Overrides } from './Overrides.js';

let api: FakeApi;
const state = () =>
  panelState(
    { engines: [engine('blender'), engine('unity', { kind: 'unity', breaker: 'open' }), engine('godot', { kind: 'godot' })] },
    'lead',
  );

beforeEach(() => {
  resetStores();
  const s = state();
  api = fakeApi(s);
  attachApi(api, 'browser');
  applySnapshot(s);
  render(
    <>
      <Overrides />
      <Notices />
    </>,
  );
});
afterEach(() => cleanup());

const card = (id: string) => screen.getByTestId(`override-${id}`);
const options = (select: HTMLElement) => [...select.querySelectorAll('option')].map((o) => o.textContent);
const notice = (text: string) => waitFor(() => expect(screen.getByText(text)).toBeTruthy());

describe('overrides', () => {
  it('offers a breaker reset for the engines whose breaker is open, and closes it with a reason', async () => {
    const c = card('circuit-breaker-reset');
    expect(options(within(c).getByLabelText('Circuit breaker reset: engine'))).toEqual(['unity']);
    const button = within(c).getByRole('button', { name: 'Close breaker' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    fireEvent.change(within(c).getByLabelText('Circuit breaker reset: reason'), {
      target: { value: 'deadlock cleared by restarting unity' },
    });
    fireEvent.click(button);
    await notice('Breaker closed for unity');
    expect(api.calls.at(-1)).toEqual({
      method: 'resetBreaker',
      input: { engine: 'unity', reason: 'deadlock cleared by restarting unity' },
    });
    expect((within(c).getByLabelText('Circuit breaker reset: reason') as HTMLInputElement).value).toBe('');
  });

  it('forces a resync of the chosen engine', async () => {
    const c = card('force-resync');
    expect(options(within(c).getByLabelText('Force resync: engine'))).toEqual(['blender', 'unity', 'godot']);
    fireEvent.change(within(c).getByLabelText('Force resync: engine'), { target: { value: 'godot' } });
    fireEvent.change(within(c).getByLabelText('Force resync: reason'), { target: { value: 'ok' } });
    expect((within(c).getByRole('button', { name: 'Resync' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(c).getByLabelText('Force resync: reason'), { target: { value: 'godot drifted after a crash' } });
    fireEvent.click(within(c).getByRole('button', { name: 'Resync' }));
    await notice('Resync sent to godot');
    expect(api.calls.at(-1)).toEqual({ method: 'forceResync', input: { engine: 'godot', reason: 'godot drifted after a crash' } });
  });

  it('keeps the reason and shows the refusal when an override fails', async () => {
    const c = card('force-resync');
    fireEvent.change(within(c).getByLabelText('Force resync: reason'), { target: { value: 'godot drifted after a crash' } });
    api.failWith('ENGINE_UNAVAILABLE', 'blender is not connected');
    fireEvent.click(within(c).getByRole('button', { name: 'Resync' }));
    await notice('Force resync failed — ENGINE_UNAVAILABLE: blender is not connected');
    expect((within(c).getByLabelText('Force resync: reason') as HTMLInputElement).value).toBe('godot drifted after a crash');
  });

  it('sets the trust threshold with a reason, and shows the value the orchestrator then reports', async () => {
    const c = card('trust-mode');
    expect(c.textContent).toContain('Now: 80');
    const apply = within(c).getByRole('button', { name: 'Apply' }) as HTMLButtonElement;
    fireEvent.change(within(c).getByLabelText('Trust threshold: reason'), { target: { value: 'layout agent has earned it' } });
    expect(apply.disabled).toBe(true); // unchanged value: nothing to apply
    fireEvent.change(within(c).getByLabelText('Trust threshold'), { target: { value: '60' } });
    expect(apply.disabled).toBe(false);
    fireEvent.click(apply);
    await notice('Trust threshold set to 60');
    expect(api.calls.at(-1)).toEqual({ method: 'setTrustThreshold', input: { value: 60, reason: 'layout agent has earned it' } });
    act(() => applyUpdates([{ kind: 'orchestrator', orchestrator: { ...state().orchestrator, trustThreshold: 60 } }]));
    expect(card('trust-mode').textContent).toContain('Now: 60');
  });
  it("warns when the threshold is at or below a new agent's starting trust, and applies it only after the lead confirms", async () => {
    act(() =>
      applyUpdates([{ kind: 'engines', engines: [...state().engines, engine('claude', { kind: 'mcp', roles: ['agent'], trust: 62 })] }]),
    );
    const c = card('trust-mode');
    fireEvent.change(within(c).getByLabelText('Trust threshold: reason'), { target: { value: 'pilot with the layout agent' } });
    fireEvent.change(within(c).getByLabelText('Trust threshold'), { target: { value: '51' } });
    expect(within(c).queryByTestId('trust-warning')).toBeNull();
    fireEvent.change(within(c).getByLabelText('Trust threshold'), { target: { value: '50' } });
    expect(within(c).getByTestId('trust-warning').textContent).toBe(
      'At 50, every new agent (trust 50) is auto-approved from its first proposal: its edits reach the engines with no human review. Connected agents auto-approved at once: claude (62).',
    );
    const calls = api.calls.length;
    fireEvent.click(within(c).getByRole('button', { name: 'Apply…' }));
    const dialog = screen.getByRole('dialog', { name: 'Auto-approve new agents?' });
    expect(dialog.textContent).toContain('Any agent that connects will have its proposals applied without a human reviewer');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.calls.length).toBe(calls); // nothing was sent

    fireEvent.click(within(c).getByRole('button', { name: 'Apply…' }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Auto-approve new agents' }));
    await notice('Trust threshold set to 50');
    expect(api.calls.at(-1)).toEqual({ method: 'setTrustThreshold', input: { value: 50, reason: 'pilot with the layout agent' } });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
