// The hardening every VibeSync window gets, as plain data and pure decisions: window.ts applies
// them, and a plain-Node test checks them on machines where the Electron binary is absent.
import type { BrowserWindowConstructorOptions } from 'electron';
import { PANEL_CSP } from '../core/http/static-files.js';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export function windowOptions(opts: { preload: string; bounds: WindowBounds; devTools: boolean }): BrowserWindowConstructorOptions {
  return {
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
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      devTools: opts.devTools,
    },
  };
}

/** window.open never creates a window; an https link (documentation) opens in the system browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  let external = false;
  try {
    external = new URL(url).protocol === 'https:';
  } catch {
    /* not a URL: just deny */
  }
  return { action: 'deny', openExternally: external };
}

/** Response headers carrying our CSP, replacing any policy the response brought (in any letter case). */
export function withPanelCsp(headers: Record<string, string | string[]> | undefined): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, v] of Object.entries(headers ?? {})) if (name.toLowerCase() !== 'content-security-policy') out[name] = v;
  out['Content-Security-Policy'] = [PANEL_CSP];
  return out;
}
