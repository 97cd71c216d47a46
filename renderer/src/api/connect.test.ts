// @vitest-environment happy-dom
// The Electron window shares the orchestrator's process and clock: nothing it receives moves the
// clock estimate, however the replies and pushes are stamped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CONTROL_METHODS, type ControlBridge, type PanelUpdate } from '../../../shared/ipc/index.js';
import { resetStores, usePanel } from '../store/index.js';
import { panelState } from '../testing/fixtures.js';
import { connectElectron } from './connect.js';

const HOUR = 3_600_000;

function slowSkewedBridge() {
  const listeners = new Set<(u: PanelUpdate[], serverNow?: number) => void>();
  const bridge: Record<string, unknown> = {
    kind: 'electron',
    onUpdate(l: (u: PanelUpdate[], serverNow?: number) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  for (const m of CONTROL_METHODS) {
    bridge[m] = async () => {
      await new Promise((r) => setTimeout(r, 30));
      return { ok: true, value: m === 'getState' ? panelState({}, 'lead') : { approved: [], missing: [] }, serverNow: Date.now() + HOUR };
    };
  }
  return {
    bridge: bridge as unknown as ControlBridge,
    push: (serverNow: number) => {
      for (const l of listeners) l([], serverNow);
    },
  };
}

let detach: (() => void) | undefined;
beforeEach(() => resetStores());
afterEach(() => {
  detach?.();
  delete window.vibesync;
});

describe('the Electron connection', () => {
  it('does not sample the orchestrator’s clock: the offset stays 0', async () => {
    const { bridge, push } = slowSkewedBridge();
    window.vibesync = bridge;
    detach = connectElectron();
    await expect.poll(() => usePanel.getState().connection.status).toBe('live');
    await usePanel.getState().api!.approve({ pids: ['p1'] });
    push(Date.now() + HOUR);
    expect(usePanel.getState().clock.offsetMs).toBe(0);
  });
});
