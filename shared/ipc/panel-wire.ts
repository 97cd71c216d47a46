// The browser view's WebSocket protocol on /panel: the same control contract as Electron IPC,
// framed as JSON. The client authenticates first (or via Sec-WebSocket-Protocol), then sends
// calls; the server answers each with a ControlReply and pushes PanelUpdate batches.
import { z } from 'zod';
import type { ControlMethod, ControlReply } from './contract.js';
import type { PanelUpdate, PersonRole } from './view.js';

export const PANEL_WS_PATH = '/panel';
/** Subprotocol carrying a token: `vibesync.token.<token>` (token must be an HTTP token: base64url is). */
export const TOKEN_SUBPROTOCOL_PREFIX = 'vibesync.token.';
export const PANEL_MAX_PAYLOAD = 1024 * 1024;

export const PanelClientMessage = z.discriminatedUnion('t', [
  z.strictObject({ t: z.literal('auth'), token: z.string().min(1).max(512) }),
  z.strictObject({ t: z.literal('call'), id: z.number().int().nonnegative(), method: z.string().max(64), input: z.unknown() }),
]);
export type PanelClientMessage = z.infer<typeof PanelClientMessage>;

export type PanelServerMessage =
  | { t: 'welcome'; me: { name: string; role: PersonRole } }
  | { t: 'reply'; id: number; reply: ControlReply<ControlMethod> }
  | { t: 'updates'; updates: PanelUpdate[]; serverNow: number }
  | { t: 'refused'; error: { code: string; message: string } };

/** WebSocket close codes the client acts on (4000–4999 are application-defined). */
export const PANEL_CLOSE = { authFailed: 4401, forbiddenOrigin: 4403, badMessage: 4400 } as const;
