// The typed IPC wrapper: the only place raw ipcMain and webContents.send appear. One handler per
// control method; each checks the sender once (our window's main frame, showing our app's URL),
// validates the input with ControlInputs and answers a ControlReply. Updates to a renderer that
// is not ready yet are queued; a destroyed one is never sent to.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Logger } from 'pino';
import {
  CONTROL_METHODS, ControlInputs, UPDATES_CHANNEL, controlChannel,
  type ControlMethod, type ControlReply, type PanelUpdate,
} from '../../shared/ipc/index.js';
import { VibeSyncError } from '../../shared/protocol/index.js';
import type { Actor, ControlService } from '../core/control.js';

export interface ControlIpcOptions {
  control: ControlService;
  /** The desktop user: the local lead (documented in docs/panel.md). */
  actor: Actor;
  window: BrowserWindow;
  isAppUrl(url: string): boolean;
  logger: Logger;
}

const refused = (code: string, message: string): ControlReply<ControlMethod> => ({ ok: false, error: { code, message } });

export function isTrustedSender(event: IpcMainInvokeEvent, win: BrowserWindow, isAppUrl: (url: string) => boolean): boolean {
  const frame = event.senderFrame;
  return !win.isDestroyed() && event.sender === win.webContents && frame !== null && frame === event.sender.mainFrame && isAppUrl(frame.url);
}

/** Registers one handler per control method; returns a function that removes them all. */
export function setupControlIpc(opts: ControlIpcOptions): () => void {
  const log = opts.logger.child({ component: 'ipc' });
  for (const method of CONTROL_METHODS) {
    ipcMain.handle(controlChannel(method), async (event, input: unknown): Promise<ControlReply<ControlMethod>> => {
      if (!isTrustedSender(event, opts.window, opts.isAppUrl)) {
        log.warn({ method, url: event.senderFrame?.url }, 'IPC from an untrusted sender refused');
        return refused('FORBIDDEN_ROLE', 'this frame may not use the control panel');
      }
      const parsed = ControlInputs[method].safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return refused('SCHEMA_VIOLATION', `${method}: ${issue ? `${issue.path.join('.') || 'input'}: ${issue.message}` : 'invalid input'}`);
      }
      try {
        return { ok: true, value: await opts.control.call(opts.actor, method, parsed.data) };
      } catch (err) {
        if (err instanceof VibeSyncError) return refused(err.code, err.message.replace(/^[A-Z_]+: /, ''));
        log.error({ err, method }, 'control call failed');
        return refused('INTERNAL', 'internal error (see the orchestrator log)');
      }
    });
  }
  return () => { for (const method of CONTROL_METHODS) ipcMain.removeHandler(controlChannel(method)); };
}

/**
 * Pushes PanelUpdate batches to the window. Until the page has loaded they are queued (capped:
 * past the cap the renderer's own snapshot on load makes them redundant, so they are dropped).
 */
export function setupUpdatePush(control: ControlService, win: BrowserWindow, maxQueued = 500): () => void {
  const wc = win.webContents;
  let ready = false;
  let queue: PanelUpdate[][] = [];
  const deliver = (updates: PanelUpdate[]) => { if (!wc.isDestroyed()) wc.send(UPDATES_CHANNEL, updates); };
  const onLoaded = () => { ready = true; const q = queue; queue = []; for (const u of q) deliver(u); };
  const onLoading = () => { ready = false; };
  wc.on('did-finish-load', onLoaded);
  wc.on('did-start-loading', onLoading);
  const unsubscribe = control.subscribe((updates) => {
    if (wc.isDestroyed()) return;
    if (ready) deliver(updates);
    else if (queue.length < maxQueued) queue.push(updates);
    else queue = [];
  });
  const stop = () => { unsubscribe(); queue = []; };
  win.once('closed', stop);
  return stop;
}
