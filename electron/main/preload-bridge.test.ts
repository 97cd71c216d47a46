// The preload bridge under Node, with electron's modules replaced by recorders (the Electron e2e
// needs the binary): window.vibesync holds one method per control method, each invoking its own
// channel with the input as given, plus onUpdate and kind — nothing else.
import { describe, expect, it, vi } from 'vitest';
import { controlChannel } from '../../shared/ipc/bridge.js';
import { CONTROL_METHODS } from '../../shared/ipc/methods.js';

const rec = vi.hoisted(() => ({ exposed: {} as Record<string, unknown>, invoked: [] as Array<[string, unknown]> }));
vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => {
      rec.exposed[key] = api;
    },
  },
  ipcRenderer: {
    invoke: async (channel: string, input: unknown) => {
      rec.invoked.push([channel, input]);
      return { ok: true, value: null };
    },
    on() {},
    removeListener() {},
  },
}));

describe('preload bridge', () => {
  it('exposes one method per control method, each on its own channel, plus onUpdate and kind', async () => {
    await import('../preload/index.js');
    const api = rec.exposed.vibesync as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...CONTROL_METHODS, 'kind', 'onUpdate'].sort());
    expect(api.kind).toBe('electron');
    for (const method of CONTROL_METHODS) await (api[method] as (input: unknown) => Promise<unknown>)({ method });
    expect(rec.invoked).toEqual(CONTROL_METHODS.map((method) => [controlChannel(method), { method }]));
  });
});
