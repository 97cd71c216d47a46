// Per-connection frame caps for the adapter endpoint. `ws` has one maxPayload per server and,
// when a frame passes it, closes with 1009 and an empty reason before anything can be sent.
// The adapter endpoint needs two caps on one connection (small until the handshake, the
// snapshot cap after it) and a typed TOO_LARGE the peer can read, so this subclass adds both.
import { WebSocket } from 'ws';

/** The close code RFC 6455 gives a message too big to process. */
export const CLOSE_TOO_LARGE = 1009;

interface ReceiverInternals {
  _maxPayload?: unknown;
}

export class CappedWebSocket extends WebSocket {
  /**
   * Called when ws refuses an oversize frame, just before its 1009 close frame goes out: may
   * still send (a typed `error`), and returns the close reason.
   */
  onOversize: (() => string) | null = null;

  /**
   * Sets the largest frame ws reads on this connection. ws checks it from the frame header, so a
   * frame over the cap is refused before its payload is buffered. ws exposes no per-connection
   * setter: this writes the receiver's limit, and the transport tests pin that it takes effect.
   */
  setMaxPayload(bytes: number): void {
    const receiver = (this as unknown as { _receiver?: ReceiverInternals })._receiver;
    if (!receiver || typeof receiver._maxPayload !== 'number') {
      throw new Error('ws internals changed: cannot set a per-connection maxPayload (check the ws version)');
    }
    receiver._maxPayload = bytes;
  }

  override close(code?: number, data?: string | Buffer): void {
    // ws calls close(1009) with no reason when its receiver refuses a frame; our own closes give one.
    if (code === CLOSE_TOO_LARGE && data === undefined && this.onOversize && this.readyState === WebSocket.OPEN) {
      const reason = this.onOversize();
      super.close(code, reason);
      return;
    }
    super.close(code, data);
  }
}
