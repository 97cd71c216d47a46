// The handshake's checks, in order (docs/protocol.md "Handshake"): one generation said once, a token
// that verifies and may connect a peer, an orchestrator ready to take it, and the brain's admission
// (names, token binding, sessions per token). The first that fails refuses the connection with its
// typed error and close code; nothing about the peer is kept.
import type { TokenRole } from '../../../shared/ipc/index.js';
import type { AdapterMessage } from '../../../shared/protocol/index.js';
import { VibeSyncError } from '../../../shared/protocol/index.js';
import { CLOSE_TOO_LARGE } from './capped-socket.js';
import type { BrainPort, HandshakeInfo } from './types.js';

/** Close codes the adapter endpoint uses (4xxx: application-defined). */
export const CLOSE = {
  protocol: 4400,
  auth: 4401,
  forbidden: 4403,
  handshakeTimeout: 4408,
  refused: 4409,
  /** RFC 6455 "message too big": every TOO_LARGE, with a reason starting "TOO_LARGE" */
  tooLarge: CLOSE_TOO_LARGE,
  /** RFC 6455 "try again later": the orchestrator is not ready (replaying its WAL) */
  tryAgainLater: 1013,
  shutdown: 1001,
} as const;

/** The part of the TokenStore the transport needs. */
export interface TokenVerifier {
  verify(token: string): { id: string; name: string; role: TokenRole } | null;
}

export interface HandshakeDeps {
  tokens: TokenVerifier;
  brain: Pick<BrainPort, 'admit'>;
  /** an error while the orchestrator cannot take peers (replaying its WAL) */
  notReady?: () => VibeSyncError | null;
  /** an unexpected failure of brain.admit, before it becomes INTERNAL */
  onAdmitCrash: (e: unknown) => void;
}

export type HandshakeOutcome =
  | { ok: true; info: HandshakeInfo }
  /** `report`: the refusal is a protocol error the brain records (a bad envelope or token) */
  | { ok: false; error: VibeSyncError; closeCode: number; report: boolean };

const PEER_ROLES: readonly TokenRole[] = ['adapter', 'agent'];

export function admitHandshake(msg: Extract<AdapterMessage, { type: 'handshake' }>, deps: HandshakeDeps): HandshakeOutcome {
  const refused = (error: VibeSyncError, closeCode: number, report = true): HandshakeOutcome => ({ ok: false, error, closeCode, report });
  // One generation, said once: the envelope has no session yet and its gen is the body's generation.
  if (msg.session !== null || msg.gen !== msg.body.generation) {
    return refused(
      new VibeSyncError(
        'SCHEMA_VIOLATION',
        msg.session !== null
          ? `a handshake envelope must carry session null (the session is assigned in welcome), not ${JSON.stringify(msg.session).slice(0, 80)}`
          : `handshake envelope gen ${msg.gen} differs from body.generation ${msg.body.generation}`,
      ),
      CLOSE.protocol,
    );
  }
  const record = deps.tokens.verify(msg.body.token);
  if (!record) return refused(new VibeSyncError('AUTH_FAILED', 'unknown or revoked token'), CLOSE.auth);
  if (!PEER_ROLES.includes(record.role)) {
    return refused(new VibeSyncError('FORBIDDEN_ROLE', `a ${record.role} token cannot connect an engine or agent`), CLOSE.forbidden);
  }
  const notReady = deps.notReady?.();
  if (notReady) return refused(notReady, CLOSE.tryAgainLater, false);
  const info: HandshakeInfo = {
    name: msg.body.name,
    engineKind: msg.body.engine.kind,
    engineVersion: msg.body.engine.version,
    roles: msg.body.roles,
    capabilities: msg.body.capabilities,
    generation: msg.body.generation,
    tokenId: record.id,
    tokenRole: record.role,
    tokenName: record.name,
  };
  try {
    deps.brain.admit(info);
  } catch (e) {
    if (!(e instanceof VibeSyncError)) deps.onAdmitCrash(e);
    return refused(e instanceof VibeSyncError ? e : new VibeSyncError('INTERNAL', 'admission failed'), CLOSE.refused, false);
  }
  return { ok: true, info };
}
