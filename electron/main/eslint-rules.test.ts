// The lint rules that keep raw IPC inside the typed wrappers, every layer in its place (at any
// depth), the core's parts in their directions and its import graph free of cycles, and the
// renderer's hooks honest — proven on small in-memory files: every known bypass is refused, and
// what the design allows still passes.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: repo });
});

const RULES = ['no-restricted-imports', 'no-restricted-syntax', 'import-x/no-restricted-paths', 'import-x/no-cycle'];

/** The messages ESLint gives `code` as if it were the file at `path` (relative to the repo). */
async function lint(path: string, code: string, rules = RULES): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repo, path) });
  return (result?.messages ?? []).filter((m) => m.ruleId && rules.some((r) => m.ruleId!.startsWith(r))).map((m) => m.message);
}

const RAW_IPC = /Raw IPC lives only in the typed wrappers/;

describe('ESLint: raw IPC only in the typed wrappers', () => {
  const bypasses: [string, string][] = [
    ['named import', "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);"],
    ['renamed import', "import { ipcMain as bus } from 'electron';\nbus.handle('x', () => 1);"],
    ['namespace import', "import * as electron from 'electron';\nelectron.ipcMain.handle('x', () => 1);"],
    ['default import', "import electron from 'electron';\nelectron.ipcMain.handle('x', () => 1);"],
    ['computed member', "import electron from 'electron';\nelectron['ipcMain'].handle('x', () => 1);"],
    ['destructuring', "import electron from 'electron';\nconst { ipcMain: bus } = electron;\nbus.handle('x', () => 1);"],
    ['dynamic import', "export async function f() { (await import('electron')).ipcMain.handle('x', () => 1); }"],
    ['re-export', "export { ipcMain } from 'electron';"],
    [
      'webContents.send',
      "import type { BrowserWindow } from 'electron';\nexport const f = (win: BrowserWindow) => win.webContents.send('vibesync:updates', []);",
    ],
    ['wc.send', "import type { WebContents } from 'electron';\nexport const f = (wc: WebContents) => wc.send('vibesync:updates', []);"],
    [
      'event.sender.send',
      "import type { IpcMainEvent } from 'electron';\nexport const f = (event: IpcMainEvent) => event.sender.send('x');",
    ],
  ];
  it.each(bypasses)('refuses raw IPC in electron/main through a %s', async (_name, code) => {
    expect((await lint('electron/main/sneaky.ts', code)).some((m) => RAW_IPC.test(m))).toBe(true);
  });

  it('refuses ipcRenderer in a second preload file and in the headless CLI', async () => {
    expect(
      (await lint('electron/preload/extra.ts', "import { ipcRenderer as r } from 'electron';\nr.send('x');")).some((m) => RAW_IPC.test(m)),
    ).toBe(true);
    expect(
      (await lint('electron/headless/sneaky.ts', "import * as e from 'electron';\nexport const x = e;")).some((m) => RAW_IPC.test(m)),
    ).toBe(true);
  });

  it('still lets the two wrappers use raw IPC, and other code use a WebSocket’s send', async () => {
    expect(
      await lint(
        'electron/main/ipc.ts',
        "import { ipcMain, type BrowserWindow } from 'electron';\nipcMain.handle('x', () => 1);\nexport const f = (win: BrowserWindow) => win.webContents.send('u', []);",
      ),
    ).toEqual([]);
    expect(
      await lint(
        'electron/preload/index.ts',
        "import { contextBridge, ipcRenderer } from 'electron';\ncontextBridge.exposeInMainWorld('v', { a: () => ipcRenderer.invoke('x') });",
      ),
    ).toEqual([]);
    expect(
      await lint(
        'electron/core/http/fixture.ts',
        "import type { WebSocket } from 'ws';\nexport const f = (ws: WebSocket) => ws.send('{}');",
      ),
    ).toEqual([]);
  });
});

describe('ESLint: layers of the Electron shell', () => {
  it('lets electron/main import electron, Node, electron/core and shared/, and nothing from the renderer, preload, headless CLI or adapters', async () => {
    expect(
      await lint(
        'electron/main/fixture.ts',
        [
          "import { app } from 'electron';",
          "import { join } from 'node:path';",
          "import { startOrchestrator } from '../core/orchestrator.js';",
          "import { CONTROL_METHODS } from '../../shared/ipc/index.js';",
          'export { app, join, startOrchestrator, CONTROL_METHODS };',
        ].join('\n'),
      ),
    ).toEqual([]);
    for (const spec of ['../../renderer/src/App.js', '../preload/index.js', '../headless/main.js', '../../adapters/sim/sim-adapter.js']) {
      expect(await lint('electron/main/fixture.ts', `import * as x from '${spec}';\nexport { x };`), spec).toEqual([
        expect.stringContaining('electron/main imports only'),
      ]);
    }
  });

  it('lets the preload import only electron and shared/', async () => {
    expect(
      await lint(
        'electron/preload/index.ts',
        "import { contextBridge } from 'electron';\nimport { controlChannel } from '../../shared/ipc/bridge.js';\nexport { contextBridge, controlChannel };",
      ),
    ).toEqual([]);
    for (const spec of [
      'node:fs',
      'fs',
      '../core/orchestrator.js',
      '../main/window.js',
      '../../renderer/src/format.js',
      'zod',
      'electron/main',
    ]) {
      expect(await lint('electron/preload/index.ts', `import * as x from '${spec}';\nexport { x };`), spec).toEqual([
        expect.stringContaining('electron/preload imports only'),
      ]);
    }
  });

  it('keeps electron out of the core and the renderer', async () => {
    expect(await lint('electron/core/fixture.ts', "import { app } from 'electron';\nexport { app };")).toEqual([
      expect.stringContaining('never imports electron'),
    ]);
    expect(await lint('renderer/src/fixture.ts', "import { ipcRenderer } from 'electron';\nexport { ipcRenderer };")).toEqual([
      expect.stringContaining('renderer/ imports only shared/'),
    ]);
  });
});

describe('ESLint: layers, on resolved paths at any depth', () => {
  const refused = async (path: string, spec: string, message: string) =>
    expect(await lint(path, `import * as x from '${spec}';\nexport { x };`), `${path} → ${spec}`).toEqual([
      expect.stringContaining(message),
    ]);

  it('keeps adapters, the shells and test support out of electron/core, however deep the file sits', async () => {
    const core = 'electron/core depends only on shared/';
    await refused('electron/core/probe.ts', '../../adapters/sim/sim-adapter.js', core);
    await refused('electron/core/brain/probe.ts', '../../../adapters/sim/sim-adapter.js', core);
    await refused('electron/core/brain/deep/er/probe.ts', '../../../../../adapters/sim/sim-adapter.js', core);
    await refused('electron/core/brain/deep/er/probe.ts', '../../../../main/main.js', core);
    await refused('electron/core/brain/deep/er/probe.ts', '../../../../headless/main.js', core);
    await refused('electron/core/wal/probe.ts', '../../../test/support/harness.js', core);
    await refused('electron/core/http/probe.ts', '../../../renderer/src/format.js', core);
    expect(
      await lint('electron/core/brain/deep/er/probe.ts', "export { hashing } from '../../../../../shared/canonical/index.js';"),
    ).toEqual([]);
  });

  it('keeps the simulator on the wire protocol: no Brain, no ipcMain, no core at all', async () => {
    await refused('adapters/sim/probe.ts', '../../electron/core/brain/brain.js', 'adapters/sim speaks the wire protocol');
    await refused('adapters/sim/probe.ts', '../../electron/core/transport/types.js', 'adapters/sim speaks the wire protocol');
    await refused('adapters/sim/probe.ts', '../../test/support/manual-clock.js', 'adapters/sim speaks the wire protocol');
    expect(await lint('adapters/sim/probe.ts', "import { ipcMain } from 'electron';\nexport { ipcMain };")).toEqual([
      expect.stringContaining('never import electron'),
    ]);
    expect(await lint('adapters/sim/probe.ts', "export { systemClock } from '../../shared/clock.js';")).toEqual([]);
  });

  it('keeps shared/ and the renderer to themselves', async () => {
    await refused('shared/protocol/probe.ts', '../../electron/core/brain/records.js', 'shared/ depends on nothing in the repo but itself');
    await refused('shared/probe.ts', '../adapters/sim/scene-gen.js', 'shared/ depends on nothing in the repo but itself');
    await refused('renderer/src/screens/probe.ts', '../../../electron/core/control/index.js', 'renderer/ imports only shared/');
    await refused('renderer/src/probe.ts', '../../adapters/sim/sim-adapter.js', 'renderer/ imports only shared/');
  });
});

describe('ESLint: the parts of electron/core', () => {
  const refused = async (path: string, spec: string, message: string) =>
    expect(await lint(path, `import type * as x from '${spec}';\nexport type { x };`), `${path} → ${spec}`).toEqual([
      expect.stringContaining(message),
    ]);
  const allowed = async (path: string, spec: string) =>
    expect(await lint(path, `import type * as x from '${spec}';\nexport type { x };`), `${path} → ${spec}`).toEqual([]);

  it('keeps the brain from the control side, the HTTP shell, the composition root and the leaves', async () => {
    const never = 'brain/ never imports';
    await refused('electron/core/brain/probe.ts', '../control/index.js', never);
    await refused('electron/core/brain/probe.ts', '../control/context.js', never);
    await refused('electron/core/brain/probe.ts', '../http/server.js', never);
    await refused('electron/core/brain/probe.ts', '../orchestrator.js', never);
    await refused('electron/core/brain/probe.ts', '../auth/tokens.js', never);
    await refused('electron/core/brain/probe.ts', '../security/scanner.js', never);
    await refused('electron/core/brain/probe.ts', '../transport/adapter-server.js', 'only through transport/types.ts');
    await refused('electron/core/brain/probe.ts', '../wal/index.js', 'only through wal/types.ts');
    await allowed('electron/core/brain/probe.ts', '../transport/types.js');
    await allowed('electron/core/brain/probe.ts', '../wal/types.js');
  });

  it('keeps transport, wal, auth and security leaves: they import no other part of the core', async () => {
    await refused('electron/core/transport/probe.ts', '../brain/brain.js', 'transport/ is a leaf of the core');
    await refused('electron/core/transport/probe.ts', '../brain/session.js', 'transport/ is a leaf of the core');
    await refused('electron/core/wal/probe.ts', '../brain/records.js', 'wal/ is a leaf of the core');
    await refused('electron/core/auth/probe.ts', '../control/index.js', 'auth/ is a leaf of the core');
    await refused('electron/core/security/probe.ts', '../http/server.js', 'security/ is a leaf of the core');
    await refused('electron/core/transport/probe.ts', '../auth/tokens.js', 'transport/ is a leaf of the core');
  });

  it('lets the HTTP shell use the control side only through its facade, and never the brain', async () => {
    await refused('electron/core/http/probe.ts', '../brain/brain.js', 'http/ never imports the brain');
    await refused('electron/core/http/probe.ts', '../control/operations.js', 'only through its facade');
    await allowed('electron/core/http/probe.ts', '../control/index.js');
    await refused('electron/core/control/probe.ts', '../http/server.js', 'control/ drives the brain');
    await refused('electron/core/control/probe.ts', '../transport/adapter-server.js', 'control/ drives the brain');
    await allowed('electron/core/control/probe.ts', '../brain/context.js');
  });
});

describe('ESLint: no import cycle inside electron/core, type imports counted', () => {
  // Each probe is lint text standing in for a real file, so the real file it imports closes the loop.
  it('refuses a cycle whose first edge is a type-only import', async () => {
    // records.ts imports durable-state.ts; durable-state.ts importing a type back from records.ts closes the circle.
    expect(
      await lint('electron/core/brain/durable-state.ts', "import type { BrainRecord } from './records.js';\nexport type X = BrainRecord;"),
    ).toEqual([expect.stringContaining('Dependency cycle')]);
  });

  it('refuses a cycle closed by a type-only import further along', async () => {
    // session.ts imports only a type from durable-state.ts: that edge counts too.
    expect(
      await lint('electron/core/brain/durable-state.ts', "import { Session } from './session.js';\nexport const S = Session;"),
    ).toEqual([expect.stringContaining('Dependency cycle')]);
  });

  it('refuses a cycle between the control side and the brain, and passes the real file', async () => {
    const probe = "import type { PanelSource } from '../control/context.js';\nexport type X = PanelSource;";
    expect(await lint('electron/core/brain/context.ts', probe, ['import-x/no-cycle'])).toEqual([
      expect.stringContaining('Dependency cycle'),
    ]);
    expect(await lint('electron/core/brain/context.ts', "export type X = 'nothing imported';")).toEqual([]);
  });
});

describe('ESLint: react-hooks in the renderer', () => {
  it('refuses a hook called conditionally and a setState straight inside an effect', async () => {
    const conditional = [
      "import { useState } from 'react';",
      'export function Probe({ on }: { on: boolean }) {',
      '  if (on) useState(0);',
      '  return null;',
      '}',
    ].join('\n');
    expect(await lint('renderer/src/components/Probe.tsx', conditional, ['react-hooks/'])).toEqual([
      expect.stringContaining('called conditionally'),
    ]);
    const inEffect = [
      "import { useEffect, useState } from 'react';",
      'export function Probe({ k }: { k: string }) {',
      '  const [v, setV] = useState<string | null>(null);',
      '  useEffect(() => setV(null), [k]);',
      '  return v;',
      '}',
    ].join('\n');
    expect(await lint('renderer/src/components/Probe.tsx', inEffect, ['react-hooks/'])).toEqual([
      expect.stringContaining('Calling setState synchronously within an effect'),
    ]);
  });
});
