// The lint rules that keep raw IPC inside the typed wrappers and the shells in their layers,
// proven on small in-memory files: every known bypass is refused, the wrappers still pass.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: repo });
});

/** The messages ESLint gives `code` as if it were the file at `path` (relative to the repo). */
async function lint(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repo, path) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
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
