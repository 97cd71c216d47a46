// The desktop shell, driven by playwright-core's _electron: the same renderer as the browser view,
// but over the preload bridge, with the desktop user acting as the local lead. Runs only where
// the Electron binary is installed; here it is skipped loudly (the renderer is still covered in
// Chromium by panel.e2e.test.ts).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repo, shoot } from './panel-harness.js';

const electronDir = join(repo, 'node_modules', 'electron');
const binary = (() => {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const bin = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? bin : null;
})();
const hasElectronBinary = binary !== null;

describe('desktop shell (Electron)', () => {
  it.skipIf(!hasElectronBinary)('opens the hardened window as the local lead, with only the typed bridge exposed — SKIPPED: Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD); the same renderer is covered in Chromium by e2e/panel.e2e.test.ts', async () => {
    const profile = mkdtempSync(join(tmpdir(), 'vibesync-electron-'));
    const app = await electron.launch({
      executablePath: binary!,
      args: [join(repo, 'dist', 'electron', 'main.cjs'), '--no-sandbox', '--disable-gpu'],
      env: { ...process.env, VIBESYNC_USER_DATA: profile, VIBESYNC_PORT: '0', VIBESYNC_LOG_LEVEL: 'warn' },
    });
    try {
      const win = await app.firstWindow();
      await win.getByTestId('orchestrator-state').filter({ hasText: 'RUNNING' }).waitFor();
      expect(await win.getByTestId('me').textContent()).toContain('lead');
      const exposed = await win.evaluate(() => {
        const w = globalThis as unknown as { vibesync: Record<string, unknown>; process?: unknown; require?: unknown };
        return { keys: Object.keys(w.vibesync).sort(), node: typeof w.process !== 'undefined' || typeof w.require !== 'undefined' };
      });
      expect(exposed.node).toBe(false);
      expect(exposed.keys).not.toContain('ipcRenderer');
      expect(exposed.keys).not.toContain('invoke');
      expect(exposed.keys).toContain('approve');
      // A page may not open windows or navigate away from the app.
      await win.evaluate(() => { (globalThis as unknown as { open(u: string): unknown }).open('https://example.invalid/'); });
      expect(app.windows()).toHaveLength(1);
      await win.getByRole('button', { name: 'Overrides' }).click();
      await win.getByTestId('screen-overrides').waitFor();
      await shoot(win, '10-desktop-overrides');
    } finally {
      await app.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
