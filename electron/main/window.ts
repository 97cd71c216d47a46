// The one window factory. Every window is hardened the same way (window-policy.ts): isolated,
// sandboxed renderer without Node, no new windows, no navigation away from the app, a CSP, no
// permissions.
import { BrowserWindow, session, shell } from 'electron';
import { windowOpenDecision, windowOptions, withPanelCsp, type WindowBounds } from './window-policy.js';

export interface WindowOptions {
  preload: string;
  bounds: WindowBounds;
  /** Is this URL our own renderer (file:// build, or the dev server)? */
  isAppUrl(url: string): boolean;
}

/** Once per app: CSP on every response and no permission prompts (camera, notifications, …). */
export function setupSessionSecurity(): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withPanelCsp(details.responseHeaders) }));
}

export function createAppWindow(opts: WindowOptions): BrowserWindow {
  const win = new BrowserWindow(windowOptions({ preload: opts.preload, bounds: opts.bounds, devTools: !process.env.VIBESYNC_NO_DEVTOOLS }));
  const wc = win.webContents;
  wc.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) void shell.openExternal(url);
    return { action: decision.action };
  });
  wc.on('will-navigate', (event, url) => {
    if (!opts.isAppUrl(url)) event.preventDefault();
  });
  wc.on('will-redirect', (event, url) => {
    if (!opts.isAppUrl(url)) event.preventDefault();
  });
  wc.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  return win;
}
