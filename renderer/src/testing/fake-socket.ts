// A scripted /panel server for the browser client: each `open` makes a socket the test drives
// (`accept()` opens it, `say()` sends a server message, `drop()` closes it) and reads (`sent`).
import type { PanelServerMessage } from '../../../shared/ipc/index.js';
import type { SocketLike } from '../api/ws-client.js';

export class FakeSocket implements SocketLike {
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  readonly sent: Record<string, unknown>[] = [];
  closedByClient = false;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close() {
    this.closedByClient = true;
  }
  accept() {
    this.onopen?.();
  }
  say(msg: PanelServerMessage) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(code = 1006, reason = '') {
    this.onclose?.({ code, reason });
  }
  /** The last call the client sent, to answer it. */
  lastCall() {
    return this.sent.filter((m) => m.t === 'call').at(-1) as { id: number; method: string; input: unknown } | undefined;
  }
}

export function fakeServer() {
  const sockets: FakeSocket[] = [];
  return {
    sockets,
    open: (url: string) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    get last() {
      return sockets.at(-1)!;
    },
  };
}
