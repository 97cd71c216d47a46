// The window hardening, checked under plain Node: this is what keeps a page in the desktop window
// from reaching Node, other windows or other sites, on every machine (the Electron e2e checks the
// live window where the binary exists).
import { describe, expect, it } from 'vitest';
import { windowOpenDecision, windowOptions, withPanelCsp } from './window-policy.js';

describe('window hardening', () => {
  it('gives every window an isolated, sandboxed renderer without Node, webviews or insecure content', () => {
    const o = windowOptions({ preload: '/app/dist/electron/preload.cjs', bounds: { width: 1440, height: 900 }, devTools: false });
    expect(o.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      devTools: false,
    });
    expect(o.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    expect(o).toMatchObject({ width: 1440, height: 900, show: false });
  });

  it('never opens a window; only an https link goes to the system browser', () => {
    expect(windowOpenDecision('https://docs.example.org/vibesync')).toEqual({ action: 'deny', openExternally: true });
    for (const url of ['http://example.org/', 'file:///etc/passwd', 'javascript:alert(1)', 'about:blank', 'not a url']) {
      expect(windowOpenDecision(url), url).toEqual({ action: 'deny', openExternally: false });
    }
  });

  it('puts the panel CSP on every response, replacing a policy the response brought', () => {
    const h = withPanelCsp({ 'content-security-policy': ["default-src *; script-src 'unsafe-inline'"], 'Content-Type': ['text/html'] });
    expect(Object.keys(h).filter((k) => k.toLowerCase() === 'content-security-policy')).toEqual(['Content-Security-Policy']);
    const csp = String(h['Content-Security-Policy']);
    for (const directive of ["default-src 'self'", "script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"])
      expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe-inline');
    expect(h['Content-Type']).toEqual(['text/html']);
    expect(withPanelCsp(undefined)['Content-Security-Policy']).toBeDefined();
  });
});
