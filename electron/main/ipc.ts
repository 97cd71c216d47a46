// The typed IPC wrapper: the only place raw ipcMain and webContents.send appear. One handler per
// control method; each checks the sender once (our window's main frame, showing our app's URL),
// validates the input with ControlInputs and answers a ControlReply. Updates to a renderer that
// is not ready yet are queued; a destroyed one is never sent to.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import type { Logger } from 'pino';
import {
  CONTROL_METHODS,
  UPDATES_CHANNEL,
  controlChannel,
  type ControlMethod,
  type ControlReply,
  type UpdateBatch,
} from '../../shared/ipc/index.js';
import { answerCall, type Actor, type ControlService } from '../core/control/index.js';
import { isTrustedSender } from './sender-check.js';
import { createUpdateQueue } from './update-queue.js';

export interface ControlIpcOptions {
  control: ControlService;
  /** The desktop user: the local lead (documented in docs/panel.md). */
  actor: Actor;
  window: BrowserWindow;
  isAppUrl(url: string): boolean;
  logger: Logger;
}

/** Registers one handler per control method; returns a function that removes them all. */
export function setupControlIpc(opts: ControlIpcOptions): () => void {
  const log = opts.logger.child({ component: 'ipc' });
  for (const method of CONTROL_METHODS) {
    ipcMain.handle(controlChannel(method), async (event: IpcMainInvokeEvent, input: unknown): Promise<ControlReply<ControlMethod>> => {
      if (!isTrustedSender(event, opts.window, opts.isAppUrl)) {
        log.warn({ method, url: event.senderFrame?.url }, 'IPC from an untrusted sender refused');
        return { ok: false, error: { code: 'FORBIDDEN_ROLE', message: 'this frame may not use the control panel' }, serverNow: Date.now() };
      }
      return answerCall(opts.control, opts.actor, method, input, log);
    });
  }
  return () => {
    for (const method of CONTROL_METHODS) ipcMain.removeHandler(controlChannel(method));
  };
}

/** Pushes PanelUpdate batches to the window, queued until its page has loaded (update-queue.ts). */
export function setupUpdatePush(control: ControlService, win: BrowserWindow): () => void {
  const wc = win.webContents;
  // Stamped when sent (not when queued), for the wire's sake only: the renderer does not sample
  // it, since the in-process orchestrator runs on this machine's clock (offset 0).
  const queue = createUpdateQueue(
    (updates) => wc.send(UPDATES_CHANNEL, { updates, serverNow: Date.now() } satisfies UpdateBatch),
    () => wc.isDestroyed(),
  );
  wc.on('did-finish-load', () => queue.loaded());
  wc.on('did-start-loading', () => queue.loading());
  const unsubscribe = control.subscribe((updates) => queue.push(updates));
  win.once('closed', unsubscribe);
  return unsubscribe;
}
