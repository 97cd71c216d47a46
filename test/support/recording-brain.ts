// Test and bench support: a BrainPort double that records what the transport classified and
// decides nothing, so the transport is tested without the brain.
import type { AdapterMessage, VibeSyncError } from '../../shared/protocol/index.js';
import type { BrainPort, HandshakeInfo, PeerSession } from '../../electron/core/transport/types.js';

export type BrainCall =
  | { kind: 'admit'; info: HandshakeInfo }
  | { kind: 'connected'; peer: PeerSession }
  | { kind: 'message'; peer: PeerSession; msg: AdapterMessage }
  | { kind: 'protocolError'; peer: PeerSession | null; code: string; message: string; bytes: number }
  | { kind: 'rateLimited'; peer: PeerSession }
  | { kind: 'disconnected'; peer: PeerSession; code: number };

/** Records every call; `admitError` makes admission fail. Decides nothing. */
export class RecordingBrain implements BrainPort {
  readonly calls: BrainCall[] = [];
  admitError: VibeSyncError | null = null;
  onMessage: ((peer: PeerSession, msg: AdapterMessage) => void) | null = null;

  admit(info: HandshakeInfo) {
    this.calls.push({ kind: 'admit', info });
    if (this.admitError) throw this.admitError;
  }
  connected(peer: PeerSession) {
    this.calls.push({ kind: 'connected', peer });
  }
  message(peer: PeerSession, msg: AdapterMessage) {
    this.calls.push({ kind: 'message', peer, msg });
    this.onMessage?.(peer, msg);
  }
  protocolError(peer: PeerSession | null, error: VibeSyncError, raw: { bytes: number }) {
    this.calls.push({ kind: 'protocolError', peer, code: error.code, message: error.message, bytes: raw.bytes });
  }
  rateLimited(peer: PeerSession) {
    this.calls.push({ kind: 'rateLimited', peer });
  }
  disconnected(peer: PeerSession, code: number) {
    this.calls.push({ kind: 'disconnected', peer, code });
  }

  of<K extends BrainCall['kind']>(kind: K): Extract<BrainCall, { kind: K }>[] {
    return this.calls.filter((c) => c.kind === kind) as Extract<BrainCall, { kind: K }>[];
  }
}
