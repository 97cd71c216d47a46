// The seam between the transport (sockets, tokens, framing) and the brain (every decision).
// The transport parses and validates; the brain decides what follows from the failure table.
import type {
  AdapterMessage,
  BodyOf,
  OrchestratorMessage,
  OrchestratorMessageType,
  Role,
  VibeSyncError,
} from '../../../shared/protocol/index.js';
import type { TokenRole } from '../../../shared/ipc/index.js';

/** One handshaken adapter / agent connection, as the brain sees it. */
export interface PeerSession {
  readonly id: string; // session id, sent in every envelope
  readonly name: string; // routing name (EngineName), unique among live sessions
  readonly engineKind: string;
  readonly engineVersion: string;
  readonly roles: readonly Role[];
  readonly capabilities: readonly string[];
  readonly generation: number;
  readonly tokenId: string;
  readonly tokenRole: TokenRole;
  /** Fills the envelope (v, id, session, gen, ts) and sends. No-op once closed. */
  send<T extends OrchestratorMessageType>(type: T, body: BodyOf<OrchestratorMessage, T>): void;
  /** Sends one binary frame (a blob chunk, docs/protocol.md "Blobs"). No-op once closed. */
  sendBinary?(frame: Uint8Array): void;
  /** bytes sent but not yet written to the socket (the live lane sends nothing more past its bound) */
  readonly bufferedAmount?: number;
  close(code: number, reason: string): void;
  readonly closed: boolean;
}

export interface HandshakeInfo {
  name: string;
  engineKind: string;
  engineVersion: string;
  roles: Role[];
  capabilities: string[];
  generation: number;
  tokenId: string;
  tokenRole: TokenRole;
  tokenName: string;
}

/** Implemented by the brain; called by the transport. */
export interface BrainPort {
  /** Throws VibeSyncError (e.g. NAME_IN_USE, QUARANTINED, PANIC, FORBIDDEN_ROLE) to refuse. */
  admit(info: HandshakeInfo): void;
  /** The capabilities `welcome` grants out of those the handshake asked for (none when absent). */
  grants?(info: HandshakeInfo): string[];
  connected(peer: PeerSession): void;
  /** A frame arrived from `peer` (before it is decoded or queued): it is alive. */
  heard?(peer: PeerSession): void;
  message(peer: PeerSession, msg: AdapterMessage): void | Promise<void>;
  /** A frame that failed strict parsing or the schema, or broke the envelope rules. */
  /** `raw.type` is the refused frame's `type` when it could be read */
  protocolError(peer: PeerSession | null, error: VibeSyncError, raw: { bytes: number; type?: string | null }): void;
  /** A frame refused by the per-connection rate limit. */
  /** `rate`: frames dropped by the per-connection rate limit; `flood`: its queue of valid frames filled and its socket was paused */
  rateLimited(peer: PeerSession, why?: 'rate' | 'flood'): void;
  disconnected(peer: PeerSession, code: number, reason: string): void;
  /** A binary frame from a handshaken peer; throws a VibeSyncError for a frame that breaks the contract. */
  binary?(peer: PeerSession, frame: Uint8Array): void;
}
