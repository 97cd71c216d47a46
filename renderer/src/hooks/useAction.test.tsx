// @vitest-environment happy-dom
import { act, cleanup, renderHook } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetStores, usePanel } from '../store/index.js';
import { fakeApi } from '../testing/fake-api.js';
import { panelState } from '../testing/fixtures.js';
import { useAction } from './useAction.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

beforeEach(() => {
  resetStores();
  usePanel.getState().setApi(fakeApi(panelState({}, 'lead')));
});
afterEach(() => cleanup());

describe('useAction', () => {
  it('stays busy until the last of overlapping runs ends, and keeps the progress of the run that is still going', async () => {
    const { result } = renderHook(() => useAction());
    const first = deferred();
    const second = deferred();
    let a!: Promise<unknown>;
    let b!: Promise<unknown>;
    act(() => {
      a = result.current.run('First', async (_api, { report }) => {
        report(1, 4);
        await first.promise;
      });
      b = result.current.run('Second', async (_api, { report }) => {
        report(2, 5);
        await second.promise;
      });
    });
    expect(result.current.busy).toBe(true);
    await act(async () => {
      first.resolve();
      await a;
    });
    expect(result.current.busy).toBe(true);
    expect(result.current.progress).toEqual({ label: 'Second', done: 2, total: 5 });
    await act(async () => {
      second.resolve();
      await b;
    });
    expect(result.current.busy).toBe(false);
    expect(result.current.progress).toBeNull();
  });

  it('refuses an exclusive run while another is in flight, without a call or a notice', async () => {
    const { result } = renderHook(() => useAction());
    const gate = deferred();
    let calls = 0;
    let a!: Promise<unknown>;
    let b!: Promise<unknown>;
    act(() => {
      a = result.current.run(
        'First',
        async () => {
          calls++;
          await gate.promise;
          return 1;
        },
        { exclusive: true },
      );
      b = result.current.run(
        'Second',
        async () => {
          calls++;
          return 2;
        },
        { exclusive: true },
      );
    });
    await expect(b).resolves.toBeUndefined();
    await act(async () => {
      gate.resolve();
      await expect(a).resolves.toBe(1);
    });
    expect(calls).toBe(1);
    expect(usePanel.getState().notices).toHaveLength(0);
  });

  it('words a failure the same way whether the call threw or there was no connection', async () => {
    const { result } = renderHook(() => useAction());
    await act(async () => {
      await result.current.run('Token reset', async () => {
        throw new Error('boom');
      });
    });
    usePanel.getState().setApi(null);
    await act(async () => {
      await result.current.run('Token reset', async () => 1);
    });
    expect(usePanel.getState().notices.map((n) => n.text)).toEqual([
      'Token reset failed — boom',
      'Token reset failed — not connected to the orchestrator',
    ]);
  });
});
