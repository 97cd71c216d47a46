// The adapter WebSocket endpoint (/adapter): origin check, handshake and token check (handshake.ts),
// strict framing with per-phase size caps, per-connection rate limit. It classifies every bad frame
// precisely and hands it to the brain; what follows from the failure table (PANIC, revoke,
// quarantine) is the brain's call.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData } from 'ws';
import type { AdapterMessage, ErrorCode } from '../../../shared/protocol/index.js';
import { FRAME_LIMITS, VibeSyncError } from '../../../shared/protocol/index.js';
import type { Clock } from '../../../shared/clock.js';
import { CappedWebSocket } from './capped-socket.js';
import { DEFAULT_OFFLOAD_BYTES, FrameDecoder } from '../offload/frame-decoder.js';
import { offloadedScene } from '../offload/offloaded-scene.js';
import { decodeFrame, type FrameResult } from './frame.js';
import { admitHandshake, CLOSE, type TokenVerifier } from './handshake.js';
import { InboundScheduler, type Lane, type SchedulerLimits } from './inbound-scheduler.js';
import { WsPeerSession, closeReason, envelope } from './peer-session.js';
import { TokenBucket, type RateLimit } from './token-bucket.js';
import type { BrainPort } from './types.js';

export const ADAPTER_PATH = '/adapter';
export { CLOSE, type TokenVerifier } from './handshake.js';

export interface AdapterServerOptions {
  brain: BrainPort;
  tokens: TokenVerifier;
  clock: Clock;
  logger: Logger;
  /** largest frame before the handshake is accepted (default FRAME_LIMITS.handshakeBytes) */
  maxHandshakeBytes?: number;
  /** largest frame after the handshake, except a snapshot (default FRAME_LIMITS.frameBytes) */
  maxFrameBytes?: number;
  /** largest `snapshot` frame (default FRAME_LIMITS.snapshotBytes) */
  maxSnapshotBytes?: number;
  /**
   * Asked at every handshake once the token checks out: an error refuses the connection with it
   * and close 1013 (try again later). The orchestrator refuses this way while it replays its WAL.
   */
  notReady?: () => VibeSyncError | null;
  /** Browser origins allowed to connect; requests without an Origin header (engines, CLI) are always allowed. */
  allowedOrigins?: string[];
  rateLimit?: RateLimit;
  handshakeTimeoutMs?: number;
  heartbeatMs?: number;
  heartbeatTimeoutMs?: number;
  /** unsent bytes queued for one peer before it is cut off as stalled (default 64 MiB) */
  maxBufferedBytes?: number;
  /** fair sharing and backpressure bounds (inbound-scheduler.ts; defaults DEFAULT_SCHEDULER_LIMITS) */
  scheduler?: Partial<SchedulerLimits>;
  /** frames at least this big (after the handshake) are decoded in a worker thread (default 1 MiB) */
  offloadBytes?: number;
}

export interface AdapterServer {
  /** Takes over an HTTP upgrade for /adapter (answers 403/404 itself when it refuses). */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Live connections (handshaken or not). */
  readonly connections: number;
  /** frames read and waiting for the brain (bytes), and frames the brain is working on */
  inbound(): { queuedBytes: number; inFlight: number };
  /** Closes, at once, every handshaken connection whose token no longer verifies; returns how many. */
  closeRevoked(): number;
  close(): Promise<void>;
}

/** A connection whose queue keeps filling costs trust at most this often. */
const FLOOD_PENALTY_EVERY_MS = 1000;

/** A rate-limit episode ends once a connection has gone this long without a dropped frame. */
const RATE_EPISODE_GAP_MS = 1000;

/** A snapshot frame carries this JSON string (its `type`); a frame without it cannot be one. */
const SNAPSHOT_TYPE = Buffer.from('"snapshot"');

function refuseUpgrade(socket: Duplex, status: 403 | 404, code: ErrorCode, message: string): void {
  const body = JSON.stringify({ code, message });
  socket.end(
    `HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : 'Not Found'}\r\n` +
      'Content-Type: application/json\r\nConnection: close\r\n' +
      `X-VibeSync-Error: ${code}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export function createAdapterServer(opts: AdapterServerOptions): AdapterServer {
  const { brain, tokens, clock } = opts;
  const log = opts.logger.child({ component: 'adapter-server' });
  const maxHandshakeBytes = opts.maxHandshakeBytes ?? FRAME_LIMITS.handshakeBytes;
  const maxFrameBytes = opts.maxFrameBytes ?? FRAME_LIMITS.frameBytes;
  const maxSnapshotBytes = Math.max(maxFrameBytes, opts.maxSnapshotBytes ?? FRAME_LIMITS.snapshotBytes);
  const allowedOrigins = new Set(opts.allowedOrigins ?? []);
  const rateLimit = opts.rateLimit ?? { perSecond: 2000, burst: 4000 };
  const handshakeTimeoutMs = opts.handshakeTimeoutMs ?? 5000;
  const heartbeatMs = opts.heartbeatMs ?? 1000;
  const heartbeatTimeoutMs = opts.heartbeatTimeoutMs ?? 10_000;
  const maxBufferedBytes = opts.maxBufferedBytes ?? 64 * 1024 * 1024;
  // ws reads at most maxSnapshotBytes; each connection lowers its own cap until it is handshaken.
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: maxSnapshotBytes,
    WebSocket: CappedWebSocket,
    // one message per connection per event-loop turn: a connection sending large frames back to back
    // (1 MiB blob chunks) is paced by the loop, with TCP backpressure, instead of filling one turn
    allowSynchronousEvents: false,
  });
  const sockets = new Set<CappedWebSocket>();
  const scheduler = new InboundScheduler(opts.scheduler);
  const offloadBytes = opts.offloadBytes ?? DEFAULT_OFFLOAD_BYTES;
  const decoder = new FrameDecoder();
  /** each handshaken connection's token, so a revocation can close it at once */
  const revocable = new Map<CappedWebSocket, { token: string; close: () => void }>();

  function onConnection(ws: CappedWebSocket, remote: string): void {
    sockets.add(ws);
    ws.setMaxPayload(maxHandshakeBytes);
    let peer: WsPeerSession | null = null;
    let lane: Lane | null = null;
    /** when this connection last had a frame dropped; an episode ends after a second with no drop */
    let lastDropAt = -Infinity;
    const bucket = new TokenBucket(rateLimit, clock);
    /** Reasons the socket is not being read (the lane is full, a large frame is being decoded). */
    const pausedFor = new Set<'lane' | 'decode'>();
    const pause = (why: 'lane' | 'decode') => {
      if (pausedFor.size === 0) ws.pause();
      pausedFor.add(why);
    };
    const resume = (why: 'lane' | 'decode') => {
      if (!pausedFor.delete(why) || pausedFor.size > 0) return;
      if (ws.readyState === ws.OPEN) ws.resume();
    };
    /**
     * Frames decoded off the event loop finish later than the frames behind them; those wait here,
     * so the brain still sees one connection's frames in the order they were sent.
     */
    let decoding: Promise<void> | null = null;
    let decodingFrames = 0;
    let decodingBytes = 0;

    /** Sends a typed `error`; before the handshake the envelope has no session. */
    const replyError = (error: VibeSyncError, ref: string | null, txId: string | null = null) => {
      const body = { code: error.code, message: error.reason.slice(0, 2000), ref, txId };
      if (peer) peer.send('error', body);
      else if (ws.readyState === ws.OPEN) ws.send(envelope('error', body, null, 0, clock));
    };
    /** Before the handshake nobody is accountable, so a bad frame ends the connection. */
    const refuse = (error: VibeSyncError, ref: string | null, bytes: number, closeCode: number, reportToBrain = true) => {
      log.warn({ remote, code: error.code, err: error.message }, 'connection refused before handshake');
      replyError(error, ref);
      if (reportToBrain) brain.protocolError(null, error, { bytes });
      ws.close(closeCode, closeReason(error.message));
    };
    /**
     * Every oversize frame ends the same way: a typed TOO_LARGE `error`, then close 1009 with a
     * reason starting "TOO_LARGE". A handshaken peer has broken the contract (the brain PANICs it).
     */
    const tooLarge = (cap: number, bytes: number | null): string => {
      const error = new VibeSyncError(
        'TOO_LARGE',
        `${bytes === null ? 'frame' : `${bytes}-byte frame`} over the ${cap}-byte cap${peer ? '' : ' before the handshake'}`,
      );
      log.warn({ peer: peer?.name ?? null, remote, code: error.code, bytes, cap }, 'oversize frame');
      replyError(error, null);
      queueMicrotask(() => brain.protocolError(peer, error, { bytes: bytes ?? cap + 1 }));
      return closeReason(error.message);
    };
    // ws refuses a frame over the connection's cap from its header, then closes 1009 through this.
    ws.onOversize = () => tooLarge(peer ? maxSnapshotBytes : maxHandshakeBytes, null);
    const reportPeerError = (error: VibeSyncError, ref: string | null, bytes: number, type: string | null = null) => {
      log.warn({ peer: peer!.name, code: error.code, err: error.message, ref }, 'protocol error');
      replyError(error, ref);
      brain.protocolError(peer, error, { bytes, type });
    };

    const handshakeTimer = clock.setTimeout(() => {
      if (peer || ws.readyState !== ws.OPEN) return;
      refuse(new VibeSyncError('NOT_HANDSHAKEN', `no handshake within ${handshakeTimeoutMs} ms`), null, 0, CLOSE.handshakeTimeout, false);
    }, handshakeTimeoutMs);

    function handshake(msg: Extract<AdapterMessage, { type: 'handshake' }>, bytes: number): void {
      const outcome = admitHandshake(msg, {
        tokens,
        brain,
        notReady: opts.notReady,
        onAdmitCrash: (err) => log.error({ err }, 'brain.admit threw'),
      });
      if (!outcome.ok) return refuse(outcome.error, msg.id, bytes, outcome.closeCode, outcome.report);
      const info = outcome.info;
      clock.clearTimeout(handshakeTimer);
      peer = new WsPeerSession(info, ws, clock, maxBufferedBytes, (buffered) => {
        log.warn({ peer: info.name, buffered }, 'peer stopped reading: send buffer over the limit, connection cut');
      });
      ws.setMaxPayload(maxSnapshotBytes);
      const named = peer;
      let lastFloodPenalty = -Infinity;
      lane = scheduler.lane({
        pause: () => pause('lane'),
        resume: () => resume('lane'),
        flooded: () => {
          const now = clock.now();
          if (now - lastFloodPenalty < FLOOD_PENALTY_EVERY_MS) return;
          lastFloodPenalty = now;
          log.warn({ peer: named.name }, 'flood: queue of valid frames full, socket paused');
          brain.rateLimited(named, 'flood');
        },
      });
      log.info({ peer: peer.name, session: peer.id, roles: info.roles, generation: info.generation }, 'handshaken');
      const admitted = peer;
      revocable.set(ws, {
        token: msg.body.token,
        close: () => {
          log.info({ peer: admitted.name }, 'token revoked: connection closed');
          admitted.send('error', { code: 'AUTH_FAILED', message: 'token revoked: this connection was closed', ref: null, txId: null });
          ws.close(CLOSE.auth, closeReason('AUTH_FAILED: token revoked'));
        },
      });
      const granted = brain.grants?.(info) ?? [];
      peer.send('welcome', { name: peer.name, heartbeatMs, heartbeatTimeoutMs, ...(granted.length > 0 && { capabilities: granted }) });
      brain.connected(peer);
    }

    function deliver(p: WsPeerSession, msg: AdapterMessage): void | Promise<void> {
      let result: void | Promise<void>;
      try {
        result = brain.message(p, msg);
      } catch (e) {
        return failed(e);
      }
      if (result) return result.catch(failed);
      function failed(e: unknown) {
        if (e instanceof VibeSyncError) return replyError(e, msg.id, 'txId' in msg.body ? (msg.body.txId as string) : null);
        log.error({ err: e, peer: p.name, type: msg.type }, 'brain failed on a message');
        replyError(new VibeSyncError('INTERNAL', 'the orchestrator failed to handle this message'), msg.id);
      }
    }

    /**
     * A blob chunk (docs/protocol.md "Blobs") or a live frame ("Live lane", kind 2): handled in order as it
     * arrives, the brain telling them apart by kind; a malformed one is a Contract Violation.
     */
    const binaryFrame = (p: WsPeerSession, buf: Buffer) => {
      if (buf.length > maxFrameBytes) return ws.close(CLOSE.tooLarge, tooLarge(maxFrameBytes, buf.length));
      try {
        brain.binary!(p, buf);
      } catch (e) {
        const error = e instanceof VibeSyncError ? e : new VibeSyncError('INTERNAL', 'the orchestrator failed to handle a binary frame');
        if (error.code !== 'INTERNAL') return reportPeerError(error, null, buf.length);
        log.error({ err: e, peer: p.name }, 'binary frame failed');
        replyError(error, null);
      }
    };

    ws.on('message', (data: RawData, isBinary: boolean) => {
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      const bytes = buf.length;
      if (!bucket.take()) {
        if (!peer) return;
        const now = clock.now();
        // RATE_LIMITED once per episode: the first drop after a full second without one.
        if (now - lastDropAt > RATE_EPISODE_GAP_MS)
          replyError(new VibeSyncError('RATE_LIMITED', `more than ${rateLimit.perSecond} frames/s; frames are being dropped`), null);
        lastDropAt = now;
        return brain.rateLimited(peer);
      }

      // Liveness is what the socket reads, even while the frame waits for its turn or its decode.
      if (peer) brain.heard?.(peer);
      if (isBinary) {
        if (peer && brain.binary) return binaryFrame(peer, buf);
        const error = new VibeSyncError(
          'SCHEMA_VIOLATION',
          peer
            ? 'this orchestrator takes no binary frames'
            : 'a binary frame before the handshake: the first frame must be the JSON text handshake (binary frames come only after welcome)',
        );
        return peer ? reportPeerError(error, null, bytes) : refuse(error, null, bytes, CLOSE.protocol);
      }
      // Only a valid snapshot may use the snapshot cap (ws enforced that one while reading); anything
      // else has the frame cap. A frame over it that does not even contain the string "snapshot" is
      // refused before it is parsed, so no peer can make the parser chew through 256 MiB for nothing.
      if (peer && bytes > maxFrameBytes && buf.indexOf(SNAPSHOT_TYPE) < 0) {
        return ws.close(CLOSE.tooLarge, tooLarge(maxFrameBytes, bytes));
      }
      if (peer && (bytes >= offloadBytes || decodingFrames > 0)) return decodeInOrder(buf, bytes);
      if (peer && lane) {
        // Parsed and validated in the connection's own turn, not as the socket is read: a flood's
        // decoding waits for the bulk budget like the rest of its work (inbound-scheduler.ts).
        return scheduler.push(lane, bytes, () => handleFrame(decodeFrame(buf.toString('utf8')), bytes, true));
      }
      handleFrame(decodeFrame(buf.toString('utf8')), bytes);
    });

    /** A large frame goes to the frame worker; while any is out, this connection's frames queue behind it. */
    function decodeInOrder(buf: Buffer, bytes: number): void {
      const decoded: Promise<FrameResult> =
        bytes >= offloadBytes ? decoder.decode(buf) : Promise.resolve(decodeFrame(buf.toString('utf8')));
      decoded.catch(() => undefined); // answered in order below; never an unhandled rejection meanwhile
      decodingFrames++;
      decodingBytes += bytes;
      // The socket keeps being read (heartbeats prove the peer alive) until what waits behind the
      // decode reaches the lane's own bounds; then TCP pushes back as it does for a full lane.
      const limits = scheduler.limits;
      if (decodingFrames >= limits.maxQueuedFrames || (decodingFrames > 1 && decodingBytes >= limits.maxQueuedBytes)) pause('decode');
      const previous = decoding ?? Promise.resolve();
      const done = previous
        .then(() => decoded)
        .then(
          (frame) => {
            if (ws.readyState === ws.OPEN) handleFrame(frame, bytes);
            else if (frame.ok && frame.msg.type === 'snapshot') offloadedScene(frame.msg.body)?.release();
          },
          (e: unknown) => {
            const error = e instanceof VibeSyncError ? e : new VibeSyncError('INTERNAL', 'the frame decoder failed');
            log.error({ err: e, peer: peer?.name ?? null }, 'frame decoder failed');
            if (ws.readyState === ws.OPEN) replyError(error, null);
          },
        )
        .finally(() => {
          decodingBytes -= bytes;
          if (--decodingFrames === 0) {
            decoding = null;
            resume('decode');
          }
        });
      decoding = done;
    }

    /** `inTurn`: the frame was decoded in its lane's turn, so it is delivered now rather than queued. */
    function handleFrame(frame: FrameResult, bytes: number, inTurn = false): void | Promise<void> {
      // A frame that says it is a snapshot but is not a valid one gets its decoding error, not TOO_LARGE.
      const snapshotLike = frame.ok ? frame.msg.type === 'snapshot' : frame.type === 'snapshot';
      if (peer && bytes > maxFrameBytes && !snapshotLike) {
        return ws.close(CLOSE.tooLarge, tooLarge(maxFrameBytes, bytes));
      }
      if (!frame.ok)
        return peer ? reportPeerError(frame.error, frame.ref, bytes, frame.type) : refuse(frame.error, frame.ref, bytes, CLOSE.protocol);
      const msg = frame.msg;

      if (!peer) {
        if (msg.type !== 'handshake') {
          return refuse(
            new VibeSyncError('NOT_HANDSHAKEN', `"${msg.type}" before handshake; the first message must be a handshake`),
            msg.id,
            bytes,
            CLOSE.protocol,
          );
        }
        return handshake(msg, bytes);
      }
      if (msg.type === 'handshake') {
        return reportPeerError(
          new VibeSyncError('SCHEMA_VIOLATION', 'already handshaken; a new generation needs a new connection'),
          msg.id,
          bytes,
        );
      }
      if (msg.session !== peer.id) {
        return reportPeerError(
          new VibeSyncError(
            'SCHEMA_VIOLATION',
            `session: envelope session ${JSON.stringify(msg.session)} is not this connection's session`,
          ),
          msg.id,
          bytes,
        );
      }
      // A schema-valid message whose `gen` differs from the handshake is delivered as is: Generation
      // Drift is a failure-table row of its own, and the brain (not the transport) acts on it.
      // It waits for its connection's turn (inbound-scheduler.ts).
      const p = peer;
      // A snapshot held by the frame worker is read with awaits: the connection's later frames wait for it.
      if (inTurn) return deliver(p, msg);
      const barrier = msg.type === 'snapshot' && offloadedScene(msg.body) !== undefined;
      scheduler.push(lane!, bytes, () => deliver(p, msg), barrier);
    }

    ws.on('error', (err: Error & { code?: string }) => {
      // An oversize frame was answered in onOversize (typed error, close 1009); nothing more to say.
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') return;
      log.warn({ err, peer: peer?.name ?? null, remote }, 'socket error');
      // One rule for every frame that is not a protocol message once handshaken (bad UTF-8, an
      // unmasked frame, reserved bits, a binary frame, bad JSON): a Contract Violation. ws closes
      // with 1002/1007 itself; the brain records the PANIC and revokes the token.
      if (peer && err.code?.startsWith('WS_ERR_'))
        brain.protocolError(peer, new VibeSyncError('MALFORMED_JSON', `WebSocket framing error: ${err.message}`), { bytes: 0 });
    });

    ws.on('close', (code: number, reason: Buffer) => {
      sockets.delete(ws);
      if (lane) scheduler.close(lane);
      revocable.delete(ws);
      clock.clearTimeout(handshakeTimer);
      if (peer) {
        log.info({ peer: peer.name, code }, 'disconnected');
        brain.disconnected(peer, code, reason.toString());
      }
    });
  }

  return {
    handleUpgrade(req, socket, head) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      if (path !== ADAPTER_PATH) return refuseUpgrade(socket, 404, 'SCHEMA_VIOLATION', `no WebSocket endpoint at ${path}`);
      const origin = req.headers.origin;
      if (origin !== undefined && !allowedOrigins.has(origin)) {
        log.warn({ code: 'ORIGIN_REJECTED', origin, remote: req.socket.remoteAddress }, 'upgrade refused: origin not allowed');
        return refuseUpgrade(socket, 403, 'ORIGIN_REJECTED', `origin ${origin} may not connect to ${ADAPTER_PATH}`);
      }
      const remote = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
      wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws, remote));
    },
    get connections() {
      return sockets.size;
    },
    inbound() {
      return { queuedBytes: scheduler.queuedBytes, inFlight: scheduler.inFlight };
    },
    closeRevoked() {
      let n = 0;
      for (const [ws, r] of revocable) {
        if (tokens.verify(r.token)) continue;
        revocable.delete(ws);
        n++;
        r.close();
      }
      return n;
    },
    close() {
      void decoder.close();
      for (const ws of sockets) ws.close(CLOSE.shutdown, 'orchestrator shutting down');
      return new Promise<void>((resolve) => {
        // Give peers a moment to answer the close handshake, then cut what is left.
        const t = setTimeout(() => {
          for (const ws of sockets) ws.terminate();
        }, 500);
        t.unref();
        wss.close(() => {
          clearTimeout(t);
          resolve();
        });
      });
    },
  };
}
