// Test and bench support: a raw `ws` client that records every frame and close, so a test can
// speak to the adapter endpoint byte by byte and await what it answers.
import { WebSocket } from 'ws';
import type { OrchestratorMessage } from '../../shared/protocol/index.js';

export class RawClient {
  readonly received: OrchestratorMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: Array<() => void> = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.received.push(JSON.parse(data.toString()) as OrchestratorMessage);
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    ws.on('error', () => {
      /* surfaced through `closed` */
    });
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<RawClient> {
    const ws = new WebSocket(url, { headers, perMessageDeflate: false });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawClient(ws)));
      ws.once('unexpected-response', (_req, res) =>
        reject(
          Object.assign(new Error(`HTTP ${res.statusCode}`), {
            status: res.statusCode,
            errorHeader: res.headers['x-vibesync-error'],
          }),
        ),
      );
      ws.once('error', reject);
    });
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Resolves when `predicate` holds, re-checked on every frame or close (and every 5 ms, for server-side state). */
  until<T>(predicate: () => T | undefined | null | false, what = 'condition'): Promise<T> {
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (err: Error | null, v?: T) => {
        done = true;
        clearTimeout(timer);
        clearInterval(poll);
        if (err) reject(err);
        else resolve(v!);
      };
      const timer = setTimeout(() => finish(new Error(`timed out waiting for ${what}`)), 5000);
      const poll = setInterval(() => check(), 5);
      const check = () => {
        if (done) return;
        const v = predicate();
        if (v) finish(null, v);
      };
      const onWake = () => {
        check();
        if (!done) this.waiters.push(onWake);
      };
      this.waiters.push(onWake);
      check();
    });
  }

  next<T extends OrchestratorMessage['type']>(type: T, from = 0): Promise<Extract<OrchestratorMessage, { type: T }>> {
    return this.until(
      () => this.received.slice(from).find((m) => m.type === type) as Extract<OrchestratorMessage, { type: T }> | undefined,
      type,
    );
  }

  waitClosed(): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed, 'close');
  }

  send(value: unknown) {
    this.ws.send(typeof value === 'string' ? value : JSON.stringify(value));
  }
}
