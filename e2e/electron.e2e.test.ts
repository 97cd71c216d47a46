// The desktop shell, driven by playwright-core's _electron: the same renderer as the browser view,
// but over the preload bridge, with the desktop user acting as the local lead. Runs only where
// the Electron binary is installed. Where it is not, the file says so on stderr when it loads (a
// skipped test's title is not printed by the default reporter); the window hardening is still
// checked under Node by electron/main/window-policy.test.ts, and the renderer in Chromium by
// panel.e2e.test.ts.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repo, shoot } from './panel-harness.js';

const electronDir = join(repo, 'node_modules', 'electron');
const binary = (() => {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
})();

if (!binary) {
  console.warn(
    [
      '',
      '⚠ e2e/electron.e2e.test.ts SKIPPED: the Electron binary is not installed',
      `  (no ${join('node_modules', 'electron', 'path.txt')} / dist; installed with ELECTRON_SKIP_BINARY_DOWNLOAD?).`,
      '  To run it: `node node_modules/electron/install.js` (or `npm rebuild electron`), then `npm run e2e`.',
      '  Still covered here: window hardening under Node (electron/main/window-policy.test.ts), the renderer in Chromium (e2e/panel.e2e.test.ts).',
      '',
    ].join('\n'),
  );
}

/** Resolves to whether `event` fired on the window's webContents within `ms`; registered before the caller acts. */
async function armWebContentsEvent(app: ElectronApplication, event: 'will-navigate') {
  await app.evaluate(({ BrowserWindow }, name) => {
    const g = globalThis as unknown as { __seen?: Record<string, string[]> };
    g.__seen ??= {};
    const seen = (g.__seen[name] = [] as string[]);
    BrowserWindow.getAllWindows()[0]!.webContents.once(name as 'will-navigate', (_e, url: string) => {
      seen.push(url);
    });
  }, event);
  return () => app.evaluate((_electron, name) => (globalThis as unknown as { __seen: Record<string, string[]> }).__seen[name] ?? [], event);
}

describe('desktop shell (Electron)', () => {
  it.skipIf(!binary)(
    'opens the hardened window as the local lead: sandboxed, no navigation or new windows, CSP enforced, only the typed bridge exposed',
    async () => {
      const profile = mkdtempSync(join(tmpdir(), 'vibesync-electron-'));
      const app = await electron.launch({
        executablePath: binary!,
        // --no-sandbox: CI containers run as root, where Chromium's OS sandbox cannot start; the
        // renderer's own sandbox (webPreferences.sandbox) is asserted below.
        args: [join(repo, 'dist', 'electron', 'main.cjs'), '--no-sandbox', '--disable-gpu'],
        env: { ...process.env, VIBESYNC_USER_DATA: profile, VIBESYNC_PORT: '0', VIBESYNC_LOG_LEVEL: 'warn' },
      });
      try {
        const win = await app.firstWindow();
        await win.getByTestId('orchestrator-state').filter({ hasText: 'RUNNING' }).waitFor();
        expect(await win.getByTestId('me').textContent()).toContain('lead');

        // What Electron actually applied to the window, read from the main process.
        const prefs = await app.evaluate(({ BrowserWindow }) => {
          // Undocumented but long-standing (not in electron.d.ts): what the window was really created with.
          const wc = BrowserWindow.getAllWindows()[0]!.webContents as unknown as {
            getLastWebPreferences(): Record<string, unknown> | null;
          };
          const p = wc.getLastWebPreferences();
          return (
            p && {
              contextIsolation: p.contextIsolation,
              sandbox: p.sandbox,
              nodeIntegration: p.nodeIntegration,
              nodeIntegrationInWorker: p.nodeIntegrationInWorker,
              webSecurity: p.webSecurity,
              webviewTag: p.webviewTag,
              allowRunningInsecureContent: p.allowRunningInsecureContent,
            }
          );
        });
        expect(prefs).toEqual({
          contextIsolation: true,
          sandbox: true,
          nodeIntegration: false,
          nodeIntegrationInWorker: false,
          webSecurity: true,
          webviewTag: false,
          allowRunningInsecureContent: false,
        });

        const exposed = await win.evaluate(() => Object.keys((globalThis as unknown as { vibesync: object }).vibesync).sort());
        expect(exposed).not.toContain('ipcRenderer');
        expect(exposed).not.toContain('invoke');
        expect(exposed).toContain('approve');

        // The CSP is in the page and enforced: an injected inline script does not run.
        expect(await win.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toContain("default-src 'self'");
        const inlineRan = await win.evaluate(() => {
          type El = { textContent: string };
          const g = globalThis as unknown as {
            __inline?: number;
            document: { createElement(tag: string): El; head: { append(e: El): void } };
          };
          const s = g.document.createElement('script');
          s.textContent = 'globalThis.__inline = 1';
          g.document.head.append(s); // an allowed inline script would have run synchronously here
          return g.__inline === 1;
        });
        expect(inlineRan).toBe(false);

        // Navigation away from the app is refused: will-navigate fires, and the URL stays ours.
        const appUrl = win.url();
        const navigations = await armWebContentsEvent(app, 'will-navigate');
        await win.evaluate(() => {
          (globalThis as unknown as { location: { href: string } }).location.href = 'http://example.invalid/';
        });
        await expect.poll(navigations).toEqual(['http://example.invalid/']);
        expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]!.webContents.getURL())).toBe(appUrl);
        await win.getByTestId('orchestrator-state').waitFor();

        // window.open creates no window: the 'window' event must time out.
        const opened = app.waitForEvent('window', { timeout: 2000 }).then(
          () => 'a window opened',
          () => 'no window',
        );
        await win.evaluate(() => {
          (globalThis as unknown as { open(url: string): unknown }).open('http://example.invalid/popup');
        });
        expect(await opened).toBe('no window');
        expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);

        await win.getByRole('button', { name: 'Overrides' }).click();
        await win.getByTestId('screen-overrides').waitFor();
        await shoot(win, '10-desktop-overrides');
      } finally {
        await app.close();
        rmSync(profile, { recursive: true, force: true });
      }
    },
  );

  it.skipIf(!binary)('a second desktop instance on the same profile hands over to the first and starts no orchestrator', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'vibesync-electron-'));
    const env = { ...process.env, VIBESYNC_USER_DATA: profile, VIBESYNC_PORT: '0', VIBESYNC_LOG_LEVEL: 'info' };
    const args = [join(repo, 'dist', 'electron', 'main.cjs'), '--no-sandbox', '--disable-gpu'];
    const app = await electron.launch({ executablePath: binary!, args, env });
    try {
      const win = await app.firstWindow();
      await win.getByTestId('orchestrator-state').filter({ hasText: 'RUNNING' }).waitFor();
      const second = spawn(binary!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      second.stdout.on('data', (d) => {
        output += String(d);
      });
      second.stderr.on('data', (d) => {
        output += String(d);
      });
      const code = await new Promise<number | null>((resolve, reject) => {
        const t = setTimeout(() => {
          second.kill('SIGKILL');
          reject(new Error(`second instance still running after 20 s:\n${output}`));
        }, 20_000);
        second.once('exit', (c) => {
          clearTimeout(t);
          resolve(c);
        });
      });
      expect(code).toBe(0);
      expect(output).not.toMatch(/desktop settings|VibeSync desktop ready|orchestrator/);
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
      await win.getByTestId('orchestrator-state').filter({ hasText: 'RUNNING' }).waitFor();
    } finally {
      await app.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
