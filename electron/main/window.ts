// The one window factory. Every window is hardened the same way: isolated, sandboxed renderer
// without Node, no new windows, no navigation away from the app, a CSP, no permissions.
import { BrowserWindow, session, shell, type Rectangle } from 'electron';
import { PANEL_CSP } from '../core/http/static-files.js';

export interface WindowOptions {
  preload: string;
  bounds: Partial<Rectangle> & { width: number; height: number };
  /** Is this URL our own renderer (file:// build, or the dev server)? */
  isAppUrl(url: string): boolean;
}

/** Once per app: CSP on every response and no permission prompts (camera, notifications, …). */
export function setupSessionSecurity(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [PANEL_CSP] } });
  });
}

export function createAppWindow(opts: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    ...opts.bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#0e1116',
    title: 'VibeSync',
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: !process.env.VIBESYNC_NO_DEVTOOLS,
    },
  });
  const wc = win.webContents;
  wc.setWindowOpenHandler(({ url }) => {
    // Links to the documentation open in the system browser, never inside the app.
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  wc.on('will-navigate', (event, url) => { if (!opts.isAppUrl(url)) event.preventDefault(); });
  wc.on('will-redirect', (event, url) => { if (!opts.isAppUrl(url)) event.preventDefault(); });
  wc.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  return win;
}
