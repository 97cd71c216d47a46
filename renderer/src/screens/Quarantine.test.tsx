// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PanelState, PersonRole } from '../../../shared/ipc/index.js';
import { attachApi } from '../api/connect.js';
import { Notices } from '../components/Notices.js';
import { resetStores, usePanel } from '../store/index.js';
import { applySnapshot } from '../store/mirror.js';
import { fakeApi, type FakeApi } from '../testing/fake-api.js';
import { engine, panelState, T0 } from '../testing/fixtures.js';
import { connectScripted } from '../testing/scripted-panel.js';
import { Quarantine } from './Quarantine.js';

const HOUR = 3_600_000;
const quarantined = (until: number) => engine('noisy-godot', { kind: 'godot', state: 'QUARANTINED', trust: 38, quarantineUntil: until });
const dirty = { id: 'obj_7', name: 'Crate 7', state: 'DIRTY' as const, reason: 'unity hash mismatch after commit', since: T0 - 65_000 };
const withQuarantine = (until: number): Partial<PanelState> => ({
  engines: [engine('blender'), quarantined(until)],
  objects: {
    notClean: [dirty, { id: 'obj_9', name: 'Lamp', state: 'LOCKED', reason: 'PANIC lock', since: T0 }],
    counts: { CLEAN: 8, PENDING: 0, DIRTY: 1, LOCKED: 1 },
  },
});

let api: FakeApi;
function start(role: PersonRole, patch: Partial<PanelState>) {
  const state = panelState(patch, role);
  api = fakeApi(state);
  attachApi(api, 'browser');
  applySnapshot(state);
  return render(
    <>
      <Quarantine />
      <Notices />
    </>,
  );
}

beforeEach(() => {
  resetStores();
  vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('quarantine', () => {
  it('counts down an adapter’s cool-off every second', () => {
    start('viewer', withQuarantine(T0 + 90_000));
    const countdown = () => within(screen.getByTestId('quarantined-noisy-godot')).getByText(/^\d+:\d\d$/).textContent;
    expect(countdown()).toBe('1:30');
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(countdown()).toBe('1:29');
    act(() => {
      vi.advanceTimersByTime(89_000);
    });
    expect(countdown()).toBe('0:00');
  });

  it('counts down on the orchestrator’s clock when this machine’s clock is an hour behind', async () => {
    vi.setSystemTime(T0 - HOUR);
    await connectScripted(panelState(withQuarantine(T0 + 90_000)), T0);
    render(<Quarantine />);
    expect(within(screen.getByTestId('quarantined-noisy-godot')).getByText(/^\d+:\d\d$/).textContent).toBe('1:30');
    expect(within(screen.getByTestId('dirty-obj_7')).getByText('1 m 5 s')).toBeTruthy();
  });

  it('lists DIRTY and LOCKED objects with why and since; only DIRTY ones offer a re-snapshot', () => {
    start('reviewer', withQuarantine(T0 + 90_000));
    const row = screen.getByTestId('dirty-obj_7');
    expect(row.textContent).toContain('unity hash mismatch after commit');
    expect(row.textContent).toContain('1 m 5 s');
    expect(within(screen.getByTestId('dirty-obj_9')).queryByRole('button')).toBeNull();
  });

  it('asks for a reason, then requests the re-snapshot and says from which engine', async () => {
    start('reviewer', withQuarantine(T0 + 90_000));
    fireEvent.click(within(screen.getByTestId('dirty-obj_7')).getByRole('button', { name: 'Re-snapshot' }));
    const dialog = screen.getByRole('dialog', { name: 'Request a fresh snapshot of obj_7' });
    const submit = within(dialog).getByRole('button', { name: 'Request re-snapshot' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('Re-snapshot reason'), { target: { value: 'take a fresh export' } });
    fireEvent.click(submit);
    await waitFor(() => expect(screen.getByText('Re-snapshot of obj_7 requested from blender')).toBeTruthy());
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(api.calls.at(-1)).toEqual({ method: 'requestResnapshot', input: { objectId: 'obj_7', reason: 'take a fresh export' } });
  });

  it('keeps the dialog open and shows the refusal when the core says no', async () => {
    start('reviewer', withQuarantine(T0 + 90_000));
    fireEvent.click(screen.getByRole('button', { name: 'Re-snapshot' }));
    fireEvent.change(screen.getByLabelText('Re-snapshot reason'), { target: { value: 'take a fresh export' } });
    api.failWith('ENGINE_UNAVAILABLE', 'blender is not connected');
    fireEvent.click(screen.getByRole('button', { name: 'Request re-snapshot' }));
    await waitFor(() => expect(screen.getByText('Re-snapshot failed — ENGINE_UNAVAILABLE: blender is not connected')).toBeTruthy());
    expect((screen.getByLabelText('Re-snapshot reason') as HTMLInputElement).value).toBe('take a fresh export');
  });

  it('lets a viewer see but not request a re-snapshot', () => {
    start('viewer', withQuarantine(T0 + 90_000));
    expect((screen.getByRole('button', { name: 'Re-snapshot' }) as HTMLButtonElement).disabled).toBe(true);
    expect(usePanel.getState().me?.role).toBe('viewer');
  });
});
