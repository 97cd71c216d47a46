// @vitest-environment happy-dom
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetStores } from '../store/index.js';
import { applySnapshot, applyUpdates } from '../store/mirror.js';
import { engine, panelState, T0 } from '../testing/fixtures.js';
import { connectScripted } from '../testing/scripted-panel.js';
import { SyncHealth } from './SyncHealth.js';

const HOUR = 3_600_000;
const row = (name: string) => screen.getByTestId(`engine-${name}`);
const cells = (name: string) =>
  within(row(name))
    .getAllByRole('cell')
    .map((c) => c.textContent);

beforeEach(() => {
  resetStores();
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
});
afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('sync health', () => {
  it('shows each engine’s state, generation, heartbeat age, latency, throughput and breaker', () => {
    applySnapshot(
      panelState({
        engines: [
          engine('blender', { generation: 4, lastHeartbeatAt: T0 - 400, latencyMs: 3.25, throughput: [0, 10, 40, 25] }),
          engine('unity', {
            kind: 'unity',
            version: '2022.3',
            state: 'DEGRADED',
            lastHeartbeatAt: T0 - 12_000,
            latencyMs: 140,
            throughput: [],
            breaker: 'open',
          }),
        ],
      }),
    );
    render(<SyncHealth />);
    expect(cells('blender').slice(1)).toEqual(['HEALTHY', '4', '< 1 s', '3.3 ms', '40/s', 'closed', '90']);
    expect(cells('unity').slice(1)).toEqual(['DEGRADED', '1', '12 s', '140 ms', '0/s', 'open', '90']);
    expect(within(row('unity')).getByText('12 s').className).toContain('text-warn');
    expect(within(row('blender')).getByRole('img').getAttribute('aria-label')).toBe('blender throughput: latest 25/s, peak 40/s');
    expect(within(row('unity')).getByRole('img').getAttribute('aria-label')).toBe('unity throughput: no data yet');
    expect(within(row('unity')).getByText('open').getAttribute('title')).toMatch(/mutations to this engine are halted/);
  });

  it('says on the engine when a target reported it could not hold the scene it was resynced to', () => {
    applySnapshot(
      panelState({
        engines: [
          engine('godot', { roles: ['target'], cannotHold: { message: 'Lamp: an area light (Godot 3 has none)', at: T0 - 1000 } }),
          engine('blender'),
        ],
      }),
    );
    render(<SyncHealth />);
    expect(within(row('godot')).getByRole('status').textContent).toBe(
      'Does not hold all of the scene: Lamp: an area light (Godot 3 has none)',
    );
    expect(within(row('blender')).queryByRole('status')).toBeNull();
  });

  it('draws the sparkline from the right, one point per second of a 60-second axis', () => {
    applySnapshot(panelState({ engines: [engine('blender', { throughput: [5, 10, 20] })] }));
    render(<SyncHealth />);
    const line = row('blender').querySelector('polyline')!.getAttribute('points')!.split(' ');
    expect(line).toHaveLength(3);
    expect(line.at(-1)).toMatch(/^120\.0,/); // the newest second sits at the right edge
    expect(Number(line[0]!.split(',')[0])).toBeCloseTo(120 - 2 * (120 / 59), 1);
  });

  it('counts an engine in PANIC or disconnected as not live', () => {
    const panic = { failure: 'Contract Violation', cause: 'bad frame', action: 'Reset the token', engine: 'godot', at: T0 };
    applySnapshot(
      panelState({ engines: [engine('blender'), engine('unity', { state: 'DISCONNECTED' }), engine('godot', { state: 'PANIC', panic })] }),
    );
    render(<SyncHealth />);
    expect(screen.getByTestId('engines-live').textContent).toBe('1 / 3Engines live');
    act(() => applyUpdates([{ kind: 'engines', engines: [engine('blender'), engine('unity'), engine('godot')] }]));
    expect(screen.getByTestId('engines-live').textContent).toBe('3 / 3Engines live');
  });

  it('reads heartbeat age and uptime on the orchestrator’s clock when this machine’s clock is an hour behind', async () => {
    vi.setSystemTime(T0 - HOUR);
    const state = panelState({ engines: [engine('blender', { lastHeartbeatAt: T0 - 2_000 })] });
    state.orchestrator.startedAt = T0 - 90_000;
    const panel = await connectScripted(state, T0);
    render(<SyncHealth />);
    expect(cells('blender')[3]).toBe('2.0 s');
    expect(screen.getByText(/^up 1 m 30 s/)).toBeTruthy();
    panel.disconnect();
  });

  it('reads ages right when this machine’s clock is ahead of the orchestrator’s', async () => {
    vi.setSystemTime(T0 + 10 * 60_000);
    await connectScripted(panelState({ engines: [engine('blender', { lastHeartbeatAt: T0 - 3_000 })] }), T0);
    render(<SyncHealth />);
    expect(cells('blender')[3]).toBe('3.0 s');
  });

  it('badges every object its source could not send, with the reason, and counts them', () => {
    const items = [
      { id: 'rig', name: 'Rig', kind: 'armature', reason: 'armature: its bones, pose and skinning are not synced' },
      { id: 'title', name: 'Title', kind: 'text', reason: 'text: its characters and font are not synced' },
    ];
    applySnapshot(panelState({ engines: [engine('blender')] }));
    render(<SyncHealth />);
    expect(screen.queryByTestId('not-synced')).toBeNull(); // nothing to say: nothing shown
    const objects = { notClean: [], counts: { CLEAN: 10, PENDING: 0, DIRTY: 0, LOCKED: 0 } };
    act(() =>
      applyUpdates([{ kind: 'objects', objects: { ...objects, notSynced: { total: 2, byKind: { armature: 1, text: 1 }, items } } }]),
    );
    expect(screen.getByTestId('count-not-synced').textContent).toBe('2Not synced');
    expect(
      within(screen.getByTestId('not-synced-rig'))
        .getAllByRole('cell')
        .map((c) => c.textContent),
    ).toEqual(['Rigrig', 'armature', 'armature: its bones, pose and skinning are not synced']);
    expect(within(screen.getByTestId('not-synced-title')).getByText('text').className).toContain('pill-warn');
  });
});
