// Desktop settings under plain Node: electron-store needs only a folder when it runs outside
// Electron. (Outside Electron, `import 'electron'` yields the binary's path; where the binary was
// never downloaded the package throws unless ELECTRON_OVERRIDE_DIST_PATH names one.)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.ELECTRON_OVERRIDE_DIST_PATH ??= '/nonexistent/electron-dist';
});
const { openSettings, SETTINGS_DEFAULTS } = await import('./settings.js');

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vs-settings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));
const file = () => join(dir, 'settings.json');
const onDisk = () => JSON.parse(readFileSync(file(), 'utf8')) as Record<string, unknown>;

describe('desktop settings (settings.json)', () => {
  it('starts from the defaults and keeps the window bounds and port between runs', () => {
    const first = openSettings({ cwd: dir });
    expect(first.path).toBe(file());
    expect(first.store).toEqual(SETTINGS_DEFAULTS);
    first.set('window', { x: 40, y: 30, width: 1280, height: 800, maximized: true });
    first.set('port', 7500);
    const again = openSettings({ cwd: dir });
    expect(again.get('window')).toEqual({ x: 40, y: 30, width: 1280, height: 800, maximized: true });
    expect(again.get('port')).toBe(7500);
  });

  it('reads resource limits a person wrote into the file', () => {
    writeFileSync(file(), JSON.stringify({ limits: { maxVertices: 500_000, maxTextureSize: 4096, maxObjects: 50_000 } }));
    expect(openSettings({ cwd: dir }).get('limits')).toEqual({ maxVertices: 500_000, maxTextureSize: 4096, maxObjects: 50_000 });
  });

  it('falls back to the defaults when the file was hand-edited into nonsense', () => {
    writeFileSync(file(), JSON.stringify({ port: 'seven', limits: { maxVertices: -1, maxTextureSize: 1, maxObjects: 1 } }));
    expect(openSettings({ cwd: dir }).store).toEqual(SETTINGS_DEFAULTS);
    writeFileSync(file(), '{ not json');
    expect(openSettings({ cwd: dir }).store).toEqual(SETTINGS_DEFAULTS);
  });

  it('drops a trust threshold an older version stored, so it can never override the WAL', () => {
    writeFileSync(file(), JSON.stringify({ trustThreshold: 100, port: 7421 }));
    const s = openSettings({ cwd: dir });
    expect(s.get('port')).toBe(7421);
    expect(onDisk()).not.toHaveProperty('trustThreshold');
  });
});
