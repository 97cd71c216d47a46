// A scripted stand-in for the orchestrator, for protocol-conformance tests of the Blender add-on:
// every frame the add-on sends goes through strict JSON decoding and the zod AdapterMessage schema,
// and any violation is recorded (a real orchestrator would PANIC the engine for it).
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  AdapterMessage,
  parseStrictJson,
  type BodyOf,
  type OrchestratorMessage,
  type OrchestratorMessageType,
} from '../../../shared/protocol/index.js';

export class FakeBrain {
  readonly messages: AdapterMessage[] = [];
  readonly violations: string[] = [];
  readonly connections: WebSocket[] = [];
  private wss!: WebSocketServer;
  private waiters = new Set<() => void>();
  private seq = 0;
  port = 0;
  /** While set, blob queries wait unanswered in `heldQueries` until `answerHeldQueries()`. */
  holdBlobQueries = false;
  private heldQueries: { ws: WebSocket; id: string; gen: number }[] = [];

  async start(): Promise<void> {
    this.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => this.wss.on('listening', r));
    this.port = (this.wss.address() as AddressInfo).port;
    this.wss.on('connection', (ws) => {
      this.connections.push(ws);
      ws.on('message', (data, isBinary) => {
        try {
          if (isBinary) throw new Error('binary frame');
          const msg = AdapterMessage.parse(parseStrictJson(data.toString()));
          this.messages.push(msg);
          if (msg.type === 'handshake')
            this.send(ws, 'welcome', { name: msg.body.name, heartbeatMs: 200, heartbeatTimeoutMs: 10_000 }, msg.body.generation);
          // It keeps no blobs and claims to hold every one asked about (blob traffic: blender-mesh.test.ts).
          if (msg.type === 'blob_query') {
            if (this.holdBlobQueries) this.heldQueries.push({ ws, id: msg.id, gen: msg.gen });
            else this.send(ws, 'blob_need', { ref: msg.id, need: [] }, msg.gen);
          }
        } catch (e) {
          this.violations.push(`${(e as Error).message}: ${data.toString().slice(0, 500)}`);
        }
        for (const w of [...this.waiters]) w();
      });
    });
  }

  get url() {
    return `ws://127.0.0.1:${this.port}/adapter`;
  }
  get latest() {
    return this.connections[this.connections.length - 1]!;
  }

  /** Sends one message; returns its id. */
  send<T extends OrchestratorMessageType>(ws: WebSocket, type: T, body: BodyOf<OrchestratorMessage, T>, gen = 0): string {
    const id = `o-${++this.seq}`;
    ws.send(JSON.stringify({ v: 1, id, session: `s-${this.connections.indexOf(ws)}`, gen, ts: Date.now(), type, body }));
    return id;
  }

  /** The first message from index `from` on that matches. */
  waitFor<T extends AdapterMessage['type']>(
    type: T,
    pred: (m: Extract<AdapterMessage, { type: T }>) => boolean = () => true,
    from = 0,
    ms = 15_000,
  ): Promise<Extract<AdapterMessage, { type: T }>> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.messages.slice(from).find((m) => m.type === type && pred(m as Extract<AdapterMessage, { type: T }>));
        if (hit) {
          cleanup();
          resolve(hit as Extract<AdapterMessage, { type: T }>);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(
          new Error(
            `no ${type} within ${ms} ms; got ${this.messages.map((m) => m.type).join(',')}; violations ${this.violations.join(' | ')}`,
          ),
        );
      }, ms);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  answerHeldQueries() {
    this.holdBlobQueries = false;
    for (const q of this.heldQueries.splice(0)) this.send(q.ws, 'blob_need', { ref: q.id, need: [] }, q.gen);
  }

  close() {
    for (const ws of this.connections) ws.terminate();
    this.wss.close();
  }
}
