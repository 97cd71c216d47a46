import { describe, expect, it } from 'vitest';
import { appUrlMatcher, isTrustedSender } from './sender-check.js';

const isApp = appUrlMatcher('file:///opt/vibesync/dist/renderer/');

function setup(url = 'file:///opt/vibesync/dist/renderer/index.html') {
  const mainFrame = { url };
  const wc = { mainFrame };
  let destroyed = false;
  const win = { webContents: wc, isDestroyed: () => destroyed };
  return {
    mainFrame,
    wc,
    win,
    destroy: () => {
      destroyed = true;
    },
  };
}

describe('IPC sender check', () => {
  it('trusts only our window’s main frame showing our app', () => {
    const { mainFrame, wc, win } = setup();
    expect(isTrustedSender({ sender: wc, senderFrame: mainFrame }, win, isApp)).toBe(true);
  });

  it('refuses a subframe, another window, a foreign page, a destroyed window, a missing frame', () => {
    const ok = setup();
    expect(isTrustedSender({ sender: ok.wc, senderFrame: { url: ok.mainFrame.url } }, ok.win, isApp)).toBe(false);
    const other = setup();
    expect(isTrustedSender({ sender: other.wc, senderFrame: other.mainFrame }, ok.win, isApp)).toBe(false);
    const foreign = setup('https://evil.example/index.html');
    expect(isTrustedSender({ sender: foreign.wc, senderFrame: foreign.mainFrame }, foreign.win, isApp)).toBe(false);
    expect(isTrustedSender({ sender: ok.wc, senderFrame: null }, ok.win, isApp)).toBe(false);
    ok.destroy();
    expect(isTrustedSender({ sender: ok.wc, senderFrame: ok.mainFrame }, ok.win, isApp)).toBe(false);
  });

  it('matches app URLs after normalisation, so a path cannot climb out of the build', () => {
    expect(isApp('file:///opt/vibesync/dist/renderer/index.html#token=x')).toBe(true);
    expect(isApp('file:///opt/vibesync/dist/renderer/../../secrets.html')).toBe(false);
    expect(isApp('file:///opt/vibesync/dist/renderer-evil/index.html')).toBe(false);
    expect(isApp('not a url')).toBe(false);
    const dev = appUrlMatcher('http://127.0.0.1:5173/');
    expect(dev('http://127.0.0.1:5173/src/main.tsx')).toBe(true);
    expect(dev('http://127.0.0.1:5174/')).toBe(false);
    expect(dev('http://127.0.0.1.evil.example:5173/')).toBe(false);
  });
});
