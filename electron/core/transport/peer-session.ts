// A handshaken connection as the brain sees it: fills the envelope on every outgoing message.
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { TokenRole } from '../../../shared/ipc/index.js';
import type { BodyOf, OrchestratorMessage, OrchestratorMessageType, Role } from '../../../shared/protocol/index.js';
import { PROTOCOL_VERSION } from '../../../shared/protocol/index.js';
import type { Clock } from '../../../shared/clock.js';
import type { HandshakeInfo, PeerSession } from './types.js';

/**
 * Message ids must be unique, not secret: a random per-process prefix and a counter. (Nine random
 * bytes per message cost a CSPRNG call each, which showed in the unbatched pipeline's profile.)
 */
const ID_PREFIX = randomBytes(6).toString('base64url');
let idCounter = 0;
export const messageId = () => `${ID_PREFIX}${(idCounter++).toString(36)}`;

/** How long a peer has to complete a closing handshake the orchestrator started. */
export const CLOSE_GRACE_MS = 1_000;

/** Serialises an orchestrator message with a full envelope. */
export function envelope(type: OrchestratorMessageType, body: unknown, session: string | null, gen: number, clock: Clock): string {
  return JSON.stringify({ v: PROTOCOL_VERSION, id: messageId(), session, gen, ts: Math.floor(clock.now()), type, body });
}

export class WsPeerSession implements PeerSession {
  readonly id = `s_${randomBytes(9).toString('base64url')}`;
  readonly name: string;
  readonly engineKind: string;
  readonly engineVersion: string;
  readonly roles: readonly Role[];
  readonly capabilities: readonly string[];
  readonly generation: number;
  readonly tokenId: string;
  readonly tokenRole: TokenRole;

  /**
   * @param maxBufferedBytes a peer that stops reading cannot make the orchestrator buffer without
   *   bound: past this many unsent bytes the connection is cut (the brain sees a disconnect).
   */
  constructor(
    info: HandshakeInfo,
    private readonly ws: WebSocket,
    private readonly clock: Clock,
    private readonly maxBufferedBytes = Number.POSITIVE_INFINITY,
    private readonly onOverflow: (buffered: number) => void = () => {},
  ) {
    this.name = info.name;
    this.engineKind = info.engineKind;
    this.engineVersion = info.engineVersion;
    this.roles = [...info.roles];
    this.capabilities = [...info.capabilities];
    this.generation = info.generation;
    this.tokenId = info.tokenId;
    this.tokenRole = info.tokenRole;
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  get closed(): boolean {
    return this.ws.readyState !== this.ws.OPEN;
  }

  send<T extends OrchestratorMessageType>(type: T, body: BodyOf<OrchestratorMessage, T>): void {
    if (this.closed) return;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.onOverflow(this.ws.bufferedAmount);
      this.ws.terminate();
      return;
    }
    this.ws.send(envelope(type, body, this.id, this.generation, this.clock));
  }

  sendBinary(frame: Uint8Array): void {
    if (this.closed) return;
    if (this.ws.bufferedAmount > this.maxBufferedBytes) {
      this.onOverflow(this.ws.bufferedAmount);
      this.ws.terminate();
      return;
    }
    this.ws.send(frame, { binary: true });
  }

  /**
   * Starts the closing handshake. A peer that does not complete it (it echoes the close frame but
   * keeps its TCP connection, or never answers) would hold its name and leave what follows its close
   * (the brain's `disconnected`: rollbacks, the source told, the name free again) waiting for ws's
   * 30 s timeout: past CLOSE_GRACE_MS the socket is ended.
   */
  close(code: number, reason: string): void {
    if (this.closed) return;
    this.ws.close(code, closeReason(reason));
    const ws = this.ws;
    const timer = setTimeout(() => ws.readyState !== ws.CLOSED && ws.terminate(), CLOSE_GRACE_MS);
    timer.unref();
    ws.once('close', () => clearTimeout(timer));
  }
}

/** Close reasons are capped at 123 bytes by the WebSocket protocol; cut on a character boundary. */
export function closeReason(reason: string): string {
  let r = reason;
  while (Buffer.byteLength(r) > 123) r = r.slice(0, -1);
  return r;
}
