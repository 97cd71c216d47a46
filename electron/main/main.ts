// Electron main process: startup in one place. Each setupX() does one thing and they run in
// order, before the window loads. The orchestrator runs here, in-process (the same one the
// headless CLI runs); the desktop user is the local lead — whoever can run this app on this
// machine already owns the data folder, so no token is asked.
// Bundled by esbuild to dist/electron/main.cjs, so __dirname is dist/electron at run time.
import { app, BrowserWindow, dialog } from 'electron';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import pino, { type Logger } from 'pino';
import type Store from 'electron-store';
import type { Actor } from '../core/control/index.js';
import type { Orchestrator } from '../core/orchestrator.js';
import { startDesktopOrchestrator } from './desktop-orchestrator.js';
import { setupControlIpc, setupUpdatePush } from './ipc.js';
import { appUrlMatcher } from './sender-check.js';
import { openSettings, type DesktopSettings } from './settings.js';
import { createAppWindow, setupSessionSecurity } from './window.js';

const rendererDir = join(__dirname, '..', 'renderer');
const devUrl = process.env.VIBESYNC_DEV_URL; // e.g. a vite dev server on 127.0.0.1
const appPrefix = devUrl ? `${new URL(devUrl).origin}/` : `${pathToFileURL(rendererDir).href}/`;
const isAppUrl = appUrlMatcher(appPrefix);
// For tests and side-by-side installs: a separate profile (settings + data) and a fixed port.
if (process.env.VIBESYNC_USER_DATA) app.setPath('userData', process.env.VIBESYNC_USER_DATA);
// `vibesync start` passes its own flags and VIBESYNC_DATA, so desktop and headless share one data folder.
const cli = parseArgs({
  args: process.argv.slice(2),
  options: { host: { type: 'string' }, port: { type: 'string' }, data: { type: 'string' } },
  strict: false,
}).values;
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const portArg = str(cli.port) ?? process.env.VIBESYNC_PORT;
const portOverride = portArg !== undefined && /^\d+$/.test(portArg) ? Number(portArg) : undefined;
const dataDirOverride = str(cli.data) ?? process.env.VIBESYNC_DATA;

/** False when another instance already runs: it is focused instead, and this one quits. */
function setupAppGuards(logger: Logger): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => {
    const w = BrowserWindow.getAllWindows()[0];
    if (w) {
      if (w.isMinimized()) w.restore();
      w.focus();
    }
  });
  // Defence in depth: whatever creates a webContents, it may not open windows or navigate away.
  app.on('web-contents-created', (_e, wc) => {
    wc.setWindowOpenHandler(() => ({ action: 'deny' }));
    wc.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) {
        logger.warn({ url }, 'navigation blocked');
        event.preventDefault();
      }
    });
  });
  return true;
}

function setupSettings(logger: Logger): Store<DesktopSettings> {
  const settings = openSettings();
  logger.info({ file: settings.path, limits: settings.get('limits') }, 'desktop settings');
  return settings;
}

function setupOrchestrator(settings: Store<DesktopSettings>, logger: Logger): Promise<Orchestrator> {
  return startDesktopOrchestrator({
    dataDir: dataDirOverride ?? join(app.getPath('userData'), 'data'),
    host: str(cli.host) ?? '127.0.0.1',
    port: portOverride,
    settings: { limits: settings.get('limits'), port: settings.get('port') },
    staticDir: rendererDir,
    logger,
  });
}

function setupMainWindow(settings: Store<DesktopSettings>): BrowserWindow {
  const { maximized, ...bounds } = settings.get('window');
  const win = createAppWindow({ preload: join(__dirname, 'preload.cjs'), bounds, isAppUrl });
  if (maximized) win.maximize();
  const save = () => {
    if (!win.isDestroyed()) settings.set('window', { ...win.getNormalBounds(), maximized: win.isMaximized() });
  };
  win.on('resized', save);
  win.on('moved', save);
  win.on('close', save);
  return win;
}

function setupLifecycle(orch: Orchestrator, logger: Logger): void {
  app.on('window-all-closed', () => app.quit());
  let closing = false;
  app.on('before-quit', (event) => {
    if (closing) return;
    closing = true;
    event.preventDefault();
    // Let the WAL flush and peers be told before the process ends.
    orch
      .close()
      .catch((err: unknown) => logger.error({ err }, 'orchestrator close failed'))
      .finally(() => app.exit(0));
  });
}

async function main(): Promise<void> {
  const logger = pino({ name: 'vibesync-desktop', level: process.env.VIBESYNC_LOG_LEVEL ?? 'info' });
  if (!setupAppGuards(logger)) return; // the running instance takes over; start nothing here
  await app.whenReady();
  setupSessionSecurity();
  const settings = setupSettings(logger);
  const orch = await setupOrchestrator(settings, logger);
  const actor: Actor = { name: userInfo().username || 'desktop', role: 'lead' };
  const win = setupMainWindow(settings);
  setupControlIpc({ control: orch.control, actor, window: win, isAppUrl, logger });
  setupUpdatePush(orch.control, win);
  setupLifecycle(orch, logger);
  logger.info({ adapterUrl: orch.url, browserView: `http://127.0.0.1:${orch.port}/` }, 'VibeSync desktop ready');
  await (devUrl ? win.loadURL(devUrl) : win.loadFile(join(rendererDir, 'index.html')));
}

main().catch((err: unknown) => {
  dialog.showErrorBox('VibeSync could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
