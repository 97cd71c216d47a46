// Who may use the control IPC: only our window's main frame, showing our app's own URL (the
// file:// build or the dev server). Structural types, so it is tested under plain Node.
export interface FrameLike {
  readonly url: string;
}
export interface SenderEventLike<W> {
  readonly sender: W & { readonly mainFrame: FrameLike };
  readonly senderFrame: FrameLike | null;
}
export interface WindowLike<W> {
  readonly webContents: W;
  isDestroyed(): boolean;
}

export function isTrustedSender<W>(event: SenderEventLike<W>, win: WindowLike<W>, isAppUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  return (
    !win.isDestroyed() && event.sender === win.webContents && frame !== null && frame === event.sender.mainFrame && isAppUrl(frame.url)
  );
}

/** Matches URLs under `prefix` (which must end with "/"), after normalising: `..` cannot escape it. */
export function appUrlMatcher(prefix: string): (url: string) => boolean {
  const base = new URL(prefix);
  return (url) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    return u.protocol === base.protocol && u.host === base.host && u.pathname.startsWith(base.pathname);
  };
}
